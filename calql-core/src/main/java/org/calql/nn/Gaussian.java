package org.calql.nn;

import java.util.SplittableRandom;

/**
 * Standard normal draws from a {@link SplittableRandom} by Marsaglia's polar method.
 *
 * <p>Each call consumes uniform pairs until one lies inside the unit disc and returns one normal
 * value (the second value of the pair is discarded, so no state is kept outside the generator).
 * Only {@link StrictMath#log} and {@link Math#sqrt} are used, so a given generator state gives the
 * same bits on every JVM.
 */
public final class Gaussian {
    private Gaussian() {
    }

    /** One draw from {@code N(0, 1)}; advances {@code rng}. */
    public static double next(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = 2.0 * rng.nextDouble() - 1.0;
            v = 2.0 * rng.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        return u * Math.sqrt(-2.0 * StrictMath.log(s) / s);
    }

    /** Fills the first {@code n} values of {@code target} with draws from {@code N(0, 1)}, in index order. */
    public static void fill(SplittableRandom rng, double[] target, int n) {
        if (n < 0 || n > target.length) {
            throw new IllegalArgumentException("n must be in [0, target.length = " + target.length + "], found " + n);
        }
        for (int i = 0; i < n; i++) {
            target[i] = next(rng);
        }
    }
}
