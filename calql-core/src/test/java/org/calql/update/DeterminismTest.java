package org.calql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.junit.jupiter.api.Test;

/** The same seed gives the same bits after many updates; another seed gives other bits. */
class DeterminismTest {
    private static final int UPDATES = 100;

    private static List<TransitionBatch> batches(CalQlConfig config) {
        SplittableRandom rng = new SplittableRandom(2024);
        List<TransitionBatch> list = new ArrayList<>();
        for (int i = 0; i < UPDATES; i++) {
            list.add(UpdateFixtures.randomBatch(config, rng));
        }
        return list;
    }

    private static ModelParameters train(CalQlConfig config, long drawSeed, List<TransitionBatch> batches,
                                         List<UpdateResult> results) {
        return train(config, UpdateFixtures.java(), drawSeed, batches, results);
    }

    private static ModelParameters train(CalQlConfig config, Backend backend, long drawSeed,
                                         List<TransitionBatch> batches, List<UpdateResult> results) {
        UpdateStep step = new UpdateStep(config, backend, UpdateDraws.from(new Rng(drawSeed)));
        for (TransitionBatch batch : batches) {
            results.add(step.update(batch));
        }
        assertEquals(UPDATES, step.steps());
        return step.exportParameters();
    }

    private static CalQlConfig config(long seed) {
        return UpdateFixtures.smallConfig(seed).batchSize(8).lagrange(true).maxTargetBackup(true).backupEntropy(true)
                .bcSteps(10).qfLr(1e-3).policyLr(1e-3).tau(0.05).build();
    }

    @Test
    void sameSeedGivesBitwiseIdenticalParameters() {
        CalQlConfig config = config(7);
        List<TransitionBatch> batches = batches(config);
        List<UpdateResult> first = new ArrayList<>();
        List<UpdateResult> second = new ArrayList<>();
        ModelParameters a = train(config, 7, batches, first);
        ModelParameters b = train(config, 7, batches, second);
        assertBitwiseEqual(a, b);
        for (int i = 0; i < UPDATES; i++) {
            assertEquals(Double.doubleToRawLongBits(first.get(i).policyLoss()),
                    Double.doubleToRawLongBits(second.get(i).policyLoss()), "policy loss of update " + i);
            assertTrue(Arrays.equals(first.get(i).tdLoss(), second.get(i).tdLoss()), "TD losses of update " + i);
        }
        ModelParameters initial = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(new Rng(7)))
                .exportParameters();
        assertFalse(Arrays.deepEquals(initial.critics(), a.critics()), "training must move the critics");
        assertFalse(Arrays.deepEquals(initial.targetCritics(), a.targetCritics()), "and the targets");
        assertFalse(Arrays.deepEquals(initial.policy(), a.policy()), "and the policy");
    }

    @Test
    void anotherSeedGivesOtherParameters() {
        CalQlConfig config = config(7);
        List<TransitionBatch> batches = batches(config);
        ModelParameters a = train(config, 7, batches, new ArrayList<>());
        ModelParameters otherInit = train(config(8), 7, batches, new ArrayList<>());
        ModelParameters otherDraws = train(config, 8, batches, new ArrayList<>());
        assertFalse(Arrays.deepEquals(a.critics(), otherInit.critics()), "another init seed, other critics");
        assertFalse(Arrays.deepEquals(a.policy(), otherInit.policy()), "another init seed, other policy");
        assertFalse(Arrays.deepEquals(a.critics(), otherDraws.critics()), "other draws, other critics");
        assertFalse(Arrays.deepEquals(a.policy(), otherDraws.policy()), "other draws, other policy");
    }

    /** The Java backend's networks, with the per-critic sections run one by one in reverse critic order. */
    private static Backend reverseOrder() {
        Backend java = UpdateFixtures.java();
        return new Backend() {
            @Override
            public String name() {
                return "java-reversed";
            }

            @Override
            public Network createNetwork(NetworkSpec spec) {
                return java.createNetwork(spec);
            }

            @Override
            public void runIndependent(int count, IntConsumer pass) {
                for (int i = count - 1; i >= 0; i--) {
                    pass.accept(i);
                }
            }
        };
    }

    @Test
    void criticSectionsGiveTheSameBitsWhateverTheirSchedule() {
        // three critics: at once on the shared gang (Java backend) versus one by one in reverse order
        CalQlConfig config = UpdateFixtures.smallConfig(5).batchSize(8).criticEnsembleSize(3).lagrange(true)
                .maxTargetBackup(true).bcSteps(5).qfLr(1e-3).policyLr(1e-3).tau(0.05).build();
        List<TransitionBatch> batches = batches(config);
        List<UpdateResult> concurrent = new ArrayList<>();
        List<UpdateResult> reversed = new ArrayList<>();
        ModelParameters a = train(config, UpdateFixtures.java(), 5, batches, concurrent);
        ModelParameters b = train(config, reverseOrder(), 5, batches, reversed);
        assertBitwiseEqual(a, b);
        for (int i = 0; i < UPDATES; i++) {
            assertTrue(Arrays.equals(concurrent.get(i).conservativeLoss(), reversed.get(i).conservativeLoss()),
                    "conservative losses of update " + i);
        }
    }

    @Test
    void exportedStateContinuesBitForBit() {
        CalQlConfig config = config(3);
        List<TransitionBatch> batches = batches(config);
        Rng rng = new Rng(3);
        UpdateStep straight = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(rng));
        for (int i = 0; i < 40; i++) {
            straight.update(batches.get(i));
        }
        UpdateStepState state = straight.exportState();
        long[] rngState = rng.snapshot();
        for (int i = 40; i < 60; i++) {
            straight.update(batches.get(i));
        }
        Rng resumedRng = new Rng(0);
        resumedRng.restore(rngState);
        UpdateStep resumed = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(resumedRng));
        resumed.importState(state);
        assertEquals(40, resumed.steps());
        for (int i = 40; i < 60; i++) {
            resumed.update(batches.get(i));
        }
        assertBitwiseEqual(straight.exportParameters(), resumed.exportParameters());
    }

    static void assertBitwiseEqual(ModelParameters a, ModelParameters b) {
        // Arrays.deepEquals compares doubles with Double.equals, i.e. by their bits
        assertTrue(Arrays.deepEquals(a.critics(), b.critics()), "critics differ");
        assertTrue(Arrays.deepEquals(a.targetCritics(), b.targetCritics()), "target critics differ");
        assertTrue(Arrays.deepEquals(a.policy(), b.policy()), "policies differ");
        assertEquals(Double.doubleToRawLongBits(TanhParameters.multiplier(a)),
                Double.doubleToRawLongBits(TanhParameters.multiplier(b)));
        assertEquals(Double.doubleToRawLongBits(TanhParameters.offset(a)),
                Double.doubleToRawLongBits(TanhParameters.offset(b)));
        assertEquals(Double.doubleToRawLongBits(a.logAlpha()), Double.doubleToRawLongBits(b.logAlpha()));
        assertEquals(Double.doubleToRawLongBits(a.logAlphaPrime()), Double.doubleToRawLongBits(b.logAlphaPrime()));
    }
}
