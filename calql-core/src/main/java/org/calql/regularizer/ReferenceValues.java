package org.calql.regularizer;

import java.util.List;
import org.calql.data.TransitionBatch;

/**
 * Supplies {@code V_ref(s)} for every transition of a batch: the value Cal-QL's policy-action Q-values are
 * bounded below by. The default is the Monte-Carlo return-to-go of the behaviour data; {@code org.calql.reference}
 * builds others from a reference policy μ (fitted Q evaluation, rollouts), a value network fitted to the returns,
 * or the maximum of several.
 *
 * <p><b>Units.</b> {@code V_ref} must be in the units the critic learns: rewards after the training config's
 * reward transform ({@code scale·r + bias}) and sparse rule, discounted by the config's {@code γ}
 * ({@code org.calql.reference.CriticUnits}); the built-in references are.
 */
@FunctionalInterface
public interface ReferenceValues {
    /**
     * Writes {@code V_ref(s_i)} for each row {@code i} of {@code batch} into {@code out[0..batch.size())}.
     *
     * <p>The batch is the one the update trains on: its observations are <b>normalised</b> by the agent's
     * observation normaliser (when {@code TrainingConfig.normalizeObservations()}, the default; raw otherwise), its
     * actions are in the policy's range (continuous) or indices (discrete), its rewards are transformed, and
     * {@link TransitionBatch#returnsToGo()} holds each transition's Monte-Carlo return-to-go of those transformed
     * rewards discounted by {@code γ} (with the sparse rule; for online data, of its completed episode in the
     * replay). A reference that needs raw observations undoes the normalisation with the agent's
     * {@code normalizer()}.
     */
    void compute(TransitionBatch batch, double[] out);

    /**
     * The references whose maximum this is, each reported on its own in the update's reference metrics: just this
     * one, unless it is a maximum of several ({@code org.calql.reference.MaxReference}).
     */
    default List<ReferenceValues> parts() {
        return List.of(this);
    }

    /** The batch's Monte-Carlo returns-to-go (computed once per episode by the data pipeline). */
    static ReferenceValues monteCarlo() {
        return MonteCarloReference.INSTANCE;
    }
}

final class MonteCarloReference implements ReferenceValues {
    static final MonteCarloReference INSTANCE = new MonteCarloReference();

    @Override
    public void compute(TransitionBatch batch, double[] out) {
        System.arraycopy(batch.returnsToGo(), 0, out, 0, batch.size());
    }

    @Override
    public String toString() {
        return "monteCarlo";
    }
}
