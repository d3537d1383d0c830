package org.calql.train;

import org.calql.update.UpdateResult;

/**
 * Watches every update for divergence: an update diverges when the mean {@code |Q|} of any critic, or the mean
 * backed-up target, exceeds {@link TrainingConfig#divergenceThreshold()} τ, or a critic's TD loss (a squared error)
 * exceeds τ². Non-finite losses never get here: the update refuses them. Each time the run crosses from healthy to
 * diverged the listener sees one {@link DivergenceEvent} ({@link TrainingListener#onDivergence}); with
 * {@link DivergenceAction#WARN} a warning is logged and training goes on (further diverged updates are not
 * reported again until one is back under the threshold), with {@link DivergenceAction#STOP} the guard throws
 * {@link TrainingDivergedException}. The {@link Trainer} calls {@link #check} once per update, after the update
 * is counted and the listener has seen it, so a stop leaves the agent consistent and saveable.
 */
public final class DivergenceGuard {
    private static final System.Logger LOG = System.getLogger(DivergenceGuard.class.getName());

    private final double threshold;
    private final double tdBound;
    private final DivergenceAction action;
    private final TrainingListener listener;
    private boolean diverged;

    /** A guard with {@code training}'s threshold and action, reporting to {@code listener}. */
    public DivergenceGuard(TrainingConfig training, TrainingListener listener) {
        if (training == null || listener == null) {
            throw new IllegalArgumentException("training and listener must not be null");
        }
        this.threshold = training.divergenceThreshold();
        this.tdBound = threshold * threshold;
        this.action = training.divergenceAction();
        this.listener = listener;
    }

    /**
     * Checks one update's result.
     *
     * @param phase  the phase of the update
     * @param step   the phase's update count
     * @param result the update's result
     * @throws TrainingDivergedException if it diverged and the action is {@link DivergenceAction#STOP}
     */
    public void check(Phase phase, long step, UpdateResult result) {
        double maxAbsQ = Math.abs(result.averageTargetQ());
        for (double q : result.averageQ()) {
            maxAbsQ = Math.max(maxAbsQ, Math.abs(q));
        }
        double maxTd = 0;
        for (double td : result.tdLoss()) {
            maxTd = Math.max(maxTd, td);
        }
        // NaN compares false, so a NaN that somehow got here counts as diverged through the negation
        boolean now = !(maxAbsQ <= threshold && maxTd <= tdBound);
        if (now && (!diverged || action == DivergenceAction.STOP)) {
            DivergenceEvent event = new DivergenceEvent(phase, step, maxAbsQ, maxTd, threshold, action);
            diverged = true;
            listener.onDivergence(event);
            if (action == DivergenceAction.STOP) {
                throw new TrainingDivergedException(event);
            }
            LOG.log(System.Logger.Level.WARNING, event.describe());
        } else if (!now) {
            diverged = false;
        }
    }

    /** Whether the last checked update was over the threshold. */
    public boolean diverged() {
        return diverged;
    }
}
