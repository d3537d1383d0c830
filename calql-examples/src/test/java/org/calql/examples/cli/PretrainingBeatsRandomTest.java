package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.StepResult;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeLayout;
import org.calql.examples.env.PointMaze;
import org.calql.examples.env.RandomPolicy;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Backends;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * End to end: a short Cal-QL pre-training on behaviour data of a point maze gives a deterministic policy that
 * reaches the goal more often than uniformly random actions from the same start states.
 */
class PretrainingBeatsRandomTest {
    /** A short corridor: the goal is three cells from the start (about 30 steps at full speed). */
    static final MazeLayout CORRIDOR = new MazeLayout(
            "######",
            "#S..G#",
            "######");
    static final int MAX_STEPS = 100;
    static final int EPISODES = 30;

    @Test
    void shortPretrainingBeatsRandomActions() {
        PointMaze maze = new PointMaze(CORRIDOR, MAX_STEPS);
        OfflineDataset data = DatasetGenerator.pointMaze(maze, 100, 7);
        CalQlConfig config = CalQlConfig.builder().observationDim(2).actionDim(2).batchSize(64)
                .qHidden(32, 32).policyHidden(32, 32).cqlNActions(4).discount(0.97).tau(0.05).qfLr(1e-3)
                .policyLr(3e-4).regularizer(Regularizers.calQl()).seed(1).build();
        TrainingConfig training = TrainingConfig.builder().rewardScale(10).rewardBias(-5).sparseFailureReward(-5)
                .build();
        Agent agent = Agent.create(config, training, Backends.named("java"));
        agent.pretrain(data, Integer.getInteger("calql.e2e.steps", 1500), null);

        SplittableRandom seeds = new SplittableRandom(2024);
        RandomPolicy random = new RandomPolicy(maze.actionSpace());
        SplittableRandom randomActions = new SplittableRandom(99);
        int learned = 0;
        int baseline = 0;
        for (int e = 0; e < EPISODES; e++) {
            long start = seeds.nextLong();
            if (rollout(maze, start, obs -> agent.act(obs))) {
                learned++;
            }
            if (rollout(maze, start, obs -> random.act(obs, randomActions))) {
                baseline++;
            }
        }
        String msg = "successes out of " + EPISODES + ": pre-trained policy " + learned + ", random " + baseline;
        System.out.println(msg);
        assertTrue(learned >= baseline + EPISODES / 3, msg);
    }

    private static boolean rollout(PointMaze maze, long seed, java.util.function.Function<double[], double[]> policy) {
        double[] obs = maze.reset(seed);
        for (int t = 0; t < MAX_STEPS; t++) {
            StepResult r = maze.step(maze.actionSpace().clip(policy.apply(obs)));
            if (r.success()) {
                return true;
            }
            if (r.done()) {
                return false;
            }
            obs = r.observation();
        }
        return false;
    }
}
