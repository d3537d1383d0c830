package org.calql.config;

import org.calql.data.SuccessFilter;
import org.calql.train.TrainingConfig;
import org.calql.train.UpdateSchedule;

/**
 * The Cal-QL authors' published settings, one call per benchmark family. Sources: the scripts the authors ship
 * in nakamotoo/Cal-QL ({@code scripts/run_antmaze.sh}, {@code scripts/run_adroit.sh}), the defaults of their
 * {@code JaxCQL/conservative_sac_main.py} ({@code FLAGS_DEF}, lines 24-62) and of {@code
 * JaxCQL/conservative_sac.py} ({@code get_default_config}, lines 23-41) for what the scripts leave unset, and
 * CORL's {@code configs/finetune/cal_ql/antmaze/*.yaml} where CORL differs. Values every preset shares, from those
 * defaults: batch 256, γ 0.99, critic lr 3e-4, policy lr 1e-4, τ 5e-3, 10 CQL actions, orthogonal
 * initialisation, auto-tuned temperature with target entropy {@code −actionDim}, no backup entropy, replay
 * capacity 1e6, UTD 1 with the authors' {@link UpdateSchedule#PER_EPISODE per-episode schedule}, calibration
 * on online, and evaluations at step 0 and at the end of pre-training.
 *
 * <p><b>Why the library's defaults differ.</b> {@link CalQlConfig}'s defaults keep max-target backup off and the
 * Lagrange multiplier off, and {@link TrainingConfig} normalises observations: on all three they equal CORL's
 * {@code TrainConfig} defaults ({@code cql_lagrange=False}, {@code cql_max_target_backup=False},
 * {@code normalize=True}, {@code algorithms/finetune/cal_ql.py} lines 55, 58, 62), a setting for dense-reward
 * tasks that the demo and the README's numbers were produced with. The authors' defaults (max-target backup on,
 * {@code conservative_sac.py} line 39; no normalisation) are what their sparse-reward scripts run with, and
 * Lagrange is on only in their AntMaze script; so these presets set them, and the defaults stay, keeping
 * existing configs, checkpoints and results unchanged (max-target backup is part of a config's
 * {@link ConfigStructure} and may not change on a saved agent).
 */
public final class Presets {
    private Presets() {
    }

    /**
     * AntMaze ({@code antmaze-*-v2}), from {@code scripts/run_antmaze.sh}: {@code --cql_min_q_weight=5.0}
     * (line 13), {@code --cql.cql_target_action_gap=0.8} (14), {@code --cql.cql_lagrange=True} (15),
     * {@code --policy_arch=256-256} (16), {@code --qf_arch=256-256-256-256} (17), evaluation every 50 epochs of
     * 1,000 updates offline and every 2,000 steps online with 20 episodes (18-20), 1,000 × 1,000 offline updates
     * (21-22), 1e6 online steps (23), {@code --mixing_ratio=0.5} (24), reward ×10 − 5 (25-26),
     * {@code --enable_calql=True} (27). Max-target backup is the code's default ({@code conservative_sac.py}
     * line 39). The sparse rule's failure reward is the authors' {@code reward_neg = 0·10 − 5 = −5}
     * ({@code replay_buffer.py} lines 7-10 and 273). No observation normalisation.
     *
     * <p>The critic has 4 hidden layers of 256, the authors' choice; CORL's
     * {@code configs/finetune/cal_ql/antmaze/medium_diverse_v2.yaml} uses 5 ({@code q_n_hidden_layers: 5}, line
     * 37), with the same α, gap, Lagrange, reward and mixing settings (lines 7, 12-15, 25, 38-39) and
     * {@code cql_clip_diff_min: -200} (line 10), which calql does not implement. CORL's policy has 3 hidden
     * layers of 256 (hard-coded in {@code TanhGaussianPolicy}); this preset keeps the authors' 2.
     */
    public static Preset antMaze(int observationDim, int actionDim) {
        CalQlConfig.Builder agent = common(observationDim, actionDim)
                .qHidden(256, 256, 256, 256).policyHidden(256, 256)
                .cqlAlpha(5.0).lagrange(true).targetActionGap(0.8);
        TrainingConfig.Builder training = commonTraining()
                .rewardScale(10.0).rewardBias(-5.0).sparseFailureReward(-5.0)
                .pretrainEvaluationInterval(50_000).finetuneEvaluationInterval(2_000).evaluationEpisodes(20);
        return new Preset("antmaze", "nakamotoo/Cal-QL scripts/run_antmaze.sh", agent, training,
                1_000L * 1_000L, 1_000_000L, null);
    }

