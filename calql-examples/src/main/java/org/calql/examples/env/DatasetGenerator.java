package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionSpace;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * Rolls a {@link BehaviourPolicy} out in an {@link Environment} and makes offline datasets,
 * deterministically: the same environment settings, policy settings, episode count and seed give
 * the same bits. One {@link SplittableRandom} is made from the seed; each episode takes a reset seed
 * ({@code nextLong()}) and a split generator for the policy, in order.
 *
 * <p>Both kinds of action space are rolled out: a box action is clipped into the box
 * ({@link BoxSpace#clip}) before it is executed and stored; a discrete action must be one entry holding an index in
 * {@code [0, n)} ({@link DiscreteSpace#index}) and is stored as that index.
 *
 * <p>The ready-made datasets: {@link #pointMaze} (the wandering behaviour in the U-maze), {@link #pendulum} (the
 * noisy swing-up controller), {@link #mountainCar} (the noisy, sometimes lazy energy pumping; discrete) and
 * {@link #discretePointMaze} (the wandering behaviour with compass actions; discrete).
 */
public final class DatasetGenerator {
    private DatasetGenerator() {
    }

    /**
     * Runs {@code episodes} episodes, each until terminated or truncated (or the environment's step
     * limit, whichever comes first).
     *
     * @throws IllegalArgumentException if an argument is null or {@code episodes < 1}, or if the policy returns an
     *     action the action space refuses (the message names the episode and step)
     */
    public static Rollouts rollout(Environment env, BehaviourPolicy policy, int episodes, long seed) {
        if (env == null || policy == null) {
            throw new IllegalArgumentException("environment and policy must not be null");
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, found " + episodes);
        }
        int obsDim = env.observationDim();
        ActionSpace space = env.actionSpace();
        if (space == null) {
            throw new IllegalArgumentException("the environment's action space must not be null");
        }
        int actDim = space.dim();
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
                double[] action = executable(space, policy.act(obs.clone(), policyRng), e, steps);
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
        return new Rollouts(transitions.build(), space, returns, lengths, successes);
    }

    /** The action as executed: clipped into a box, or checked to be an index of a discrete space. */
    private static double[] executable(ActionSpace space, double[] action, int episode, int step) {
        try {
            if (space instanceof DiscreteSpace d) {
                return new double[] {d.index(action)};
            }
            return ((BoxSpace) space).clip(action);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("the behaviour policy's action in episode " + episode + ", step "
                    + step + " is not in " + space + ": " + ex.getMessage(), ex);
        }
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

    /**
     * A dataset of MountainCar's behaviour ({@link MountainCarBehaviour}, default mix); actions are the indices
     * {@code 0, 1, 2} in a one-wide action column, rewards raw ({@code −1} per step).
     *
     * @throws IllegalArgumentException if {@code episodes < 1}
     */
    public static OfflineDataset mountainCar(int episodes, long seed) {
        return mountainCar(new MountainCarBehaviour(), episodes, seed);
    }

    /**
     * A dataset of MountainCar's behaviour with the given mix (for example
     * {@code new MountainCarBehaviour(0.3, 0.5, 0.9)}); actions are the indices {@code 0, 1, 2} in a one-wide action
     * column, rewards raw ({@code −1} per step).
     *
     * @throws IllegalArgumentException if {@code behaviour} is null or {@code episodes < 1}
     */
    public static OfflineDataset mountainCar(MountainCarBehaviour behaviour, int episodes, long seed) {
        return rollout(new MountainCar(), behaviour, episodes, seed).toDataset();
    }

    /**
     * A dataset of the wandering behaviour ({@link MazeWanderer} over {@code maze.maze()}, default settings) made
     * discrete by {@link DiscretePointMaze#discretized}: actions are direction indices in a one-wide action column,
     * rewards raw (1 at the goal, else 0).
     *
     * @throws IllegalArgumentException if {@code maze} is null or {@code episodes < 1}
     */
    public static OfflineDataset discretePointMaze(DiscretePointMaze maze, int episodes, long seed) {
        if (maze == null) {
            throw new IllegalArgumentException("maze must not be null");
        }
        return rollout(maze, maze.discretized(new MazeWanderer(maze.maze())), episodes, seed).toDataset();
    }
}
