package org.calql.random;

/**
 * Where an update step takes its random numbers. The default draws from a seeded {@link Rng}; tests
 * replay recorded draws to reproduce a reference implementation number for number.
 */
public interface UpdateDraws {
    /**
     * Fills {@code out[0..count)} with the draw of this kind: standard normal for the noises,
     * uniform in [−1, 1] for {@link DrawKind#RANDOM_ACTIONS}.
     */
    void fill(DrawKind kind, double[] out, int count);

    /** Draws from {@code rng} (which the caller owns and may checkpoint). */
    static UpdateDraws from(Rng rng) {
        return (kind, out, count) -> {
            if (kind == DrawKind.RANDOM_ACTIONS) {
                for (int i = 0; i < count; i++) {
                    out[i] = 2.0 * rng.nextDouble() - 1.0;
                }
            } else {
                for (int i = 0; i < count; i++) {
                    out[i] = rng.nextGaussian();
                }
            }
        };
    }
}
