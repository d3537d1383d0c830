package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.BoxSpace;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.train.EpisodeResult;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;

/** The agent's front door: dimension checks, listeners, evaluation, thread-safe acting. */
class AgentTest {
    private static final Backend JAVA = Backends.named("java");

    @Test
    void datasetOfOtherDimensionsIsRejectedWithBothShapes() {
        Agent agent = Agent.create(AgentCheckpointTest.config().toBuilder().observationDim(3).build(), JAVA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent.pretrain(LineWorld.randomData(2, 1), 1, null));
        assertTrue(e.getMessage().contains("observationDim 2") && e.getMessage().contains("observationDim 3"),
                e.getMessage());
    }

    @Test
    void environmentOfOtherDimensionsIsRejected() {
        Agent agent = Agent.create(AgentCheckpointTest.config().toBuilder().actionDim(2).build(), JAVA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent.finetune(null, new LineWorld(), 1, null));
        assertTrue(e.getMessage().contains("actionDim 1") && e.getMessage().contains("actionDim 2"), e.getMessage());
    }

    @Test
    void nanRewardsAreRejectedWithTheirIndex() {
        float[] obs = new float[3 * 2];
        float[] rewards = {0f, Float.NaN, 1f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OfflineDataset.fromArrays(2, 1, obs, new float[3], rewards, obs.clone(), new boolean[3],
                        new boolean[3]));
        assertTrue(e.getMessage().contains("rewards") && e.getMessage().contains("1"), e.getMessage());
    }

    @Test
    void mixingRatioOutsideUnitIntervalIsRejected() {
        for (double bad : new double[] {-0.1, 1.5, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingConfig.builder().mixingRatio(bad).build());
            assertTrue(e.getMessage().contains("mixingRatio") && e.getMessage().contains(Double.toString(bad)),
                    e.getMessage());
        }
    }

    @Test
    void listenerSeesEveryUpdateEvaluationAndEpisode() {
        TrainingConfig training = AgentCheckpointTest.training().toBuilder().pretrainEvaluationInterval(5)
                .finetuneEvaluationInterval(LineWorld.LENGTH).updatesPerEnvironmentStep(1).build();
        Agent agent = Agent.create(AgentCheckpointTest.config(), training, JAVA);
        List<UpdateResult> updates = new ArrayList<>();
        List<EvaluationResult> evaluations = new ArrayList<>();
        List<EpisodeResult> episodes = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onUpdate(Phase phase, long step, UpdateResult result) {
                updates.add(result);
            }

            @Override
            public void onEvaluation(EvaluationResult result) {
                evaluations.add(result);
            }

            @Override
            public void onEpisode(EpisodeResult result) {
                episodes.add(result);
            }
        };
        agent.pretrain(LineWorld.randomData(10, 4), 10, new LineWorld(), l);
        agent.finetune(null, new LineWorld(), new LineWorld(), 3 * LineWorld.LENGTH, l);
        assertEquals(10 + 3 * LineWorld.LENGTH, updates.size());
        assertEquals(2 + 3, evaluations.size());
        assertEquals(3, episodes.size());
        assertEquals(Phase.FINETUNE, evaluations.get(4).phase());
        EvaluationResult first = evaluations.get(0);
        assertEquals(2, first.episodes());
        assertTrue(first.averageReturn() < 0 && Double.isFinite(first.startQ())
                && Double.isFinite(first.realisedDiscountedReturn()));
        assertEquals(1.0 - episodes.stream().filter(EpisodeResult::success).count() / 3.0,
                episodes.get(2).cumulativeRegret(), 1e-12);
    }

    @Test
    void evaluatingOnTheTrainingEnvironmentItselfIsRejected() {
        Agent agent = Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
        LineWorld env = new LineWorld();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent.finetune(LineWorld.randomData(2, 1), env, env, 5, null));
        assertTrue(e.getMessage().contains("separate instance"), e.getMessage());
    }

    @Test
    void evaluationIsRepeatableAndDoesNotDisturbTraining() {
        Agent a = Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
        Agent b = Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
        OfflineDataset data = LineWorld.randomData(10, 5);
        a.pretrain(data, 5, null);
        b.pretrain(data, 5, null);
        EvaluationResult e1 = a.evaluate(new LineWorld(), Phase.PRETRAIN, 5);
        EvaluationResult e2 = a.evaluate(new LineWorld(), Phase.PRETRAIN, 5);
        assertEquals(e1, e2);
        a.pretrain(data, 5, null);
        b.pretrain(data, 5, null);
        AgentCheckpointTest.assertSameParameters(a, b);
    }

    @Test
    void concurrentActingMatchesSequentialActing() throws Exception {
        Agent agent = Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
        agent.pretrain(LineWorld.randomData(10, 6), 5, null);
        int n = 400;
        double[][] obs = new double[n][];
        double[][] expected = new double[n][];
        for (int i = 0; i < n; i++) {
            obs[i] = new double[] {-3 + 6.0 * i / n, (i % 10) / 10.0};
            expected[i] = agent.act(obs[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[][]>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    double[][] out = new double[n][];
                    for (int i = 0; i < n; i++) {
                        out[i] = agent.policy().act(obs[i]);
                    }
                    return out;
                }));
            }
            for (Future<double[][]> f : futures) {
                double[][] got = f.get();
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(expected[i], got[i]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void actionsStayInsideTheConfiguredRangeAndBadObservationsAreRejected() {
        Agent agent = Agent.create(AgentCheckpointTest.config().toBuilder().maxAction(0.5).build(), JAVA);
        double[] a = agent.act(new double[] {100, -100});
        assertTrue(Math.abs(a[0]) <= 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent.act(new double[] {0, Double.NaN}));
        assertTrue(e.getMessage().contains("observation[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> agent.act(new double[] {0}));
    }

    @Test
    void onlineSettingsSwitchCqlAlphaAndCalibration() {
        CalQlConfig config = AgentCheckpointTest.config();
        TrainingConfig training = AgentCheckpointTest.training().toBuilder().onlineCqlAlpha(1.0)
                .calibrateOnline(false).build();
        Agent agent = Agent.create(config, training, JAVA);
        agent.finetune(LineWorld.randomData(5, 7), new LineWorld(), 2, null);
        CalQlConfig online = agent.updateStep().config();
        assertEquals(1.0, online.cqlAlpha());
        assertEquals(org.calql.regularizer.Calibration.none(),
                ((org.calql.regularizer.CqlRegularizer) online.regularizer()).calibration());
        assertEquals(BoxSpace.uniform(1, -2, 2), new LineWorld().actionSpace());
    }
}
