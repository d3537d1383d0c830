package org.calql.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Central differences of scalar functions of one coordinate, checked against analytic derivatives.
 *
 * <p>A mismatch is forgiven only when the perturbation demonstrably crosses a kink: then the second
 * differences at {@code x − h}, {@code x}, {@code x + h} disagree by at least {@code h·|error|} (a kink of
 * slope jump {@code J} at distance {@code d < h} shifts the central difference by {@code J(h − d)/(2h)} and
 * the middle second difference by {@code J(h − d)}), whereas along a smooth path they agree to
 * {@code O(h³)} plus rounding. At most a tenth of the coordinates may be forgiven.
 *
 * <p>Use one instance per set of coordinates, then {@link #finish(int)}.
 */
public final class FiniteDifferences {
    private final String what;
    private final double step;
    private final double atol;
    private final double rtol;
    private final double scaleFloor;
    private final List<String> failures = new ArrayList<>();
    private int checked;
    private int forgiven;
    private double worst;

    /** Tolerance {@code atol + rtol·max(|analytic|, |central|)} at step {@code step}. */
    public FiniteDifferences(String what, double step, double atol, double rtol) {
        this(what, step, atol, rtol, 0.0);
    }

    /** Tolerance {@code atol + rtol·max(scaleFloor, |analytic|, |central|)} at step {@code step}. */
    public FiniteDifferences(String what, double step, double atol, double rtol, double scaleFloor) {
        this.what = what;
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
        this.scaleFloor = scaleFloor;
    }

    /** Checks {@code d f(δ)/dδ} at {@code δ = 0} against {@code analytic}. */
    public void check(String where, double analytic, DoubleUnaryOperator f) {
        double h = step;
        double plus = f.applyAsDouble(h);
        double minus = f.applyAsDouble(-h);
        double central = (plus - minus) / (2 * h);
        double error = Math.abs(central - analytic);
        double bound = atol + rtol * Math.max(scaleFloor, Math.max(Math.abs(analytic), Math.abs(central)));
        checked++;
        worst = Math.max(worst, error / bound);
        if (error <= bound) {
            return;
        }
        double zero = f.applyAsDouble(0.0);
        double plus2 = f.applyAsDouble(2 * h);
        double minus2 = f.applyAsDouble(-2 * h);
        double d2Left = minus2 - 2 * minus + zero;
        double d2Mid = minus - 2 * zero + plus;
        double d2Right = zero - 2 * plus + plus2;
        double spread = Math.max(Math.abs(d2Mid - d2Left), Math.abs(d2Mid - d2Right));
        if (spread >= h * error) {
            forgiven++;
            return;
        }
        if (failures.size() < 20) {
            failures.add(where + ": analytic " + analytic + ", central difference " + central + " (|diff| "
                    + error + " > " + bound + ", second-difference spread " + spread + ")");
        }
    }

    /** Fails with every mismatch; also fails when too few coordinates were checked cleanly. */
    public void finish(int minimumChecked) {
        if (!failures.isEmpty()) {
            fail(what + ": " + failures.size() + " gradient mismatches of " + checked + " (worst |diff|/bound "
                    + worst + "):\n  " + String.join("\n  ", failures));
        }
        if (checked < minimumChecked) {
            fail(what + ": only " + checked + " coordinates checked, expected at least " + minimumChecked);
        }
        if (forgiven * 10 > checked) {
            fail(what + ": " + forgiven + " of " + checked + " coordinates crossed a kink; the check is too weak");
        }
    }
}
