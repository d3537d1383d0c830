package org.calql.aca;

/**
 * The weight {@code w} of the reparameterised critic over fine-tuning: it starts at {@code start} and after each
 * online update falls by {@code start / (epochs·stepsPerEpoch)}, never below {@code floor} (the authors'
 * {@code interpolation = (start, epochs, floor)}, with their 1000 updates per epoch). Update {@code t} (from 1) uses
 * {@code max(start − (t − 1)·start / (epochs·stepsPerEpoch), floor)}.
 *
 * @param start         w at the first online update, positive
 * @param epochs        epochs over which w would reach 0, positive
 * @param floor         the floor, in {@code [0, start]}
 * @param stepsPerEpoch updates per epoch, positive
 */
public record InterpolationSchedule(double start, double epochs, double floor, int stepsPerEpoch) {
    /** The schedule of {@code config}. */
    public static InterpolationSchedule of(AcaConfig config) {
        return new InterpolationSchedule(config.interpolationStart(), config.interpolationEpochs(),
                config.interpolationFloor(), config.stepsPerEpoch());
    }

    /** w after one more update from {@code w}: {@code max(w − start/(epochs·stepsPerEpoch), floor)}. */
    public double next(double w) {
        return Math.max(w - start / (epochs * stepsPerEpoch), floor);
    }
}
