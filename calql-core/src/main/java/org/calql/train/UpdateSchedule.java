package org.calql.train;

/** When the fine-tuning loop makes its updates; both make {@code steps × UTD} updates in all. */
public enum UpdateSchedule {
    /**
     * {@link TrainingConfig#updatesPerEnvironmentStep()} updates after every environment step (the default;
     * CORL's {@code algorithms/finetune/cal_ql.py} loop, one update per step).
     */
    PER_STEP,
    /**
     * Collect a whole episode first, then make {@code length × UTD} updates, as the authors' loop does
     * ({@code JaxCQL/conservative_sac_main.py} line 218: {@code n_train_step_per_epoch = sum(len(t["rewards"]))
     * * online_utd_ratio}, one trajectory per epoch). An episode still unfinished when {@code finetune}'s step
     * budget runs out is closed and gets its {@code length × UTD} updates then.
     */
    PER_EPISODE
}
