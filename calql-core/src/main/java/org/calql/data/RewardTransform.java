package org.calql.data;

/**
 * An affine reward transform {@code r' = scale·r + bias}, applied to raw rewards before returns-to-go
 * are computed and before they enter a batch (the Cal-QL authors' {@code reward_scale} and
 * {@code reward_bias}; e.g. AntMaze uses scale 10, bias −5, turning the sparse 0/1 reward into −5/+5).
 *
 * <p>The result is rounded to float, as rewards are stored; offline and online rewards go through
 * the same arithmetic, so a failure reward transformed here compares exactly with transformed data.
 *
 * @param scale multiplier, finite
 * @param bias offset, finite
 */
public record RewardTransform(double scale, double bias) {
    private static final RewardTransform IDENTITY = new RewardTransform(1.0, 0.0);

    /**
     * @throws IllegalArgumentException if scale or bias is NaN or infinite
     */
    public RewardTransform {
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("reward scale must be finite, found " + scale);
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("reward bias must be finite, found " + bias);
        }
    }

    /** {@code r' = r}. */
    public static RewardTransform identity() {
        return IDENTITY;
    }

    /** {@code r' = (float) (scale·r + bias)}. */
    public float apply(double reward) {
        return (float) (scale * reward + bias);
    }

    /** A new array with {@link #apply} applied to every element of {@code rewards}. */
    public float[] applyAll(float[] rewards) {
        float[] out = new float[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            out[i] = (float) (scale * rewards[i] + bias);
        }
        return out;
    }

    /** Whether this transform leaves every reward unchanged. */
    public boolean isIdentity() {
        return scale == 1.0 && bias == 0.0;
    }
}
