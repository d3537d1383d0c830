package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.data.ReplayBuffer;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.train.EpisodeResult;
import org.calql.train.Trainer;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning loop under faults and bad input: what the trainer refuses, and what it leaves behind. */
class TrainerRobustnessTest {
    private static final Backend JAVA = Backends.named("java");

    private static CalQlConfig config() {
        return CalQlConfig.builder().observationDim(2).actionDim(1).maxAction(1.0).batchSize(8).cqlNActions(2)
                .qHidden(8).policyHidden(8).seed(5).build();
    }

    private static Agent agent(TrainingConfig training) {
        return Agent.create(config(), training, JAVA);
    }

    /** An environment that never ends an episode by itself, and can be told to fail or return bad values. */
    static final class EndlessWorld implements Environment {
        int failAtStep = -1;
        boolean nanReset;
        boolean nullStep;
        int steps;

        @Override
        public int observationDim() {
            return 2;
        }

        @Override
        public BoxSpace actionSpace() {
            return BoxSpace.uniform(1, -1, 1);
        }

        @Override
        public double[] reset(long seed) {
            return nanReset ? new double[] {Double.NaN, 0} : new double[] {0, 0};
        }

        @Override
        public StepResult step(double[] action) {
            steps++;
            if (steps == failAtStep) {
                throw new IllegalStateException("simulator crashed");
            }
            if (nullStep) {
                return null;
            }
            return new StepResult(new double[] {action[0], steps % 7}, steps % 3 == 0 ? 1.0 : 0.0, false, false,
                    false);
        }
    }

    @Test
    void anEnvironmentThatNeverEndsEpisodesIsTruncatedAtTheCap() {
        Agent agent = agent(TrainingConfig.builder().maxEpisodeSteps(25).build());
        int[] lengths = new int[1];
        int[] episodes = new int[1];
        agent.finetune(new EndlessWorld(), 100, new TrainingListener() {
            @Override
            public void onEpisode(EpisodeResult r) {
                episodes[0]++;
                lengths[0] = Math.max(lengths[0], r.length());
            }
        });
        assertEquals(4, episodes[0], "100 steps of 25-step episodes");
        assertEquals(25, lengths[0]);
        ReplayBuffer replay = agent.trainingState().replay();
        assertEquals(100, replay.size());
        assertEquals(0, replay.pendingSize());
    }

    @Test
    void aFailureMidEpisodeClosesTheEpisodeAndNamesTheCall() {
        Agent agent = agent(TrainingConfig.builder().maxEpisodeSteps(50).build());
        EndlessWorld world = new EndlessWorld();
        world.failAtStep = 30;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> agent.finetune(world, 100, null));
        assertTrue(e.getMessage().contains("EndlessWorld.step at fine-tuning step 30 (step 30 of its episode)")
                && e.getMessage().contains("simulator crashed"), e.getMessage());
        ReplayBuffer replay = agent.trainingState().replay();
        assertEquals(0, replay.pendingSize(), "no step is left staged for the next call to continue");
        assertEquals(29, replay.size(), "the 29 steps before the failure were closed as a data break");
        double[] returns = replay.exportState().returnsToGo();
        // a closed 29-step episode: its last step's return is its own reward only (no continuation)
        assertEquals(replay.reward(28), returns[28], 1e-6);
    }

    @Test
    void badEnvironmentReturnsAreNamed() {
        EndlessWorld nan = new EndlessWorld();
        nan.nanReset = true;
        IllegalStateException a = assertThrows(IllegalStateException.class,
                () -> agent(TrainingConfig.defaults()).finetune(nan, 5, null));
        assertTrue(a.getMessage().contains("EndlessWorld.reset(") && a.getMessage().contains("observation[0] = NaN"),
                a.getMessage());
        EndlessWorld nulls = new EndlessWorld();
        nulls.nullStep = true;
        IllegalStateException b = assertThrows(IllegalStateException.class,
                () -> agent(TrainingConfig.defaults()).finetune(nulls, 5, null));
        assertTrue(b.getMessage().contains("EndlessWorld.step at fine-tuning step 1 (step 1 of its episode) returned null"),
                b.getMessage());
    }

    @Test
    void datasetActionsOutsideThePolicyRangeAreRefused() {
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1);
        for (int t = 0; t < 10; t++) {
            b.step(new double[] {t, 0}, new double[] {t == 7 ? 3.5 : 0.1}, 0, new double[] {t + 1, 0}, false,
                    t == 9);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent(TrainingConfig.defaults()).pretrain(b.build(), 1, null));
        assertTrue(e.getMessage().contains("1 values do not, the first at transition 7, action[0] = 3.5"),
                e.getMessage());
    }

    @Test
    void actRefusesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent(TrainingConfig.defaults()).act(null));
        assertEquals("observation must not be null", e.getMessage());
    }

    @Test
    void resumingNeedsTheOfflineDataItTrainedOn(@TempDir Path dir) throws IOException {
        OfflineDataset data = LineWorld.randomData(6, 3);
        Agent trained = Agent.create(config(), TrainingConfig.defaults(), JAVA);
        trained.pretrain(data, 5, null);
        trained.save(dir);

        Agent loaded = Agent.load(dir, JAVA);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> loaded.finetune(new LineWorld(), 10, null));
        assertTrue(none.getMessage().contains("which a checkpoint does not hold: pass that dataset"), none.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> loaded.finetune(LineWorld.randomData(6, 4), new LineWorld(), 10, null));
        assertTrue(other.getMessage().contains("but the given dataset is"), other.getMessage());

        // with its own data it resumes, and as the uninterrupted agent does
        loaded.finetune(data, new LineWorld(), 20, null);
        trained.finetune(data, new LineWorld(), 20, null);
        assertEquals(StateFingerprint.of(trained), StateFingerprint.of(loaded));
    }

    @Test
    void aUsersTransitionStoreMustFitTheAgent() {
        Agent agent = agent(TrainingConfig.defaults());
        ReplayBuffer wrong = new ReplayBuffer(10, 3, 1, new org.calql.data.RewardTransform(1, 0), 0.99,
                java.util.OptionalDouble.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(agent).transitionStore(wrong));
        assertTrue(e.getMessage().contains("transition store has observationDim 3"), e.getMessage());
    }

    @Test
    void everyTrainingSettingSurvivesACheckpoint(@TempDir Path dir) throws IOException {
        TrainingConfig training = TrainingConfig.builder().maxEpisodeSteps(77)
                .updateSchedule(org.calql.train.UpdateSchedule.PER_EPISODE).onlineConservative(false)
                .evaluateAtPhaseBoundaries(true).resetCriticOptimizerOnline(true).endEpisodeAtSuccess(true)
                .divergenceThreshold(123.0).divergenceAction(org.calql.train.DivergenceAction.STOP).build();
        Agent.create(config(), training, JAVA).save(dir);
        assertEquals(training.toString(), Agent.load(dir, JAVA).trainingConfig().toString());
    }
}
