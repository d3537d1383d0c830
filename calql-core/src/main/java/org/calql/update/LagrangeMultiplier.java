package org.calql.update;

import org.calql.optim.ScalarAdam;
import org.calql.optim.ScalarState;

/**
 * CQL's Lagrange multiplier {@code α' = clamp(exp(logAlphaPrime), 0, 1e6)}: it weighs the conservative term by
 * {@code α'·cqlAlpha·(gap − targetActionGap)} and descends {@code α' loss = −mean_k penalty_k}, with an Adam
 * step at the critics' learning rate.
 */
final class LagrangeMultiplier {
    static final double MAX = 1e6;

    private final ScalarAdam adam = new ScalarAdam();
    private double logAlphaPrime;

    LagrangeMultiplier(double initLogAlphaPrime) {
        this.logAlphaPrime = initLogAlphaPrime;
    }

    double logAlphaPrime() {
        return logAlphaPrime;
    }

    double value() {
        return Math.max(0.0, Math.min(MAX, Math.exp(logAlphaPrime)));
    }

    /**
     * d loss / d logAlphaPrime for the loss {@code −Σ_k α'·cqlAlpha·(gap_k − targetActionGap) / K}, given
     * {@code gapSum = Σ_k (gap_k − targetActionGap)}; zero where the clamp is active.
     */
    double gradient(double gapSum, int criticCount, double cqlAlpha) {
        double raw = Math.exp(logAlphaPrime);
        boolean inside = raw >= 0.0 && raw <= MAX;
        return inside ? -cqlAlpha * gapSum / criticCount * raw : 0.0;
    }

    void step(double gradient, double learningRate) {
        logAlphaPrime = adam.step(logAlphaPrime, gradient, learningRate);
    }

    ScalarState exportState() {
        return new ScalarState(logAlphaPrime, adam.exportState());
    }

    Runnable prepareImport(ScalarState state, String name) {
        ScalarStates.check(state, name);
        return () -> {
            adam.importState(state.adam());
            logAlphaPrime = state.value();
        };
    }
}
