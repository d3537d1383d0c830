package org.calql.env;

/**
 * An episodic environment in the Gymnasium convention, with a continuous box or a discrete action space.
 *
 * <p>Use: {@code double[] obs = env.reset(seed);} then {@code env.step(action)} until the result is
 * {@link StepResult#done() done}, then {@code reset} again. An environment is deterministic given
 * the seed of {@code reset} and the actions; all its randomness comes from that seed. Instances are
 * stateful and not thread-safe: use one per thread.
 *
 * <p>Actions are in the environment's units, inside {@link #actionSpace()}. In a {@link BoxSpace}, a policy acting
 * in {@code [-maxAction, maxAction]} maps its actions with {@link ActionScaling}; implementations reject an action of
 * the wrong length or with a non-finite entry ({@link BoxSpace#requireValid(double[])}) and clip finite actions into
 * the box. In a {@link DiscreteSpace} an action is one entry holding the index
 * ({@link DiscreteSpace#index(double[])} reads and checks it).
 */
public interface Environment {

    /** Width of an observation. */
    int observationDim();

    /** The action space, in the environment's units. */
    ActionSpace actionSpace();

    /** Width of an action, {@code actionSpace().dim()}. */
    default int actionDim() {
        return actionSpace().dim();
    }

    /**
     * The step limit after which an episode is truncated, or {@code Integer.MAX_VALUE} if none.
     */
    default int maxEpisodeSteps() {
        return Integer.MAX_VALUE;
    }

    /**
     * Starts a new episode; all randomness of the episode's start comes from {@code seed}.
     *
     * @return the first observation, of length {@link #observationDim()} (a fresh array)
     */
    double[] reset(long seed);

    /**
     * Applies one action.
     *
     * @param action an action of length {@link #actionDim()}, finite; clipped into the action space
     * @return the next observation, the reward, and whether the episode terminated or was truncated
     * @throws IllegalArgumentException if the action has the wrong length or a non-finite entry
     * @throws IllegalStateException if called before {@link #reset(long)} or after the episode ended
     */
    StepResult step(double[] action);
}
