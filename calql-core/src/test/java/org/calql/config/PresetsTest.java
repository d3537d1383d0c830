package org.calql.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calql.data.SuccessFilter;
import org.calql.spi.Initialization;
import org.calql.train.TrainingConfig;
import org.calql.train.UpdateSchedule;
import org.junit.jupiter.api.Test;

/**
 * Each preset against its source; the expected values are literals copied from the files named (nakamotoo/Cal-QL
 * and corl-team/CORL, read at their newest stored snapshots).
 */
class PresetsTest {
    private static void authorsDefaults(CalQlConfig c, TrainingConfig t) {
        // JaxCQL/conservative_sac_main.py FLAGS_DEF: batch_size=256 (28), orthogonal_init=True (36),
        // policy_log_std_multiplier=1.0 (37), policy_log_std_offset=-1.0 (38), replay_buffer_size=1000000 (49),
        // online_utd_ratio=1 (58)
        assertEquals(256, c.batchSize());
        assertEquals(Initialization.ORTHOGONAL, c.initialization());
        assertEquals(1.0, c.logStdMultiplier());
        assertEquals(-1.0, c.logStdOffset());
        assertEquals(1_000_000, t.replayCapacity());
        assertEquals(1, t.updatesPerEnvironmentStep());
        // JaxCQL/conservative_sac.py get_default_config: discount=0.99 (25), alpha_multiplier=1.0 (26),
        // use_automatic_entropy_tuning=True (27), backup_entropy=False (28), policy_lr=1e-4 (30), qf_lr=3e-4 (31),
        // soft_target_update_rate=5e-3 (33), cql_n_actions=10 (34), cql_max_target_backup=True (39)
        assertEquals(0.99, c.discount());
        assertEquals(1.0, c.alphaMultiplier());
        assertTrue(c.autoEntropy());
        assertFalse(c.backupEntropy());
        assertEquals(1e-4, c.policyLr());
        assertEquals(3e-4, c.qfLr());
        assertEquals(5e-3, c.tau());
        assertEquals(10, c.cqlNActions());
        assertTrue(c.maxTargetBackup());
        // conservative_sac_main.py line 103: target_entropy = -prod(action_space.shape)
        assertEquals(-8.0, c.targetEntropy());
        // their loop: one trajectory, then len × utd updates (lines 199-218); evaluation at epoch 0 and at
        // n_pretrain_epochs (lines 141-149); no observation normalisation anywhere in JaxCQL
        assertEquals(UpdateSchedule.PER_EPISODE, t.updateSchedule());
        assertTrue(t.evaluateAtPhaseBoundaries());
        assertFalse(t.normalizeObservations());
        assertTrue(t.calibrateOnline());
        assertTrue(t.onlineConservative());
    }

    @Test
    void antMazeEqualsRunAntmazeSh() {
        Preset p = Presets.antMaze(29, 8);
        CalQlConfig c = p.agent().build();
        TrainingConfig t = p.training().build();
        authorsDefaults(c, t);
        assertEquals(5.0, c.cqlAlpha());                           // run_antmaze.sh:13 --cql_min_q_weight=5.0
        assertEquals(0.8, c.targetActionGap());                    // :14 --cql.cql_target_action_gap=0.8
        assertTrue(c.lagrange());                                  // :15 --cql.cql_lagrange=True
        assertArrayEquals(new int[] {256, 256}, c.policyHidden()); // :16 --policy_arch=256-256
        assertArrayEquals(new int[] {256, 256, 256, 256}, c.qHidden()); // :17 --qf_arch=256-256-256-256
        assertEquals(50 * 1000, t.pretrainEvaluationInterval());   // :18 offline_eval_every_n_epoch=50 × :21 1000
        assertEquals(2000, t.finetuneEvaluationInterval());        // :19 --online_eval_every_n_env_steps=2000
        assertEquals(20, t.evaluationEpisodes());                  // :20 --eval_n_trajs=20
        assertEquals(1000L * 1000L, p.pretrainUpdates());          // :21 × :22 (1000 × 1000)
        assertEquals(1_000_000L, p.finetuneSteps());               // :23 --max_online_env_steps=1e6
        assertEquals(0.5, t.mixingRatio());                        // :24 --mixing_ratio=0.5
        assertEquals(10.0, t.rewardScale());                       // :25 --reward_scale=10.0
        assertEquals(-5.0, t.rewardBias());                        // :26 --reward_bias=-5
        // replay_buffer.py:9 antmaze reward_neg 0.0, transformed 0 × 10 − 5
        assertEquals(0.0 * 10 - 5, t.sparseFailureReward());
        assertFalse(t.endEpisodeAtSuccess());
        assertNull(p.dataFilter());
        // CORL configs/finetune/cal_ql/antmaze/medium_diverse_v2.yaml agrees on cql_alpha: 5.0 (7),
        // cql_lagrange: true (12), cql_max_target_backup: true (13), cql_target_action_gap: 0.8 (15),
        // mixing_ratio: 0.5 (25), normalize: false (28), reward_scale: 10.0 (38), reward_bias: -5.0 (39), and
        // differs on q_n_hidden_layers: 5 (37): the preset keeps the authors' 4
        assertEquals(4, c.qHidden().length);
    }

