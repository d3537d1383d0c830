package org.calql.env;

import java.util.Arrays;

/**
 * A continuous box {@code [low_i, high_i]} per dimension, the action space of an
 * {@link Environment} (Gymnasium's {@code Box}). Immutable; the bounds are copied in and out.
 *
 * <p>Bounds must be finite with {@code low_i < high_i}.
 */
public final class BoxSpace implements ActionSpace {
    private final double[] low;
    private final double[] high;

    /**
     * A box with the given per-dimension bounds.
     *
     * @param low lower bound per dimension
     * @param high upper bound per dimension
     * @throws IllegalArgumentException if the arrays are empty or of different lengths, a bound is
     *     not finite, or {@code low[i] >= high[i]}
     */
    public BoxSpace(double[] low, double[] high) {
        if (low == null || high == null) {
            throw new IllegalArgumentException("box bounds must not be null");
        }
        if (low.length == 0) {
            throw new IllegalArgumentException("box must have at least one dimension, found 0");
        }
        if (low.length != high.length) {
            throw new IllegalArgumentException("box low and high must have the same length, found "
                    + low.length + " and " + high.length);
        }
        for (int i = 0; i < low.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i])) {
                throw new IllegalArgumentException("box bounds must be finite, found low[" + i + "] = "
                        + low[i] + ", high[" + i + "] = " + high[i]);
            }
            if (!(low[i] < high[i])) {
                throw new IllegalArgumentException("box bounds must satisfy low < high, found low[" + i
                        + "] = " + low[i] + " >= high[" + i + "] = " + high[i]);
            }
        }
        this.low = low.clone();
        this.high = high.clone();
    }

    /**
     * The box {@code [low, high]^dim}, the same bounds in every dimension.
     *
     * @throws IllegalArgumentException if {@code dim < 1} or the bounds are invalid
     */
    public static BoxSpace uniform(int dim, double low, double high) {
        if (dim < 1) {
            throw new IllegalArgumentException("box dimension must be at least 1, found " + dim);
        }
        double[] lo = new double[dim];
        double[] hi = new double[dim];
        Arrays.fill(lo, low);
        Arrays.fill(hi, high);
        return new BoxSpace(lo, hi);
    }

    /** Number of dimensions. */
    public int dim() {
        return low.length;
    }

    /** Lower bound of dimension {@code i}. */
    public double low(int i) {
        return low[i];
    }

    /** Upper bound of dimension {@code i}. */
    public double high(int i) {
        return high[i];
    }

    /** A copy of the lower bounds. */
    public double[] low() {
        return low.clone();
    }

    /** A copy of the upper bounds. */
    public double[] high() {
        return high.clone();
    }

    /** Whether {@code x} has this box's dimension and lies inside it (bounds included). */
    public boolean contains(double[] x) {
        if (x == null || x.length != low.length) {
            return false;
        }
        for (int i = 0; i < low.length; i++) {
            if (!(x[i] >= low[i] && x[i] <= high[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code action} has this box's dimension and holds only finite numbers.
     *
     * @return {@code action}, for chaining
     * @throws IllegalArgumentException naming the length or the index and value of a bad entry
     */
    public double[] requireValid(double[] action) {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        if (action.length != low.length) {
            throw new IllegalArgumentException("action must have length " + low.length
                    + " (the action space's dimension), found " + action.length);
        }
        for (int i = 0; i < action.length; i++) {
            if (!Double.isFinite(action[i])) {
                throw new IllegalArgumentException("action must be finite, found action[" + i + "] = " + action[i]);
            }
        }
        return action;
    }

    /**
     * Validates {@code action} ({@link #requireValid}) and clips each entry into the box.
     *
     * @return a new array inside the box
     */
    public double[] clip(double[] action) {
        requireValid(action);
        double[] out = new double[low.length];
        for (int i = 0; i < low.length; i++) {
            out[i] = Math.min(high[i], Math.max(low[i], action[i]));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoxSpace b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "BoxSpace[low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high) + "]";
    }
}
