package org.calql.examples.env;

import java.util.SplittableRandom;

/**
 * Pendulum's behaviour policy: an energy-shaping swing-up with a PD catch near the top, made
 * mediocre by Gaussian torque noise and a share of uniformly random torques. From the observation
 * {@code (cos θ, sin θ, θ̇)}:
 *
 * <ul>
 *   <li>near upright ({@code cos θ > cos 0.4}): {@code u = −(kp θ + kd θ̇)} with {@code kp = 10, kd = 2};
 *   <li>otherwise: {@code u = k (E* − E) θ̇} with {@code E = θ̇²/2 + 15 cos θ} and {@code E* = 15}
 *       (the upright energy; {@code dE/dt = 3 u θ̇}), {@code k = 0.5};
 * </ul>
 *
 * then {@code u + N(0, noiseStd²)}, replaced by a uniform torque with probability
 * {@code randomActionProbability}, clipped to {@code [−2, 2]}.
 */
public final class PendulumBehaviour implements BehaviourPolicy {
    /** Default torque noise standard deviation. */
    public static final double DEFAULT_NOISE_STD = 1.0;
    /** Default probability of a uniformly random torque. */
    public static final double DEFAULT_RANDOM_ACTION_PROBABILITY = 0.3;

    private static final double KP = 10.0;
    private static final double KD = 2.0;
    private static final double ENERGY_GAIN = 0.5;
    private static final double UPRIGHT_ENERGY = 15.0;
    private static final double CATCH_COS = Math.cos(0.4);

    private final double noiseStd;
    private final double randomActionProbability;

    /** The behaviour with the default noise. */
    public PendulumBehaviour() {
        this(DEFAULT_NOISE_STD, DEFAULT_RANDOM_ACTION_PROBABILITY);
    }

    /**
     * A behaviour with the given noise.
     *
     * @throws IllegalArgumentException if {@code noiseStd < 0} or the probability is outside [0, 1]
     */
    public PendulumBehaviour(double noiseStd, double randomActionProbability) {
        if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
            throw new IllegalArgumentException("noiseStd must be finite and >= 0, found " + noiseStd);
        }
        if (!(randomActionProbability >= 0 && randomActionProbability <= 1)) {
            throw new IllegalArgumentException("randomActionProbability must be in [0, 1], found "
                    + randomActionProbability);
        }
        this.noiseStd = noiseStd;
        this.randomActionProbability = randomActionProbability;
    }

    /** The noiseless controller's torque for an observation {@code (cos θ, sin θ, θ̇)}, clipped. */
    public static double controllerTorque(double[] observation) {
        double cos = observation[0];
        double sin = observation[1];
        double thetaDot = observation[2];
        double u;
        if (cos > CATCH_COS) {
            double theta = Math.atan2(sin, cos);
            u = -(KP * theta + KD * thetaDot);
        } else {
            double energy = 0.5 * thetaDot * thetaDot + UPRIGHT_ENERGY * cos;
            u = ENERGY_GAIN * (UPRIGHT_ENERGY - energy) * thetaDot;
            if (thetaDot == 0 && energy < UPRIGHT_ENERGY) {
                u = Pendulum.MAX_TORQUE; // kick off from rest
            }
        }
        return Math.max(-Pendulum.MAX_TORQUE, Math.min(Pendulum.MAX_TORQUE, u));
    }

    @Override
    public double[] act(double[] observation, SplittableRandom rng) {
        double u;
        if (rng.nextDouble() < randomActionProbability) {
            u = rng.nextDouble(-Pendulum.MAX_TORQUE, Pendulum.MAX_TORQUE);
        } else {
            u = controllerTorque(observation) + noiseStd * MazeWanderer.gaussian(rng);
        }
        return new double[] {Math.max(-Pendulum.MAX_TORQUE, Math.min(Pendulum.MAX_TORQUE, u))};
    }
}
