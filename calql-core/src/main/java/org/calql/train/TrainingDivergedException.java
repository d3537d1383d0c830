package org.calql.train;

/**
 * Thrown by {@link Trainer#pretrain} and {@link Trainer#finetune} when {@link TrainingConfig#divergenceAction()}
 * is {@link DivergenceAction#STOP} and an update diverged. The update was applied and counted and the listener has
 * seen it; a fine-tuning episode in progress was closed as a data break. The agent is consistent: it can be saved,
 * loaded and inspected, or trained on with other settings.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The event that stopped training (not serialised). */
    private final transient DivergenceEvent event;

    /** An exception for {@code event}. */
    public TrainingDivergedException(DivergenceEvent event) {
        super(event.describe() + "; training stopped (divergenceAction STOP)");
        this.event = event;
    }

    /** The event that stopped training. */
    public DivergenceEvent event() {
        return event;
    }
}
