package org.calql.random;

import java.util.random.RandomGenerator;

/**
 * A SplitMix64 generator (the algorithm of {@link java.util.SplittableRandom}) whose whole state is one
 * {@code long}, so it can be saved in a checkpoint and restored bit for bit. Not thread-safe.
 */
public final class Rng implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    /** A generator seeded with {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The full state, for checkpoints (see {@link #restore(long[])}). */
    public long[] snapshot() {
        return new long[] {state, hasSpare ? 1L : 0L, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state produced by {@link #snapshot()}. */
    public void restore(long[] snapshot) {
        if (snapshot == null || snapshot.length != 3) {
            throw new IllegalArgumentException("Rng snapshot must hold 3 longs, found "
                    + (snapshot == null ? "null" : snapshot.length));
        }
        state = snapshot[0];
        hasSpare = snapshot[1] != 0;
        spareGaussian = Double.longBitsToDouble(snapshot[2]);
    }

    /** A new generator whose stream is independent of this one's continuation. */
    public Rng split() {
        return new Rng(mix64(nextLong()) ^ 0x5DEECE66DL);
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal by the Marsaglia polar method (deterministic for a given state). */
    @Override
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * nextDouble() - 1.0;
            v = 2.0 * nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.sqrt(-2.0 * Math.log(s) / s);
        spareGaussian = v * factor;
        hasSpare = true;
        return u * factor;
    }
}
