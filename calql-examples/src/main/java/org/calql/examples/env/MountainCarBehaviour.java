package org.calql.examples.env;

import java.util.SplittableRandom;

/**
 * MountainCar's behaviour policy: an energy-pumping controller made of mixed quality by random actions and lazy
 * episodes, so that its data holds fast successes, slow successes and time-outs.
 *
 * <p>The controller pushes in the direction of the velocity, which adds the engine's work to the car's energy on
 * every step: {@link MountainCar#PUSH_RIGHT} if {@code v > 0}, {@link MountainCar#PUSH_LEFT} if {@code v < 0}, and at
 * rest ({@code v = 0}, at the start and at the left wall) the way gravity will move the car: right if the car is left
 * of the valley floor {@code −π/6}, else left. Alone it reaches the goal in every episode, in about 115 steps on
 * average.
 *
 * <p>Each episode is <i>lazy</i> with probability {@code lazyEpisodeProbability} (drawn in
 * {@link #startEpisode}); in a lazy episode the car coasts ({@link MountainCar#NO_PUSH}) instead of following the
 * controller with probability {@code lazyCoastProbability} per step. Then, in every episode, the action is replaced by
 * a uniformly random one of the three with probability {@code randomActionProbability}. The defaults
 * ({@value #DEFAULT_RANDOM_ACTION_PROBABILITY}, {@value #DEFAULT_LAZY_EPISODE_PROBABILITY},
 * {@value #DEFAULT_LAZY_COAST_PROBABILITY}) give about half the episodes a success, most of them between 100 and 175
 * steps, and the rest a time-out at 200 steps (measured in {@code MountainCarBehaviourTest}).
 */
public final class MountainCarBehaviour implements BehaviourPolicy {
    /** Default probability of a uniformly random action on each step. */
    public static final double DEFAULT_RANDOM_ACTION_PROBABILITY = 0.2;
    /** Default probability that an episode is lazy. */
    public static final double DEFAULT_LAZY_EPISODE_PROBABILITY = 0.5;
    /** Default probability, in a lazy episode, of coasting instead of following the controller. */
    public static final double DEFAULT_LAZY_COAST_PROBABILITY = 0.9;

    private final double randomActionProbability;
    private final double lazyEpisodeProbability;
    private final double lazyCoastProbability;
    private boolean lazy;

    /** The behaviour with the default mix. */
    public MountainCarBehaviour() {
        this(DEFAULT_RANDOM_ACTION_PROBABILITY, DEFAULT_LAZY_EPISODE_PROBABILITY, DEFAULT_LAZY_COAST_PROBABILITY);
    }

    /**
     * A behaviour with the given mix; {@code (0, 0, 0)} is the noiseless controller.
     *
     * @throws IllegalArgumentException if a probability is outside {@code [0, 1]} (NaN included), naming it
     */
    public MountainCarBehaviour(double randomActionProbability, double lazyEpisodeProbability,
            double lazyCoastProbability) {
        this.randomActionProbability = requireProbability("randomActionProbability", randomActionProbability);
        this.lazyEpisodeProbability = requireProbability("lazyEpisodeProbability", lazyEpisodeProbability);
        this.lazyCoastProbability = requireProbability("lazyCoastProbability", lazyCoastProbability);
    }

    private static double requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], found " + p);
        }
        return p;
    }

    /** The probability of a uniformly random action on each step. */
    public double randomActionProbability() {
        return randomActionProbability;
    }

    /** The probability that an episode is lazy. */
    public double lazyEpisodeProbability() {
        return lazyEpisodeProbability;
    }

    /** The probability, in a lazy episode, of coasting instead of following the controller. */
    public double lazyCoastProbability() {
        return lazyCoastProbability;
    }

    /**
     * The noiseless controller's action for an observation {@code (position, velocity)}: push with the velocity, or
     * at rest the way gravity pulls.
     *
     * @throws IllegalArgumentException if the observation is not two values
     */
    public static int controllerAction(double[] observation) {
        if (observation == null || observation.length != 2) {
            throw new IllegalArgumentException("a mountain car observation is (position, velocity), found "
                    + (observation == null ? "null" : observation.length + " values"));
        }
        double velocity = observation[1];
        if (velocity > 0) {
            return MountainCar.PUSH_RIGHT;
        }
        if (velocity < 0) {
            return MountainCar.PUSH_LEFT;
        }
        return observation[0] < MountainCar.VALLEY_FLOOR ? MountainCar.PUSH_RIGHT : MountainCar.PUSH_LEFT;
    }

    /** Draws whether this episode is lazy (one {@code nextDouble()} from {@code rng}). */
    @Override
    public void startEpisode(double[] firstObservation, SplittableRandom rng) {
        lazy = rng.nextDouble() < lazyEpisodeProbability;
    }

    /** Whether the current episode is lazy. */
    public boolean lazy() {
        return lazy;
    }

    @Override
    public double[] act(double[] observation, SplittableRandom rng) {
        int a = controllerAction(observation);
        if (lazy && rng.nextDouble() < lazyCoastProbability) {
            a = MountainCar.NO_PUSH;
        }
        if (rng.nextDouble() < randomActionProbability) {
            a = rng.nextInt(3);
        }
        return new double[] {a};
    }
}