    @Test
    void adroitBinaryEqualsRunAdroitSh() {
        Preset p = Presets.adroitBinary(45, 8);
        CalQlConfig c = p.agent().build();
        TrainingConfig t = p.training().build();
        authorsDefaults(c, t);
        assertEquals(200_000L, p.finetuneSteps());                 // run_adroit.sh:10 pen max_online_env_steps=2e5
        assertEquals(1.0, c.cqlAlpha());                           // :20 --cql_min_q_weight=1.0
        assertArrayEquals(new int[] {512, 512}, c.policyHidden()); // :21 --policy_arch=512-512
        assertArrayEquals(new int[] {512, 512, 512}, c.qHidden()); // :22 --qf_arch=512-512-512
        assertEquals(2 * 1000, t.pretrainEvaluationInterval());    // :23 --offline_eval_every_n_epoch=2 × :26 1000
        assertEquals(2000, t.finetuneEvaluationInterval());        // :24
        assertEquals(20, t.evaluationEpisodes());                  // :25
        assertEquals(20L * 1000L, p.pretrainUpdates());            // :26 1000 × :27 --n_pretrain_epochs=20
        assertEquals(0.5, t.mixingRatio());                        // :29 --mixing_ratio=0.5
        assertEquals(10.0, t.rewardScale());                       // :30 --reward_scale=10.0
        assertEquals(5.0, t.rewardBias());                         // :31 --reward_bias=5.0
        assertFalse(c.lagrange());                                 // conservative_sac.py:36 cql_lagrange=False
        // replay_buffer.py:13 adroit-binary reward_neg -1.0, transformed −1 × 10 + 5
        assertEquals(-1.0 * 10 + 5, t.sparseFailureReward());
        assertTrue(t.endEpisodeAtSuccess());                       // sampler.py:34-35 done=True on goal_achieved
        SuccessFilter f = p.dataFilter();
        assertEquals(0.0, f.successReward());                      // replay_buffer.py:12 reward_pos 0.0
        assertTrue(f.skipFailedEpisodes());                        // replay_buffer.py:184-185, 202-203
        assertTrue(f.cutAtLastSuccess());                          // replay_buffer.py:187, 204
        assertTrue(f.doneAtSuccess());                             // replay_buffer.py:150
    }

    @Test
    void kitchenEqualsTheAuthorsCodeDefaults() {
        Preset p = Presets.kitchen(60, 9);
        CalQlConfig c = p.agent().build();
        TrainingConfig t = p.training().build();
        assertEquals(1.0, t.rewardScale());                        // conservative_sac_main.py:30 reward_scale=1.0
        assertEquals(0.0, t.rewardBias());                         // :31 reward_bias=0.0
        assertArrayEquals(new int[] {256, 256}, c.policyHidden()); // :34 policy_arch='256-256'
        assertArrayEquals(new int[] {256, 256}, c.qHidden());      // :35 qf_arch='256-256'
        assertEquals(1000L * 1000L, p.pretrainUpdates());          // :41 × :42
        assertEquals(10 * 1000, t.pretrainEvaluationInterval());   // :43 offline_eval_every_n_epoch=10
        assertEquals(1_000_000L, p.finetuneSteps());               // :45 max_online_env_steps=1e6
        assertEquals(1000, t.finetuneEvaluationInterval());        // :46 online_eval_every_n_env_steps=1000
        assertEquals(5, t.evaluationEpisodes());                   // :48 eval_n_trajs=5
        assertTrue(Double.isNaN(t.mixingRatio()));                 // :50 mixing_ratio=-1.0: proportional (221-224)
        assertEquals(5.0, c.cqlAlpha());                           // :53 cql_min_q_weight=5.0
        assertFalse(c.lagrange());                                 // conservative_sac.py:36
        assertTrue(c.maxTargetBackup());                           // conservative_sac.py:39
        assertTrue(Double.isNaN(t.sparseFailureReward()));
    }

    @Test
    void namedPresetsAndUnknownNames() {
        assertEquals("antmaze", Presets.named("antmaze", 3, 2).name());
        assertEquals("adroit-binary", Presets.named("adroit", 3, 2).name());
        assertEquals("kitchen", Presets.named("kitchen", 3, 2).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Presets.named("hopper", 3, 2));
        assertTrue(e.getMessage().contains("'hopper'") && e.getMessage().contains("antmaze"), e.getMessage());
    }

    @Test
    void eachCallReturnsFreshBuilders() {
        Preset a = Presets.antMaze(29, 8);
        a.agent().cqlAlpha(1.0);
        assertEquals(5.0, Presets.antMaze(29, 8).agent().build().cqlAlpha());
    }
}
