package org.calql.update;

import org.calql.optim.ScalarAdam;
import org.calql.optim.ScalarState;

/**
 * The entropy temperature {@code α = exp(logAlpha)·alphaMultiplier} (auto-tuned) or {@code alphaMultiplier}
 * (fixed), with the loss {@code −mean(logAlpha·(log π + targetEntropy))} ({@code log π} held constant) and its
 * Adam step.
 */
final class Temperature {
    private final ScalarAdam adam = new ScalarAdam();
    private double logAlpha;

    Temperature(double initLogAlpha) {
        this.logAlpha = initLogAlpha;
    }

    double logAlpha() {
        return logAlpha;
    }

    double alpha(boolean autoEntropy, double alphaMultiplier) {
        return autoEntropy ? Math.exp(logAlpha) * alphaMultiplier : alphaMultiplier;
    }

    /** {@code −mean(logAlpha·(log π + targetEntropy))} over the first {@code rows} log-probabilities. */
    double loss(double[] logPi, int rows, double targetEntropy) {
        double sum = 0.0;
        for (int b = 0; b < rows; b++) {
            sum += logAlpha * (logPi[b] + targetEntropy);
        }
        return -sum / rows;
    }

    /** d loss / d logAlpha {@code = −mean(log π + targetEntropy)}. */
    static double gradient(double[] logPi, int rows, double targetEntropy) {
        double sum = 0.0;
        for (int b = 0; b < rows; b++) {
            sum += logPi[b] + targetEntropy;
        }
        return -sum / rows;
    }

    void step(double gradient, double learningRate) {
        logAlpha = adam.step(logAlpha, gradient, learningRate);
    }

    ScalarState exportState() {
        return new ScalarState(logAlpha, adam.exportState());
    }

    /** Validates {@code state}; returns the action that applies it (so several parts validate before any changes). */
    Runnable prepareImport(ScalarState state, String name) {
        ScalarStates.check(state, name);
        return () -> {
            adam.importState(state.adam());
            logAlpha = state.value();
        };
    }
}
