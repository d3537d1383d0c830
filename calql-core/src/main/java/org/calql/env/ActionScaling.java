package org.calql.env;

/**
 * The affine map, per dimension, between a policy's actions in {@code [-maxAction, maxAction]} and
 * an environment's action box {@code [low_i, high_i]}:
 *
 * <pre>
 *   env_i    = low_i + (policy_i + maxAction) / (2 maxAction) * (high_i - low_i)
 *   policy_i = (2 (env_i - low_i) / (high_i - low_i) - 1) * maxAction
 * </pre>
 *
 * <p>Both directions clip their result into the target range, so a policy's tanh output that
 * rounds just past its bound still gives a valid action. Non-finite inputs and wrong lengths are
 * rejected with the index and the value. Immutable and thread-safe.
 */
public final class ActionScaling {
    private final BoxSpace box;
    private final double maxAction;

    /**
     * A scaling between {@code [-maxAction, maxAction]^dim} and {@code box}.
     *
     * @throws IllegalArgumentException if {@code box} is null or {@code maxAction} is not finite and positive
     */
    public ActionScaling(BoxSpace box, double maxAction) {
        if (box == null) {
            throw new IllegalArgumentException("box must not be null");
        }
        if (!(maxAction > 0) || !Double.isFinite(maxAction)) {
            throw new IllegalArgumentException("maxAction must be finite and positive, found " + maxAction);
        }
        this.box = box;
        this.maxAction = maxAction;
    }

    /** The scaling between {@code [-1, 1]^dim} and {@code box}. */
    public static ActionScaling unit(BoxSpace box) {
        return new ActionScaling(box, 1.0);
    }

    /** The environment's action box. */
    public BoxSpace box() {
        return box;
    }

    /** The policy's action bound. */
    public double maxAction() {
        return maxAction;
    }

    /** Width of an action. */
    public int dim() {
        return box.dim();
    }

    /** Maps a policy action into the box; returns a new array. */
    public double[] toEnvironment(double[] policyAction) {
        return toEnvironment(policyAction, new double[box.dim()]);
    }

    /**
     * Maps a policy action into the box, writing into {@code out}.
     *
     * @return {@code out}
     * @throws IllegalArgumentException if an array has the wrong length or the action a non-finite entry
     */
    public double[] toEnvironment(double[] policyAction, double[] out) {
        check(policyAction, out);
        for (int i = 0; i < out.length; i++) {
            double lo = box.low(i);
            double hi = box.high(i);
            double v = lo + (policyAction[i] + maxAction) / (2 * maxAction) * (hi - lo);
            out[i] = Math.min(hi, Math.max(lo, v));
        }
        return out;
    }

    /** Maps an environment action into {@code [-maxAction, maxAction]}; returns a new array. */
    public double[] toPolicy(double[] environmentAction) {
        return toPolicy(environmentAction, new double[box.dim()]);
    }

    /**
     * Maps an environment action into {@code [-maxAction, maxAction]}, writing into {@code out}.
     *
     * @return {@code out}
     * @throws IllegalArgumentException if an array has the wrong length or the action a non-finite entry
     */
    public double[] toPolicy(double[] environmentAction, double[] out) {
        check(environmentAction, out);
        for (int i = 0; i < out.length; i++) {
            double lo = box.low(i);
            double hi = box.high(i);
            double v = (2 * (environmentAction[i] - lo) / (hi - lo) - 1) * maxAction;
            out[i] = Math.min(maxAction, Math.max(-maxAction, v));
        }
        return out;
    }

    private void check(double[] action, double[] out) {
        box.requireValid(action);
        if (out == null || out.length != box.dim()) {
            throw new IllegalArgumentException("output must have length " + box.dim() + ", found "
                    + (out == null ? "null" : String.valueOf(out.length)));
        }
    }

    @Override
    public String toString() {
        return "ActionScaling[maxAction=" + maxAction + ", box=" + box + "]";
    }
}
