package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.critic.CriticSpec;
import org.calql.data.TransitionBatch;
import org.calql.spi.Activation;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.train.TrainingConfig;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;

/**
 * Seeded config fuzzing: every field drawn from normal, boundary, tiny, huge and invalid values. Every config that
 * {@code build()} accepts either is refused by the heap check that {@link Agent#create} runs (here against a test
 * budget of 256 MiB, so the test stays fast) or creates an agent that runs one update with finite losses on a
 * random batch; every refused config fails with an {@link IllegalArgumentException} naming a field.
 */
class ConfigFuzzTest {
    private static final Backend JAVA = Backends.named("java");
    private static final long TEST_HEAP = 256L << 20;
    private static final int CONFIGS = 600;
    /** One field value in this many is drawn from the boundary, huge, tiny and invalid values. */
    private static final int ODDS = 25;
    private static final List<String> FIELDS = List.of("observationDim", "actionDim", "batchSize",
            "criticEnsembleSize", "qHidden", "policyHidden", "critic", "cqlNActions", "maxAction", "discount", "tau",
            "targetUpdatePeriod", "qfLr", "policyLr", "alphaMultiplier", "targetEntropy", "initLogAlpha",
            "logStdMultiplier", "logStdOffset", "cqlAlpha", "targetActionGap", "initLogAlphaPrime", "bcSteps",
            "replayCapacity", "updatesPerEnvironmentStep", "rewardScale", "rewardBias", "sparseFailureReward",
            "onlineCqlAlpha", "maxEpisodeSteps", "divergenceThreshold");

    private static final int MAX = Integer.MAX_VALUE;
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void everyAcceptedConfigRunsAndEveryRefusedOneNamesAField() {
        SplittableRandom rng = new SplittableRandom(20240613L);
        int accepted = 0;
        int refused = 0;
        int refusedByHeap = 0;
        int ran = 0;
        for (int i = 0; i < CONFIGS; i++) {
            CalQlConfig config;
            TrainingConfig training;
            try {
                config = randomConfig(rng);
                training = randomTraining(rng);
            } catch (IllegalArgumentException e) {
                refused++;
                assertNamesField(i, e);
                continue;
            }
            accepted++;
            try {
                config.requireFitsHeap(training.replayBytes(config.observationDim(), config.actionDim()), TEST_HEAP);
            } catch (IllegalArgumentException e) {
                refusedByHeap++;
                assertNamesField(i, e);
                continue;
            }
            Agent agent = Agent.create(config, training, JAVA);
            UpdateResult r;
            try {
                r = agent.update(randomBatch(config, rng));
            } catch (RuntimeException e) {
                throw new AssertionError("config " + i + " was accepted but its first update failed: " + config, e);
            }
            for (double v : new double[] {r.tdLoss()[0], r.policyLoss(), r.alphaLoss(), r.alphaPrimeLoss(),
                    r.conservativeLoss()[0], r.averageQ()[0]}) {
                assertTrue(Double.isFinite(v), "config " + i + " update 1 is not finite: " + r + " for " + config);
            }
            ran++;
        }
        System.out.printf("config fuzz: %d configs, %d refused by build, %d accepted (%d ran an update, %d refused"
                + " by the heap check at a %d MiB budget), 0 failed later%n", CONFIGS, refused, accepted, ran,
                refusedByHeap, TEST_HEAP >> 20);
        assertTrue(CONFIGS >= 500);
        assertTrue(ran >= 100 && refused >= 100, "the domain must exercise both sides: ran " + ran + ", refused "
                + refused);
    }

    private static void assertNamesField(int i, IllegalArgumentException e) {
        String m = e.getMessage();
        if (m == null || FIELDS.stream().noneMatch(m::contains)) {
            fail("config " + i + " was refused without naming a field: " + m);
        }
    }

    private static int pick(SplittableRandom rng, int... values) {
        return values[rng.nextInt(values.length)];
    }

    private static double pick(SplittableRandom rng, double... values) {
        return values[rng.nextInt(values.length)];
    }

    /** Mostly small, sometimes boundary, huge or invalid. */
    private static int size(SplittableRandom rng, int... small) {
        return rng.nextInt(ODDS) > 0 ? pick(rng, small) : pick(rng, 0, -1, 100_000, 1 << 20, MAX / 3, MAX);
    }

