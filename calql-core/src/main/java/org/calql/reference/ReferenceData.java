package org.calql.reference;

import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.env.ActionScaling;
import org.calql.env.ActionSpace;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;

/**
 * The offline data an estimator fits on, as the agent sees it: the {@link PreparedDataset} (transformed rewards,
 * terminals, returns-to-go in {@link CriticUnits}), the agent's {@link ObservationNormalizer} (networks of this
 * package see observations normalised by it, as the critic's batches are, while a {@link ReferencePolicy} sees raw
 * ones), and the critic's action input: a box in the policy's range {@code [−maxAction, maxAction]} (the dataset's
 * units) or {@code n} discrete indices. {@code Agent.referenceData(dataset)} builds it for an agent.
 */
public final class ReferenceData {
    private final PreparedDataset prepared;
    private final ObservationNormalizer normalizer;
    private final double maxAction;
    private final int numActions;
    private final double[] observations;
    private final double[] nextObservations;

    private ReferenceData(PreparedDataset prepared, ObservationNormalizer normalizer, double maxAction,
                          int numActions) {
        if (prepared == null || normalizer == null) {
            throw new IllegalArgumentException("prepared data and normalizer must not be null");
        }
        OfflineDataset d = prepared.dataset();
        if (normalizer.observationDim() != d.observationDim()) {
            throw new IllegalArgumentException("normalizer must have width observationDim = " + d.observationDim()
                    + ", found " + normalizer.observationDim());
        }
        this.prepared = prepared;
        this.normalizer = normalizer;
        this.maxAction = maxAction;
        this.numActions = numActions;
        int n = d.size();
        int w = d.observationDim();
        observations = new double[n * w];
        nextObservations = new double[n * w];
        for (int t = 0; t < n; t++) {
            d.copyObservation(t, observations, t * w);
            d.copyNextObservation(t, nextObservations, t * w);
        }
        normalizer.normalizeInPlace(observations, 0, n);
        normalizer.normalizeInPlace(nextObservations, 0, n);
    }

    /**
     * Data for a continuous agent whose policy acts in {@code [−maxAction, maxAction]}.
     *
     * @throws IllegalArgumentException if an argument is null, the widths differ or {@code maxAction} is not finite
     *                                  and positive
     */
    public static ReferenceData continuous(PreparedDataset prepared, ObservationNormalizer normalizer,
                                           double maxAction) {
        if (!(maxAction > 0) || !Double.isFinite(maxAction)) {
            throw new IllegalArgumentException("maxAction must be finite and positive, found " + maxAction);
        }
        return new ReferenceData(prepared, normalizer, maxAction, 0);
    }

    /**
     * Data for a discrete agent with {@code numActions} actions (the dataset's one action column holds indices).
     *
     * @throws IllegalArgumentException if an argument is null, the widths differ or {@code numActions < 2}
     */
    public static ReferenceData discrete(PreparedDataset prepared, ObservationNormalizer normalizer, int numActions) {
        if (numActions < 2) {
            throw new IllegalArgumentException("numActions must be at least 2, found " + numActions);
        }
        if (prepared != null && prepared.dataset().actionDim() != 1) {
            throw new IllegalArgumentException("a discrete dataset has one action column, found "
                    + prepared.dataset().actionDim());
        }
        return new ReferenceData(prepared, normalizer, Double.NaN, numActions);
    }

    /** The prepared data. */
    public PreparedDataset prepared() {
        return prepared;
    }

    /** The raw data. */
    public OfflineDataset dataset() {
        return prepared.dataset();
    }

    /** The normaliser every network of this package sees observations through. */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    /** The units of the rewards and of every value estimated on this data. */
    public CriticUnits units() {
        return CriticUnits.of(prepared);
    }

    /** Whether the critic's actions are discrete indices. */
    public boolean isDiscrete() {
        return numActions > 0;
    }

    /** The policy range's bound (continuous), NaN for discrete data. */
    public double maxAction() {
        return maxAction;
    }

    /** The number of actions (discrete), 0 for continuous data. */
    public int numActions() {
        return numActions;
    }

    /** Width of an observation. */
    public int observationDim() {
        return prepared.dataset().observationDim();
    }

    /** Width of the critic's action input: the action's width, or 1 for an index. */
    public int actionDim() {
        return prepared.dataset().actionDim();
    }

    /** Number of transitions. */
    public int size() {
        return prepared.size();
    }

    /** Normalised observations {@code [n, observationDim]}, shared (not a copy). */
    double[] normalizedObservations() {
        return observations;
    }

    /** Normalised next observations {@code [n, observationDim]}, shared (not a copy). */
    double[] normalizedNextObservations() {
        return nextObservations;
    }

    /**
     * Checks that {@code mu} fits this data: its observation width, and a box of the action's width (continuous) or
     * {@code numActions} indices (discrete); returns the scaling of a box to the policy range (null for discrete).
     */
    ActionScaling check(ReferencePolicy mu) {
        if (mu == null) {
            throw new IllegalArgumentException("reference policy must not be null");
        }
        if (mu.observationDim() != observationDim()) {
            throw new IllegalArgumentException("reference policy observationDim must be " + observationDim()
                    + " (the data's), found " + mu.observationDim());
        }
        ActionSpace space = mu.actionSpace();
        if (isDiscrete()) {
            if (!(space instanceof DiscreteSpace ds) || ds.n() != numActions) {
                throw new IllegalArgumentException("reference policy actionSpace must be Discrete(" + numActions
                        + ") for this discrete data, found " + space);
            }
            return null;
        }
        if (!(space instanceof BoxSpace box) || box.dim() != actionDim()) {
            throw new IllegalArgumentException("reference policy actionSpace must be a box of width " + actionDim()
                    + " for this continuous data, found " + space);
        }
        return new ActionScaling(box, maxAction);
    }
}
