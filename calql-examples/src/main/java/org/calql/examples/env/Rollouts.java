package org.calql.examples.env;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionScaling;
import org.calql.env.ActionSpace;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;

/**
 * The transitions and per-episode statistics of a batch of rollouts, as made by
 * {@link DatasetGenerator#rollout}. Transitions are stored as {@code float} rows with actions in the
 * environment's units (as executed: clipped into a box, or a discrete action's index); {@link #toDataset()} turns
 * them into an {@link OfflineDataset}, with box actions mapped into the policy's range and discrete indices kept as
 * they are. Immutable.
 */
public final class Rollouts {
    /** The transitions with actions in the environment's units. */
    private final OfflineDataset transitions;
    private final ActionSpace actionSpace;
    private final double[] episodeReturns;
    private final int[] episodeLengths;
    private final boolean[] episodeSuccesses;

    Rollouts(OfflineDataset transitions, ActionSpace actionSpace, double[] episodeReturns, int[] episodeLengths,
            boolean[] episodeSuccesses) {
        this.transitions = transitions;
        this.actionSpace = actionSpace;
        this.episodeReturns = episodeReturns;
        this.episodeLengths = episodeLengths;
        this.episodeSuccesses = episodeSuccesses;
    }

    /** Width of an observation. */
    public int observationDim() {
        return transitions.observationDim();
    }

    /** Width of an action. */
    public int actionDim() {
        return actionSpace.dim();
    }

    /** The environment's action space: a {@link BoxSpace} or a {@link DiscreteSpace}. */
    public ActionSpace actionSpace() {
        return actionSpace;
    }

    /** Number of transitions. */
    public int size() {
        return transitions.size();
    }

    /** Number of episodes. */
    public int episodeCount() {
        return episodeReturns.length;
    }

    /** Undiscounted return of each episode (a copy). */
    public double[] episodeReturns() {
        return episodeReturns.clone();
    }

    /** Length of each episode (a copy). */
    public int[] episodeLengths() {
        return episodeLengths.clone();
    }

    /** Whether each episode had a step with the success flag (a copy). */
    public boolean[] episodeSuccesses() {
        return episodeSuccesses.clone();
    }

    /** Mean undiscounted episode return. */
    public double meanReturn() {
        return Arrays.stream(episodeReturns).average().orElse(Double.NaN);
    }

    /** Fraction of episodes with a success. */
    public double successRate() {
        int n = 0;
        for (boolean s : episodeSuccesses) {
            if (s) {
                n++;
            }
        }
        return episodeSuccesses.length == 0 ? Double.NaN : (double) n / episodeSuccesses.length;
    }

    /** Observations {@code [size · observationDim]} (a copy). */
    public float[] observations() {
        return copy(transitions.observationsView());
    }

    /**
     * Executed actions in the environment's units {@code [size · actionDim]} (a copy); for a discrete space, the
     * indices ({@code actionDim} 1).
     */
    public float[] actions() {
        return copy(transitions.actionsView());
    }

    /** Rewards {@code [size]} (a copy). */
    public float[] rewards() {
        return copy(transitions.rewardsView());
    }

    /** Next observations {@code [size · observationDim]} (a copy). */
    public float[] nextObservations() {
        return copy(transitions.nextObservationsView());
    }

    /** Terminal flags {@code [size]} (a copy). */
    public boolean[] terminals() {
        return transitions.terminals();
    }

    /** Episode-end flags {@code [size]}: terminated or truncated (a copy). */
    public boolean[] episodeEnds() {
        return transitions.episodeEnds();
    }

    /**
     * The transitions as an offline dataset. Box actions are mapped into {@code [-1, 1]}
     * ({@link ActionScaling#unit}; for {@link PointMaze} these equal the executed actions); discrete actions are the
     * executed indices, one column wide. Rewards are raw.
     */
    public OfflineDataset toDataset() {
        if (actionSpace instanceof BoxSpace box) {
            return toDataset(ActionScaling.unit(box));
        }
        return OfflineDataset.fromArrays(observationDim(), actionDim(), observations(), actions(), rewards(),
                nextObservations(), terminals(), episodeEnds());
    }

    /**
     * The transitions as an offline dataset with box actions mapped into the policy's range by
     * {@code scaling} ({@link ActionScaling#toPolicy}). Rewards are raw.
     *
     * @throws IllegalArgumentException if this data's action space is discrete (use {@link #toDataset()}) or
     *     {@code scaling}'s box is not this data's action space
     */
    public OfflineDataset toDataset(ActionScaling scaling) {
        if (actionSpace instanceof DiscreteSpace) {
            throw new IllegalArgumentException("action scaling applies to a box action space, but this data's action"
                    + " space is " + actionSpace + "; use toDataset() for its indices");
        }
        if (scaling == null || !scaling.box().equals(actionSpace)) {
            throw new IllegalArgumentException("scaling must be over the environment's action space " + actionSpace
                    + ", found " + (scaling == null ? "null" : scaling.box()));
        }
        int actionDim = actionSpace.dim();
        int size = transitions.size();
        float[] scaled = new float[size * actionDim];
        double[] row = new double[actionDim];
        double[] out = new double[actionDim];
        for (int t = 0; t < size; t++) {
            transitions.copyAction(t, row, 0);
            scaling.toPolicy(row, out);
            for (int j = 0; j < actionDim; j++) {
                scaled[t * actionDim + j] = (float) out[j];
            }
        }
        return OfflineDataset.fromArrays(observationDim(), actionDim, observations(), scaled, rewards(),
                nextObservations(), terminals(), episodeEnds());
    }

    private static float[] copy(FloatBuffer view) {
        float[] out = new float[view.remaining()];
        view.duplicate().get(out);
        return out;
    }

    @Override
    public String toString() {
        return String.format("Rollouts[episodes=%d, transitions=%d, meanReturn=%.4f, successRate=%.4f]",
                episodeCount(), size(), meanReturn(), successRate());
    }
}
