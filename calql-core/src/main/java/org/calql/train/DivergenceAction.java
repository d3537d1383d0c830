package org.calql.train;

/** What the {@link DivergenceGuard} does when an update crosses {@link TrainingConfig#divergenceThreshold()}. */
public enum DivergenceAction {
    /**
     * Tell the listener ({@link TrainingListener#onDivergence}) and log a warning, once each time the run crosses
     * the threshold, and keep training.
     */
    WARN,
    /**
     * Tell the listener, then stop: the {@link Trainer} call throws {@link TrainingDivergedException} after the
     * diverged update is applied and counted, so the agent is consistent and can be saved and inspected.
     */
    STOP
}
