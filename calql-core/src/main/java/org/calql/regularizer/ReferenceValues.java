package org.calql.regularizer;

import org.calql.data.TransitionBatch;

/**
 * Supplies {@code V_ref(s)} for every transition of a batch: the value Cal-QL's policy-action Q-values are
 * bounded below by. The default is the Monte-Carlo return-to-go of the behaviour data; users may plug in a
 * reference policy's value estimate or a fitted value network.
 */
@FunctionalInterface
public interface ReferenceValues {
    /** Writes {@code V_ref(s_i)} for each row {@code i} of {@code batch} into {@code out[0..batch.size())}. */
    void compute(TransitionBatch batch, double[] out);

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
