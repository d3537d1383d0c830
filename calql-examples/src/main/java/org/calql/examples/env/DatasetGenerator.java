package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.data.OfflineDataset;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * Rolls a {@link BehaviourPolicy} out in an {@link Environment} and makes offline datasets,
 * deterministically: the same environment settings, policy settings, episode count and seed give
 * the same bits. One {@link SplittableRandom} is made from the seed; each episode takes a reset seed
 * ({@code nextLong()}) and a split generator for the policy, in order.
 *
 * <p>The ready-made datasets: {@link #pointMaze} (the wandering behaviour in the U-maze) and
 * {@link #pendulum} (the noisy swing-up controller).
 */
public final class DatasetGenerator {
    private DatasetGenerator() {
    }

    /**
     * Runs {@code episodes} episodes, each until terminated or truncated (or the environment's step
     * limit, whichever comes first).
     *
     * @throws IllegalArgumentException if an argument is null or {@code episodes < 1}
     */
    public static Rollouts rollout(Environment env, BehaviourPolicy policy, int episodes, long seed) {
        if (env == null || policy == null) {
            throw new IllegalArgumentException("environment and policy must not be null");
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, found " + episodes);
        }
        int obsDim = env.observationDim();
        if (!(env.actionSpace() instanceof BoxSpace box)) {
            throw new IllegalArgumentException("rollout needs a box action space, found " + env.actionSpace());
        }
        int actDim = box.dim();
        int limit = env.maxEpisodeSteps();
        int expected = limit == Integer.MAX_VALUE ? 1024 : (int) Math.min(1L << 24, (long) limit * episodes);
        OfflineDataset.Builder transitions = OfflineDataset.builder(obsDim, actDim, Math.max(16, expected));
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        boolean[] successes = new boolean[episodes];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int e = 0; e < episodes; e++) {
            long resetSeed = rng.nextLong();
            SplittableRandom policyRng = rng.split();
            double[] obs = env.reset(resetSeed);
            policy.startEpisode(obs.clone(), policyRng);
            int steps = 0;
            while (true) {
                double[] action = box.clip(policy.act(obs.clone(), policyRng));
                StepResult r = env.step(action);
                steps++;
                boolean end = r.done() || steps >= limit;
                double[] next = r.observation();
                transitions.step(obs, action, r.reward(), next, r.terminated(), end);
                returns[e] += r.reward();
                successes[e] |= r.success();
                obs = next;
                if (end) {
                    break;
                }
            }
            lengths[e] = steps;
        }
        return new Rollouts(transitions.build(), box, returns, lengths, successes);
    }

    /**
     * A dataset of the wandering behaviour ({@link MazeWanderer}, default settings) in
     * {@code maze}; rewards are raw (1 at the goal, else 0).
     */
    public static OfflineDataset pointMaze(PointMaze maze, int episodes, long seed) {
        return rollout(maze, new MazeWanderer(maze), episodes, seed).toDataset();
    }

    /**
     * A dataset of the noisy swing-up controller ({@link PendulumBehaviour}, default settings);
     * actions are stored divided by the torque bound, in {@code [-1, 1]}.
     */
    public static OfflineDataset pendulum(int episodes, long seed) {
        return rollout(new Pendulum(), new PendulumBehaviour(), episodes, seed).toDataset();
    }
}
