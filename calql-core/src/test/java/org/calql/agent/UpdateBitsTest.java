package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.Environment;
import org.calql.nn.JavaBackend;
import org.calql.regularizer.Regularizers;
import org.calql.testing.RecordedMath;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Pins today's exact bits of end-to-end training on the plain-Java backend, so a refactor of the update step,
 * critics, policy or training loop can be shown to change nothing: per config, an agent pre-trains
 * {@value #PRETRAIN} updates on a seeded dataset and fine-tunes {@value #FINETUNE} environment steps, and both
 * the full-state fingerprint and the fingerprint of every {@code UpdateResult} a listener saw are compared with
 * literals (encoding: {@link StateFingerprint}).
 *
 * <p>The literals were produced by running this test on the code of commit a6ff9bb (with placeholders, copying
 * the actual values from the failure messages), also with {@code -Dcalql.threads=1}, which gave the same
 * values. Do not update them to make a refactor pass: a change here means the bits changed. They hold where
 * {@code Math}'s functions give the recording JVM's bits; elsewhere the tests skip, saying why ({@link RecordedMath}).
 */
class UpdateBitsTest {
    static final int PRETRAIN = 25;
    static final int FINETUNE = 40;

    /** Trains as described in the class doc and checks both fingerprints. */
    private static void check(CalQlConfig config, TrainingConfig training, OfflineDataset data, Environment env,
                              String state, String updates, long updateCount) {
        Assumptions.assumeTrue(RecordedMath.differs() == null, RecordedMath::differs);
        Agent agent = Agent.create(config, training, new JavaBackend());
        StateFingerprint.Updates seen = new StateFingerprint.Updates();
        agent.pretrain(data, PRETRAIN, seen);
        agent.finetune(data, env, FINETUNE, seen);
        assertAll(
                () -> assertEquals(updateCount, seen.count(), "updates seen"),
                () -> assertEquals(updates, seen.hex(), "update results"),
                () -> assertEquals(state, StateFingerprint.of(agent), "full state"));
    }

    /** (a) Cal-QL with the default regularizer and settings, scaled down; two critics. */
    @Test
    void calQlDefaults() {
        CalQlConfig c = CalQlConfig.builder().observationDim(3).actionDim(2).batchSize(16).criticEnsembleSize(2)
                .cqlNActions(4).qHidden(16, 16).policyHidden(16, 16).regularizer(Regularizers.calQl()).seed(1)
                .build();
        TrainingConfig t = TrainingConfig.builder().replayCapacity(200).randomExplorationSteps(5).build();
        check(c, t, PlaneWorld.randomData(20, 21), new PlaneWorld(),
                "b6351b544a81e7b5a932bfae4082b2d2391bb8be91db59fd10e26213fc0153d7",
                "172227ee1918822d7f1b2543382d382b1fe3556c0c8ca58a3fdb3297c6fc7c19", PRETRAIN + FINETUNE);
    }

    /** (b) CQL with Lagrange, max-target backup, entropy backup, three critics, target update every 2 steps. */
    @Test
    void cqlLagrangeMaxTargetThreeCritics() {
        CalQlConfig c = CalQlConfig.builder().observationDim(2).actionDim(1).batchSize(16).criticEnsembleSize(3)
                .cqlNActions(3).qHidden(16, 16).policyHidden(16).regularizer(Regularizers.cql()).lagrange(true)
                .maxTargetBackup(true).backupEntropy(true).targetUpdatePeriod(2).seed(2).build();
        TrainingConfig t = TrainingConfig.builder().replayCapacity(200).randomExplorationSteps(5)
                .rewardScale(2).rewardBias(0.5).build();
        check(c, t, LineWorld.randomData(20, 22), new LineWorld(),
                "080ecf89217caf34a757cd2f5be4cda1cce735c8dd9c7f8da379fdc21e8ad5d0",
                "fc0d8a4a223e47e884f9251b81acd4cca870670c434e8d247ff97ee73dd7cc9e", PRETRAIN + FINETUNE);
    }

    /** (c) Five behaviour-cloning steps, fixed temperature, two updates per step, proportional mixing. */
    @Test
    void behaviourCloningFixedTemperature() {
        CalQlConfig c = CalQlConfig.builder().observationDim(3).actionDim(2).batchSize(16).criticEnsembleSize(2)
                .cqlNActions(4).qHidden(16, 16).policyHidden(16, 16).bcSteps(5).autoEntropy(false).seed(3).build();
        TrainingConfig t = TrainingConfig.builder().replayCapacity(200).randomExplorationSteps(5)
                .updatesPerEnvironmentStep(2).proportionalMixing().build();
        check(c, t, PlaneWorld.randomData(20, 23), new PlaneWorld(),
                "9f79605c1c77daba4a1c9907d225ee029076167d03308955e7ad28fc8b37f2eb",
                "00196780369c54ea84c3e12a7ff1e842fb560db0099f588517809aede1f7d3c9", PRETRAIN + 2L * FINETUNE);
    }
}
