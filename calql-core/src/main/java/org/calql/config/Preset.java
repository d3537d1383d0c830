package org.calql.config;

import org.calql.data.SuccessFilter;
import org.calql.train.TrainingConfig;

/**
 * A published setting of Cal-QL for one benchmark family: fresh builders of the agent's and the loop's
 * configs (the caller's to change further), the update and step budgets, and the data handling. Made by
 * {@link Presets}; each method there cites the file and lines the values come from.
 *
 * @param name            the family, e.g. {@code "antmaze"}
 * @param source          where the values come from
 * @param agent           the agent's config, dimensions set
 * @param training        the loop's config
 * @param pretrainUpdates offline updates ({@code n_pretrain_epochs × n_train_step_per_epoch_offline})
 * @param finetuneSteps   online environment steps ({@code max_online_env_steps})
 * @param dataFilter      the data preparation before {@code pretrain}, or null for none
 */
public record Preset(String name, String source, CalQlConfig.Builder agent, TrainingConfig.Builder training,
                     long pretrainUpdates, long finetuneSteps, SuccessFilter dataFilter) {
}
