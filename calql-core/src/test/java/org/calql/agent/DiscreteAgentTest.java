package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.calql.data.OfflineDataset;
import org.calql.data.ReplayBuffer;
import org.calql.discrete.DiscreteConfig;
import org.calql.env.DiscreteSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.policy.LinearDecay;
import org.calql.spi.Backends;
import org.calql.train.EpisodeResult;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;

/** The discrete agent on the shared trainer: offline, online, evaluation, determinism, refusals. */
class DiscreteAgentTest {
    /**
     * A chain of 8 cells: action 2 steps right, 0 left, 1 stays; reward 1 and termination at the right end, 0
     * elsewhere; 20-step episodes from cell 0..2. One-hot-free observation {@code [position / 7, t / 20]}.
     */
    static final class Chain implements Environment {
        int position;
        int t;

        @Override
        public int observationDim() {
            return 2;
        }

        @Override
        public DiscreteSpace actionSpace() {
            return new DiscreteSpace(3);
        }

        @Override
        public int maxEpisodeSteps() {
            return 20;
        }

        @Override
        public double[] reset(long seed) {
            position = new SplittableRandom(seed).nextInt(3);
            t = 0;
            return obs();
        }

        @Override
        public StepResult step(double[] action) {
            int a = actionSpace().index(action);
            position = Math.max(0, Math.min(7, position + a - 1));
            t++;
            boolean goal = position == 7;
            return new StepResult(obs(), goal ? 1.0 : 0.0, goal, !goal && t >= 20, goal);
        }

        private double[] obs() {
            return new double[] {position / 7.0, t / 20.0};
        }
    }

    /** Behaviour: right with probability {@code pRight}, else uniformly random. */
    static OfflineDataset behaviour(int episodes, double pRight, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Chain env = new Chain();
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1);
        for (int e = 0; e < episodes; e++) {
            double[] obs = env.reset(rng.nextLong());
            while (true) {
                int a = rng.nextDouble() < pRight ? 2 : rng.nextInt(3);
                StepResult r = env.step(new double[] {a});
                b.step(obs, new double[] {a}, r.reward(), r.observation(), r.terminated(), r.truncated());
                if (r.done()) {
                    break;
                }
                obs = r.observation();
            }
        }
        return b.build();
    }

    private static DiscreteConfig config(long seed) {
        return DiscreteConfig.builder().observationDim(2).numActions(3).batchSize(32).criticHidden(32, 32)
                .criticCount(2).lr(1e-3).discount(0.9).targetUpdatePeriod(1).tau(0.05).cqlAlpha(1.0).seed(seed)
                .build();
    }

    private static DiscreteAgent agent(long seed) {
        return DiscreteAgent.create(config(seed), TrainingConfig.builder().normalizeObservations(false).build(),
                new LinearDecay(0.5, 0.05, 200), Backends.named("java"));
    }

    private static double successRate(DiscreteAgent agent, int episodes) {
        Chain env = new Chain();
        int ok = 0;
        for (int e = 0; e < episodes; e++) {
            double[] obs = env.reset(1000 + e);
            for (int t = 0; t < 20; t++) {
                StepResult r = env.step(new double[] {agent.act(obs)});
                if (r.success()) {
                    ok++;
                    break;
                }
                if (r.done()) {
                    break;
                }
                obs = r.observation();
            }
        }
        return (double) ok / episodes;
    }

    @Test
    void offlineTrainingBeatsTheBehaviourData() {
        OfflineDataset data = behaviour(60, 0.3, 4);
        int successes = 0;
        int[] lengths = data.episodeLengths();
        int[] starts = data.episodeStarts();
        for (int e = 0; e < starts.length; e++) {
            if (data.isTerminal(starts[e] + lengths[e] - 1)) {
                successes++;
            }
        }
        double behaviourRate = (double) successes / starts.length;
        DiscreteAgent agent = agent(1);
        agent.pretrain(data, 1500, null);
        double learned = successRate(agent, 30);
        assertTrue(learned > behaviourRate + 0.2, "greedy " + learned + " vs behaviour episodes " + behaviourRate);
    }

    @Test
    void finetuningRunsOnTheSharedTrainerWithEpsilonGreedyAndEvaluation() {
        OfflineDataset data = behaviour(30, 0.3, 5);
        DiscreteAgent agent = agent(2);
        agent.pretrain(data, 200, null);
        List<EpisodeResult> episodes = new ArrayList<>();
        List<UpdateResult> updates = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpisode(EpisodeResult r) {
                episodes.add(r);
            }

            @Override
            public void onUpdate(Phase phase, long step, UpdateResult r) {
                if (phase == Phase.FINETUNE) {
                    updates.add(r);
                }
            }
        };
        agent.finetune(data, new Chain(), 300, listener);
        ReplayBuffer replay = agent.trainingState().replay();
        assertEquals(300, replay.size() + replay.pendingSize());
        assertEquals(300, updates.size(), "one update per step (UTD 1)");
        assertTrue(episodes.size() >= 15, "20-step episodes at most: " + episodes.size());
        UpdateResult r = updates.get(updates.size() - 1);
        assertTrue(Double.isFinite(r.tdLoss()[0]) && Double.isNaN(r.policyLoss()), r.toString());
        EvaluationResult eval = agent.evaluate(new Chain(), Phase.FINETUNE, 300);
        assertTrue(eval.successRate() >= 0 && eval.successRate() <= 1 && Double.isFinite(eval.startQ()));
    }

    @Test
    void theSameSeedGivesTheSameBits() {
        OfflineDataset data = behaviour(20, 0.3, 6);
        DiscreteAgent a = agent(3);
        DiscreteAgent b = agent(3);
        for (DiscreteAgent x : new DiscreteAgent[] {a, b}) {
            x.pretrain(data, 50, null);
            x.finetune(data, new Chain(), 60, null);
        }
        for (int k = 0; k < 2; k++) {
            double[][] pa = a.critics().critic(k).exportParameters();
            double[][] pb = b.critics().critic(k).exportParameters();
            for (int i = 0; i < pa.length; i++) {
                assertArrayEquals(pa[i], pb[i], 0.0);
            }
        }
    }

    @Test
    void refusesActionsThatAreNotIndicesAndBoxEnvironments() {
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1);
        for (int t = 0; t < 5; t++) {
            b.step(new double[] {t, 0}, new double[] {t == 3 ? 1.5 : 1}, 0, new double[] {t + 1, 0}, false, t == 4);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent(1).pretrain(b.build(), 1, null));
        assertTrue(e.getMessage().contains("must be indices in [0, 3); 1 are not, the first at transition 3: 1.5"),
                e.getMessage());
        IllegalArgumentException box = assertThrows(IllegalArgumentException.class,
                () -> agent(1).finetune(null, new LineWorld(), 5, null));
        assertTrue(box.getMessage().contains("chooses among 3 actions"), box.getMessage());
    }
}
