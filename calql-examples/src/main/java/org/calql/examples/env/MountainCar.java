package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.env.DiscreteSpace;
import org.calql.env.ResettableToState;
import org.calql.env.StepResult;

/**
 * The classic sparse-reward exploration task, with Gymnasium's {@code MountainCar-v0} dynamics, reward and step
 * limit: a car in a valley whose engine is too weak to climb the right hill directly, so it must rock back and forth
 * to build up momentum.
 *
 * <p>The facts below are copied from Gymnasium's {@code gymnasium/envs/classic_control/mountain_car.py}
 * ({@code MountainCarEnv}, after Moore 1990, <i>Efficient Memory-based Learning for Robot Control</i>, Cambridge
 * TR-209) and its registration in {@code gymnasium/envs/__init__.py} ({@code max_episode_steps=200}):
 *
 * <ul>
 *   <li>State and observation: {@code (position, velocity)}, position in {@code [−1.2, 0.6]}, velocity in
 *       {@code [−0.07, 0.07]}.
 *   <li>Action: {@code Discrete(3)}; {@value #PUSH_LEFT} pushes left, {@value #NO_PUSH} does not push,
 *       {@value #PUSH_RIGHT} pushes right.
 *   <li>Step, with {@code force = 0.001} and {@code gravity = 0.0025}, evaluated in this order:
 *       {@code v' = clip(v + ((a − 1)·force + cos(3p)·(−gravity)), −0.07, 0.07)},
 *       {@code p' = clip(p + v', −1.2, 0.6)}, and if {@code p' == −1.2 && v' < 0} then {@code v' = 0} (the inelastic
 *       left wall).
 *   <li>Reward: {@code −1} on every step.
 *   <li>Terminated when {@code p' ≥ 0.5} (the goal position) and {@code v' ≥ 0} (the default goal velocity); that step
 *       has the success flag. Otherwise truncated after {@value #MAX_STEPS} steps (a terminal step at the limit counts
 *       as terminated, not truncated, as in {@link PointMaze}).
 *   <li>Reset: {@code p ~ U(−0.6, −0.4)} and {@code v = 0}, from the seed's {@link SplittableRandom}.
 * </ul>
 *
 * <p>Gymnasium casts the observation it returns to {@code float32} while keeping the state in {@code float64}; here
 * state and observation are the same {@code double}s (datasets store them as {@code float}). The valley's floor is at
 * {@code p = −π/6}, where the track height {@code 0.45 sin(3p) + 0.55} is lowest and gravity's term vanishes. The
 * cosine is {@link StrictMath#cos} (fdlibm), so the bits do not depend on the JVM or the CPU.
 *
 * <p>An action is one entry holding the index ({@link DiscreteSpace#index(double[])}); anything else (a fraction,
 * a value outside {@code [0, 3)}, NaN, the wrong length) is refused with the value named.
 */
public final class MountainCar implements ResettableToState {
    /** Step limit (Gymnasium's TimeLimit for MountainCar-v0). */
    public static final int MAX_STEPS = 200;
    /** Action index: accelerate to the left. */
    public static final int PUSH_LEFT = 0;
    /** Action index: do not accelerate. */
    public static final int NO_PUSH = 1;
    /** Action index: accelerate to the right. */
    public static final int PUSH_RIGHT = 2;
    /** Lowest position (the left wall). */
    public static final double MIN_POSITION = -1.2;
    /** Highest position. */
    public static final double MAX_POSITION = 0.6;
    /** Speed bound: the velocity is clipped to {@code [−MAX_SPEED, MAX_SPEED]}. */
    public static final double MAX_SPEED = 0.07;
    /** The goal: terminated once the position reaches it (with velocity at least {@link #GOAL_VELOCITY}). */
    public static final double GOAL_POSITION = 0.5;
    /** The velocity the goal requires (Gymnasium's default {@code goal_velocity=0}). */
    public static final double GOAL_VELOCITY = 0.0;
    /** The engine's acceleration per step for a push. */
    public static final double FORCE = 0.001;
    /** The gravity constant in {@code −cos(3p)·gravity}. */
    public static final double GRAVITY = 0.0025;
    /** Reset positions are drawn from {@code [RESET_LOW, RESET_HIGH)}. */
    public static final double RESET_LOW = -0.6;
    /** Upper bound of the reset position. */
    public static final double RESET_HIGH = -0.4;
    /** The valley floor, {@code −π/6}: the lowest point of the track. */
    public static final double VALLEY_FLOOR = -Math.PI / 6;

