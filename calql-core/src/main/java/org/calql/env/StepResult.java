package org.calql.env;

import java.util.Arrays;

/**
 * What {@link Environment#step(double[])} returns, in the Gymnasium convention.
 *
 * <p>{@code terminated} means the episode reached a true terminal state (no bootstrapping from
 * {@code observation}); {@code truncated} means it was cut off (a time limit), so the value of
 * {@code observation} still counts. {@code success} is the {@code info["success"]} flag (for a
 * goal-reaching task: the goal was reached on this step).
 *
 * @param observation the next observation (copied in and out, so a result is a value)
 * @param reward the reward of this step
 * @param terminated whether the episode ended in a terminal state
 * @param truncated whether the episode was cut off (e.g. a step limit)
 * @param success whether the task counts as solved on this step
 */
public record StepResult(double[] observation, double reward, boolean terminated, boolean truncated, boolean success) {

    /**
     * Validates and copies the observation.
     *
     * @throws IllegalArgumentException if the observation is null or the reward is NaN
     */
    public StepResult {
        if (observation == null) {
            throw new IllegalArgumentException("observation must not be null");
        }
        if (Double.isNaN(reward)) {
            throw new IllegalArgumentException("reward must not be NaN");
        }
        observation = observation.clone();
    }

    /** A copy of the next observation. */
    @Override
    public double[] observation() {
        return observation.clone();
    }

    /** Whether the episode is over, {@code terminated || truncated}. */
    public boolean done() {
        return terminated || truncated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepResult r && Arrays.equals(observation, r.observation)
                && Double.compare(reward, r.reward) == 0 && terminated == r.terminated
                && truncated == r.truncated && success == r.success;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(observation);
        h = 31 * h + Double.hashCode(reward);
        h = 31 * h + Boolean.hashCode(terminated);
        h = 31 * h + Boolean.hashCode(truncated);
        return 31 * h + Boolean.hashCode(success);
    }

    @Override
    public String toString() {
        return "StepResult[observation=" + Arrays.toString(observation) + ", reward=" + reward
                + ", terminated=" + terminated + ", truncated=" + truncated + ", success=" + success + "]";
    }
}