    private static int[] widths(SplittableRandom rng) {
        int roll = rng.nextInt(4 * ODDS);
        if (roll == 0) {
            return new int[0];
        }
        if (roll == 1) {
            return new int[65];
        }
        int[] w = new int[1 + rng.nextInt(3)];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextInt(ODDS) > 0 ? pick(rng, 1, 3, 8, 16) : pick(rng, 0, -1, 100_000, 1 << 20, MAX);
        }
        return w;
    }

    private static double rare(SplittableRandom rng, double[] normal, double[] odd) {
        return rng.nextInt(ODDS) > 0 ? pick(rng, normal) : pick(rng, odd);
    }

    static CalQlConfig randomConfig(SplittableRandom rng) {
        CalQlConfig.Builder b = CalQlConfig.builder()
                .observationDim(size(rng, 1, 2, 3, 7))
                .actionDim(size(rng, 1, 2, 4))
                .batchSize(size(rng, 1, 2, 5, 16))
                .criticEnsembleSize(rng.nextInt(ODDS) > 0 ? pick(rng, 2, 3, 5) : pick(rng, 64, 65, 1, 0, 100_000, MAX))
                .cqlNActions(size(rng, 1, 2, 4, 10))
                .policyHidden(widths(rng))
                .maxAction(rare(rng, new double[] {1, 0.5, 2}, new double[] {Double.MIN_VALUE, 1e-300, 1e6,
                        Math.nextUp(1e6), 1e300, 0, -1, NAN, INF}))
                .discount(rare(rng, new double[] {0.99, 0.5}, new double[] {0, Math.nextDown(1.0), 1, -0.1, NAN}))
                .tau(rare(rng, new double[] {5e-3, 0.5}, new double[] {Double.MIN_VALUE, 1, 1.5, 0, NAN}))
                .targetUpdatePeriod(rng.nextInt(ODDS) > 0 ? pick(rng, 1, 2) : pick(rng, MAX, 0, -1))
                .qfLr(rare(rng, new double[] {3e-4, 1e-3}, new double[] {1e-300, Double.MIN_VALUE, 1,
                        Math.nextUp(1.0), 10, 1e300, 0, -1, NAN, INF}))
                .policyLr(rare(rng, new double[] {1e-4, 1e-3}, new double[] {1e-300, 1, 10, 1e300, 0, NAN}))
                .alphaMultiplier(rare(rng, new double[] {1, 0.5}, new double[] {0, 1e6, Math.nextUp(1e6), 1e300,
                        -1, NAN}))
                .autoEntropy(rng.nextBoolean())
                .backupEntropy(rng.nextBoolean())
                .initLogAlpha(rare(rng, new double[] {0, 1}, new double[] {-20, 20, Math.nextUp(20.0), -21, 1e10,
                        NAN}))
                .logStdMultiplier(rare(rng, new double[] {1, 0.5}, new double[] {0, 100, -100, 101, 1e300, NAN}))
                .logStdOffset(rare(rng, new double[] {-1, 0}, new double[] {100, -100, -101, 1e300, NAN}))
                .cqlAlpha(rare(rng, new double[] {5, 1}, new double[] {0, 1e6, Math.nextUp(1e6), 1e300, -1, NAN}))
                .cqlNActions(size(rng, 1, 2, 4, 10))
                .lagrange(rng.nextBoolean())
                .targetActionGap(rare(rng, new double[] {0.8, -1}, new double[] {1e9, -1e9, 1e10, 1e300, NAN}))
                .initLogAlphaPrime(rare(rng, new double[] {1, 0}, new double[] {-20, 20, 20.5, 1e10, NAN}))
                .maxTargetBackup(rng.nextBoolean())
                .bcSteps(rng.nextInt(ODDS) > 0 ? pick(rng, 0, 1, 5) : pick(rng, MAX, -1))
                .seed(rng.nextLong());
        if (rng.nextInt(4) == 0) {
            b.targetEntropy(rare(rng, new double[] {-2, 0}, new double[] {1e9, -1e9, 1e10, 1e300, NAN}));
        }
        int[] qh = widths(rng);
        if (rng.nextBoolean()) {
            b.qHidden(qh);
        } else {
            Activation[] acts = Activation.values();
            b.critic(CriticSpec.builder().hidden(qh).activation(acts[rng.nextInt(acts.length)])
                    .layerNorm(rng.nextBoolean()).build());
        }
        return b.build();
    }

    static TrainingConfig randomTraining(SplittableRandom rng) {
        return TrainingConfig.builder()
                .replayCapacity(rng.nextInt(ODDS) > 0 ? pick(rng, 1, 200, 10_000)
                        : pick(rng, 100_000_000, 100_000_001, MAX, 0))
                .updatesPerEnvironmentStep(rng.nextInt(ODDS) > 0 ? pick(rng, 1, 20) : pick(rng, 1000, 1001, 100_000, 0))
                .rewardScale(rare(rng, new double[] {1, 10}, new double[] {1e6, -1e6, 1e7, 1e300, NAN}))
                .rewardBias(rare(rng, new double[] {0, -5}, new double[] {1e6, 1e7, NAN}))
                .divergenceThreshold(rare(rng, new double[] {1e6}, new double[] {INF, 1e-300, 0, -1, NAN}))
                .build();
    }

    private static TransitionBatch randomBatch(CalQlConfig config, SplittableRandom rng) {
        TransitionBatch batch = new TransitionBatch(config.batchSize(), config.observationDim(), config.actionDim());
        fill(batch.observations(), rng, 1);
        fill(batch.nextObservations(), rng, 1);
        fill(batch.actions(), rng, 0.999 * config.maxAction());
        fill(batch.rewards(), rng, 1);
        fill(batch.returnsToGo(), rng, 10);
        double[] dones = batch.dones();
        for (int i = 0; i < dones.length; i++) {
            dones[i] = rng.nextInt(10) == 0 ? 1 : 0;
        }
        return batch;
    }

    private static void fill(double[] values, SplittableRandom rng, double scale) {
        for (int i = 0; i < values.length; i++) {
            values[i] = scale * rng.nextDouble(-1, 1);
        }
    }
}