    private static final DiscreteSpace ACTION_SPACE = new DiscreteSpace(3);

    private double position = Double.NaN;
    private double velocity = Double.NaN;
    private int steps;
    private boolean done = true;

    /** A mountain car; call {@link #reset(long)} before stepping. */
    public MountainCar() {
    }

    @Override
    public int observationDim() {
        return 2;
    }

    @Override
    public DiscreteSpace actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public int maxEpisodeSteps() {
        return MAX_STEPS;
    }

    @Override
    public double[] reset(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return resetTo(rng.nextDouble(RESET_LOW, RESET_HIGH), 0.0);
    }

    /**
     * Starts an episode in the state {@code (position, velocity)} an observation holds (for rollouts from dataset
     * states); the dynamics are deterministic, so {@code seed} is unused.
     *
     * @throws IllegalArgumentException if the observation is not of length 2 or as {@link #resetTo(double, double)}
     */
    @Override
    public double[] resetTo(double[] observation, long seed) {
        if (observation == null || observation.length != 2) {
            throw new IllegalArgumentException("a mountain car observation has length 2, found "
                    + (observation == null ? "null" : observation.length));
        }
        return resetTo(observation[0], observation[1]);
    }

    /**
     * Starts an episode in a given state (for tests and diagnostics).
     *
     * @return the first observation
     * @throws IllegalArgumentException if the position is not in {@code [−1.2, 0.6]} or the velocity not in
     *     {@code [−0.07, 0.07]} (NaN included)
     */
    public double[] resetTo(double position, double velocity) {
        if (!(position >= MIN_POSITION && position <= MAX_POSITION)) {
            throw new IllegalArgumentException("mountain car position must be in [" + MIN_POSITION + ", "
                    + MAX_POSITION + "], found " + position);
        }
        if (!(velocity >= -MAX_SPEED && velocity <= MAX_SPEED)) {
            throw new IllegalArgumentException("mountain car velocity must be in [" + -MAX_SPEED + ", " + MAX_SPEED
                    + "], found " + velocity);
        }
        this.position = position;
        this.velocity = velocity;
        this.steps = 0;
        this.done = false;
        return observation();
    }

    /** The current position. */
    public double position() {
        return position;
    }

    /** The current velocity. */
    public double velocity() {
        return velocity;
    }

    /**
     * Applies one push.
     *
     * @param action one entry holding {@link #PUSH_LEFT}, {@link #NO_PUSH} or {@link #PUSH_RIGHT}
     * @throws IllegalArgumentException if the action is not one index in {@code [0, 3)}
     * @throws IllegalStateException if called before {@link #reset(long)} or after the episode ended
     */
    @Override
    public StepResult step(double[] action) {
        int a = ACTION_SPACE.index(action);
        if (done) {
            throw new IllegalStateException(Double.isNaN(position)
                    ? "step called before reset" : "step called after the episode ended; call reset first");
        }
        double v = velocity + ((a - 1) * FORCE + StrictMath.cos(3 * position) * (-GRAVITY));
        v = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, v));
        double p = Math.max(MIN_POSITION, Math.min(MAX_POSITION, position + v));
        if (p == MIN_POSITION && v < 0) {
            v = 0;
        }
        position = p;
        velocity = v;
        steps++;
        boolean terminated = p >= GOAL_POSITION && v >= GOAL_VELOCITY;
        boolean truncated = !terminated && steps >= MAX_STEPS;
        done = terminated || truncated;
        return new StepResult(observation(), -1.0, terminated, truncated, terminated);
    }

    private double[] observation() {
        return new double[] {position, velocity};
    }
}
