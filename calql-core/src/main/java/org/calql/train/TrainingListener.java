package org.calql.train;

import org.calql.update.UpdateResult;

/**
 * Receives progress of {@code pretrain} and {@code finetune}. Every method has an empty default, so an
 * implementation overrides only what it needs. Called on the training thread.
 */
public interface TrainingListener {
    /** After every update; {@code step} counts the phase's updates. */
    default void onUpdate(Phase phase, long step, UpdateResult result) {
    }

    /** After every evaluation. */
    default void onEvaluation(EvaluationResult result) {
    }

    /** After every online training episode. */
    default void onEpisode(EpisodeResult result) {
    }

    /**
     * When an update crosses {@link TrainingConfig#divergenceThreshold()} (see {@link DivergenceGuard}); called
     * after {@link #onUpdate} for that update and, with {@link DivergenceAction#STOP}, just before the trainer
     * throws {@link TrainingDivergedException}.
     */
    default void onDivergence(DivergenceEvent event) {
    }

    /**
     * While a reference-value estimator trains or rolls out ({@code org.calql.reference}); called every
     * few hundred updates and at the end.
     */
    default void onEstimatorProgress(EstimatorProgress progress) {
    }

    /** A listener that ignores everything. */
    static TrainingListener none() {
        return new TrainingListener() {
        };
    }
}
