package org.calql.testing;

/**
 * Richardson-extrapolated central differences of a scalar function of one coordinate, evaluated at
 * {@value #POINTS} points around it ({@link #offset}: {@code ±h, ±h/2, ±h/4}):
 * {@code R(s) = (4·D(s/2) − D(s)) / 3} with {@code D(s) = (L(+s) − L(−s)) / 2s}, truncation error {@code O(s⁴)}.
 *
 * <p>{@link #resolves} says whether the step resolves the coordinate: not where {@code D(h)} and {@code D(h/2)}
 * disagree by more than the tolerance (LayerNorm over two units with nearly equal inputs is nearly a step
 * function), nor where {@code R(h)} and {@code R(h/2)} disagree by more than a quarter of it: a jump of the second
 * derivative within the step (ELU's at 0) leaves {@code D(s)} off by {@code O(s)}, which the extrapolation does
 * not remove, and {@code R(h)} is then off by up to twice {@code |R(h) − R(h/2)|} (an ELU case at step 1e-2:
 * {@code D(h)} and {@code D(h/2)} 7.6e-4 apart, {@code R(h)} 5.4e-3 from the derivative).
 */
public final class Richardson {
    /** How many points {@code at} holds. */
    public static final int POINTS = 6;
    private static final double[] OFFSETS = {1.0, -1.0, 0.5, -0.5, 0.25, -0.25};

    private Richardson() {
    }

    /** Where point {@code k} lies, in steps {@code h}: {@code +1, −1, +1/2, −1/2, +1/4, −1/4}. */
    public static double offset(int k) {
        return OFFSETS[k];
    }

    /** {@code R(h)} from the function's values {@code at} the {@value #POINTS} points. */
    public static double derivative(double[] at, double h) {
        return extrapolated(at, 0, h);
    }

    /** Whether step {@code h} resolves the coordinate within {@code allowed} (see the class comment). */
    public static boolean resolves(double[] at, double h, double allowed) {
        double wide = (at[0] - at[1]) / (2 * h);
        double narrow = (at[2] - at[3]) / h;
        return Math.abs(wide - narrow) <= allowed
                && Math.abs(derivative(at, h) - extrapolated(at, 2, h / 2)) <= allowed / 4;
    }

    /** {@code R(s)} from {@code L(+s), L(−s), L(+s/2), L(−s/2)} at {@code at[from…]}. */
    private static double extrapolated(double[] at, int from, double s) {
        double wide = (at[from] - at[from + 1]) / (2 * s);
        double narrow = (at[from + 2] - at[from + 3]) / s;
        return (4 * narrow - wide) / 3;
    }
}
