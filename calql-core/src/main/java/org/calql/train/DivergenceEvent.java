package org.calql.train;

/**
 * An update whose Q scale crossed {@link TrainingConfig#divergenceThreshold()}, as the {@link DivergenceGuard}
 * saw it.
 *
 * @param phase     the phase of the update
 * @param step      the phase's update count, as {@link TrainingListener#onUpdate} received it
 * @param maxAbsQ   the largest of {@code |averageQ_k|} over the critics and {@code |averageTargetQ|}
 * @param maxTdLoss the largest TD loss over the critics
 * @param threshold the threshold in force: {@code maxAbsQ > threshold} or {@code maxTdLoss > threshold²}
 * @param action    what the guard does about it
 */
public record DivergenceEvent(Phase phase, long step, double maxAbsQ, double maxTdLoss, double threshold,
                              DivergenceAction action) {
    /** One line for logs: phase, step, the values and the threshold. */
    public String describe() {
        return "training diverged at " + phase.name().toLowerCase(java.util.Locale.ROOT) + " update " + step
                + ": max |Q| " + maxAbsQ + ", max TD loss " + maxTdLoss + " (divergenceThreshold " + threshold
                + ", TD loss bound " + threshold * threshold + ")";
    }
}
