package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * The classic dense-reward pendulum swing-up, with Gymnasium's {@code Pendulum-v1} dynamics.
 *
 * <ul>
 *   <li>State: angle {@code θ} (0 = upright) and angular velocity {@code θ̇}; observation
 *       {@code (cos θ, sin θ, θ̇)}.
 *   <li>Action: torque {@code u} in {@code [-2, 2]}, clipped.
 *   <li>Step ({@code g = 10, m = l = 1, dt = 0.05}):
 *       {@code θ̇' = clip(θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt, -8, 8)}, {@code θ' = θ + θ̇' dt}.
 *   <li>Reward: {@code −(norm(θ)² + 0.1 θ̇² + 0.001 u²)} on the state before the step, with
 *       {@code norm} wrapping the angle into {@code [−π, π)}; between about −16.3 and 0.
 *   <li>Never terminates; truncated after {@value #MAX_STEPS} steps. The success flag is always false.
 *   <li>Reset: {@code θ ~ U(−π, π)}, {@code θ̇ ~ U(−1, 1)} from the seed's generator.
 * </ul>
 */
public final class Pendulum implements Environment {
    /** Step limit (Gymnasium's TimeLimit for Pendulum-v1). */
    public static final int MAX_STEPS = 200;
    /** Torque bound. */
    public static final double MAX_TORQUE = 2.0;
    /** Angular-velocity bound. */
    public static final double MAX_SPEED = 8.0;

    private static final double G = 10.0;
    private static final double M = 1.0;
    private static final double L = 1.0;
    private static final double DT = 0.05;
    private static final BoxSpace ACTION_SPACE = BoxSpace.uniform(1, -MAX_TORQUE, MAX_TORQUE);

    private double theta = Double.NaN;
    private double thetaDot = Double.NaN;
    private int steps;
    private boolean done = true;

    /** A pendulum; call {@link #reset(long)} before stepping. */
    public Pendulum() {
    }

    @Override
    public int observationDim() {
        return 3;
    }

    @Override
    public BoxSpace actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public int maxEpisodeSteps() {
        return MAX_STEPS;
    }

    @Override
    public double[] reset(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double th = rng.nextDouble(-Math.PI, Math.PI);
        double thd = rng.nextDouble(-1.0, 1.0);
        return resetTo(th, thd);
    }

    /**
     * Starts an episode in a given state (for tests and diagnostics).
     *
     * @return the first observation
     * @throws IllegalArgumentException if a value is not finite
     */
    public double[] resetTo(double theta, double thetaDot) {
        if (!Double.isFinite(theta) || !Double.isFinite(thetaDot)) {
            throw new IllegalArgumentException("pendulum state must be finite, found theta = " + theta
                    + ", thetaDot = " + thetaDot);
        }
        this.theta = theta;
        this.thetaDot = thetaDot;
        this.steps = 0;
        this.done = false;
        return observation();
    }

    /** The current angle (not wrapped; 0 = upright). */
    public double theta() {
        return theta;
    }

    /** The current angular velocity. */
    public double thetaDot() {
        return thetaDot;
    }

    @Override
    public StepResult step(double[] action) {
        if (done) {
            throw new IllegalStateException(Double.isNaN(theta)
                    ? "step called before reset" : "step called after the episode ended; call reset first");
        }
        double u = ACTION_SPACE.clip(action)[0];
        double th = normalizeAngle(theta);
        double cost = th * th + 0.1 * thetaDot * thetaDot + 0.001 * u * u;
        double newThetaDot = thetaDot + (3 * G / (2 * L) * Math.sin(theta) + 3.0 / (M * L * L) * u) * DT;
        newThetaDot = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newThetaDot));
        theta = theta + newThetaDot * DT;
        thetaDot = newThetaDot;
        steps++;
        boolean truncated = steps >= MAX_STEPS;
        done = truncated;
        return new StepResult(observation(), -cost, false, truncated, false);
    }

    private double[] observation() {
        return new double[] {Math.cos(theta), Math.sin(theta), thetaDot};
    }

    /** Wraps an angle into {@code [−π, π)}, as Gymnasium's {@code ((x + π) % 2π) − π}. */
    public static double normalizeAngle(double x) {
        double twoPi = 2 * Math.PI;
        double a = (x + Math.PI) % twoPi;
        if (a < 0) {
            a += twoPi;
        }
        return a - Math.PI;
    }
}