    /**
     * Adroit-binary ({@code pen-binary-v0}, {@code door-binary-v0}, {@code relocate-binary-v0}), from
     * {@code scripts/run_adroit.sh}: 2e5 online steps for pen and 1e6 for door and relocate (lines 9-13; this
     * preset takes pen's, change {@code finetuneSteps} for the others), {@code --cql_min_q_weight=1.0} (20),
     * {@code --policy_arch=512-512} (21), {@code --qf_arch=512-512-512} (22), evaluation every 2 epochs offline
     * and every 2,000 steps online with 20 episodes (23-25), 20 × 1,000 = 20k offline updates (26-27),
     * {@code --mixing_ratio=0.5} (29), reward ×10 + 5 (30-31). Lagrange is the code's default, off
     * ({@code conservative_sac.py} line 36); max-target backup its default, on (line 39). The sparse rule's
     * failure reward is {@code reward_neg = −1·10 + 5 = −5} ({@code replay_buffer.py} lines 11-14 and 275).
     * The data handling is {@link SuccessFilter#adroitBinary()}, and episodes end at the goal online
     * ({@link TrainingConfig#endEpisodeAtSuccess()}, {@code sampler.py} lines 31-35). CORL ships no Adroit-binary
     * Cal-QL config (its {@code configs/finetune/cal_ql/*}{@code /cloned_v1.yaml} are the dense {@code -cloned-v1}
     * tasks).
     */
    public static Preset adroitBinary(int observationDim, int actionDim) {
        CalQlConfig.Builder agent = common(observationDim, actionDim)
                .qHidden(512, 512, 512).policyHidden(512, 512)
                .cqlAlpha(1.0).lagrange(false);
        TrainingConfig.Builder training = commonTraining()
                .rewardScale(10.0).rewardBias(5.0).sparseFailureReward(-5.0).endEpisodeAtSuccess(true)
                .pretrainEvaluationInterval(2_000).finetuneEvaluationInterval(2_000).evaluationEpisodes(20);
        return new Preset("adroit-binary", "nakamotoo/Cal-QL scripts/run_adroit.sh", agent, training,
                20L * 1_000L, 200_000L, SuccessFilter.adroitBinary());
    }

    /**
     * Franka Kitchen ({@code kitchen-*-v0}). <b>Neither reference ships a Kitchen setting</b>: the authors'
     * repository has only the AntMaze and Adroit scripts, and its D4RL loader refuses every task but AntMaze
     * ({@code replay_buffer.py} lines 109-112, {@code raise NotImplementedError}); CORL has no
     * {@code configs/finetune/cal_ql/kitchen}. So this preset is the authors' <em>code defaults</em>, not a tuned
     * setting: {@code FLAGS_DEF} ({@code conservative_sac_main.py} lines 24-62) — critic and policy 256-256
     * (34-35), α 5 (53), reward ×1 + 0 (30-31), {@code mixing_ratio=-1}, i.e. proportional mixing (50, 221-224),
     * 1,000 × 1,000 offline updates (41-42), 1e6 online steps (45), evaluation every 10 epochs offline and every
     * 1,000 steps online with 5 episodes (43, 46, 48) — with Lagrange off and max-target backup on
     * ({@code conservative_sac.py} lines 36, 39). Kitchen's reward counts completed subtasks (0 to 4, D4RL's
     * {@code REF_MAX_SCORE}), not a binary success, so the sparse rule is off.
     */
    public static Preset kitchen(int observationDim, int actionDim) {
        CalQlConfig.Builder agent = common(observationDim, actionDim)
                .qHidden(256, 256).policyHidden(256, 256).cqlAlpha(5.0).lagrange(false);
        TrainingConfig.Builder training = commonTraining().rewardScale(1.0).rewardBias(0.0).proportionalMixing()
                .pretrainEvaluationInterval(10_000).finetuneEvaluationInterval(1_000).evaluationEpisodes(5);
        return new Preset("kitchen", "nakamotoo/Cal-QL JaxCQL/conservative_sac_main.py defaults (no Kitchen"
                + " script exists)", agent, training, 1_000L * 1_000L, 1_000_000L, null);
    }

    /**
     * The preset named {@code antmaze}, {@code adroit} (or {@code adroit-binary}) or {@code kitchen}.
     *
     * @throws IllegalArgumentException for another name, listing the known ones
     */
    public static Preset named(String name, int observationDim, int actionDim) {
        if (name == null) {
            throw new IllegalArgumentException("preset name must not be null; known: antmaze, adroit, kitchen");
        }
        return switch (name) {
            case "antmaze" -> antMaze(observationDim, actionDim);
            case "adroit", "adroit-binary" -> adroitBinary(observationDim, actionDim);
            case "kitchen" -> kitchen(observationDim, actionDim);
            default -> throw new IllegalArgumentException("preset must be one of antmaze, adroit, kitchen, found '"
                    + name + "'");
        };
    }

    private static CalQlConfig.Builder common(int observationDim, int actionDim) {
        return CalQlConfig.builder().observationDim(observationDim).actionDim(actionDim)
                .batchSize(256).discount(0.99).qfLr(3e-4).policyLr(1e-4).tau(5e-3).cqlNActions(10)
                .maxTargetBackup(true).alphaMultiplier(1.0).autoEntropy(true).backupEntropy(false)
                .logStdMultiplier(1.0).logStdOffset(-1.0).initialization(org.calql.spi.Initialization.ORTHOGONAL);
    }

    private static TrainingConfig.Builder commonTraining() {
        return TrainingConfig.builder().normalizeObservations(false).mixingRatio(0.5).updatesPerEnvironmentStep(1)
                .updateSchedule(UpdateSchedule.PER_EPISODE).replayCapacity(1_000_000).calibrateOnline(true)
                .onlineConservative(true).evaluateAtPhaseBoundaries(true);
    }
}
