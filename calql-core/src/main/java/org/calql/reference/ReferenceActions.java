package org.calql.reference;

import java.util.Arrays;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;
import org.calql.random.Rng;

/**
 * Draws a {@link ReferencePolicy}'s actions, checks them, and writes them in the critic's units (the policy range
 * for a box, the index for discrete actions). One per estimator; reuses its observation buffer.
 */
final class ReferenceActions {
    private final ReferencePolicy mu;
    private final ActionScaling scaling;
    private final int numActions;
    private final int width;
    private final double[] observation;
    private final double[] scaled;

    ReferenceActions(ReferencePolicy mu, ReferenceData data) {
        this.scaling = data.check(mu);
        this.mu = mu;
        this.numActions = data.numActions();
        this.width = mu.actionSpace().dim();
        this.observation = new double[mu.observationDim()];
        this.scaled = new double[width];
    }

    /**
     * μ's action at the raw observation {@code raw[offset .. offset + observationDim)}, checked, in environment
     * units (a fresh array from μ).
     */
    double[] environmentAction(double[] raw, int offset, Rng random) {
        System.arraycopy(raw, offset, observation, 0, observation.length);
        double[] a = mu.act(observation, random);
        check(mu, a);
        return a;
    }

    /** μ's action at {@code raw[offset ..]}, written in critic units to {@code out[outOffset .. outOffset + width)}. */
    void criticAction(double[] raw, int offset, Rng random, double[] out, int outOffset) {
        double[] a = environmentAction(raw, offset, random);
        if (scaling == null) {
            out[outOffset] = a[0];
        } else {
            scaling.toPolicy(a, scaled);
            System.arraycopy(scaled, 0, out, outOffset, width);
        }
    }

    /** Width of an action. */
    int width() {
        return width;
    }

    /** Number of discrete actions, 0 for a box. */
    int numActions() {
        return numActions;
    }

    /**
     * Checks an action of {@code mu}: not null, of the space's width, finite, inside the box or an index of the
     * discrete space.
     *
     * @throws IllegalArgumentException naming the entry, the value and the rule
     */
    static void check(ReferencePolicy mu, double[] action) {
        int dim = mu.actionSpace().dim();
        if (action == null || action.length != dim) {
            throw new IllegalArgumentException("reference policy action must have length " + dim + ", found "
                    + (action == null ? "null" : action.length + " " + Arrays.toString(action)));
        }
        for (int j = 0; j < dim; j++) {
            if (!Double.isFinite(action[j])) {
                throw new IllegalArgumentException("reference policy action[" + j + "] must be finite, found "
                        + action[j]);
            }
        }
        if (mu.actionSpace() instanceof BoxSpace box) {
            for (int j = 0; j < dim; j++) {
                if (action[j] < box.low(j) || action[j] > box.high(j)) {
                    throw new IllegalArgumentException("reference policy action[" + j + "] must lie in [" + box.low(j)
                            + ", " + box.high(j) + "] (its action space), found " + action[j]);
                }
            }
        } else if (mu.actionSpace() instanceof DiscreteSpace ds && !ds.contains(action[0])) {
            throw new IllegalArgumentException("reference policy action[0] must be an index in [0, " + ds.n()
                    + "), found " + action[0]);
        }
    }
}
