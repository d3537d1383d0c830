package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calql.env.DiscreteSpace;
import org.calql.env.StepResult;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from Gymnasium's MountainCar-v0 step ({@code MountainCarEnv.step} in
 * {@code gymnasium/envs/classic_control/mountain_car.py}), run with Python floats and NumPy (float64):
 *
 * <pre>
 * import math
 * import numpy as np
 * def step(state, action, force=0.001, gravity=0.0025, max_speed=0.07, min_position=-1.2, max_position=0.6,
 *          goal_position=0.5, goal_velocity=0):
 *     position, velocity = state
 *     velocity += (action - 1) * force + math.cos(3 * position) * (-gravity)
 *     velocity = np.clip(velocity, -max_speed, max_speed)
 *     position += velocity
 *     position = np.clip(position, min_position, max_position)
 *     if position == min_position and velocity &lt; 0:
 *         velocity = 0
 *     terminated = bool(position &gt;= goal_position and velocity &gt;= goal_velocity)
 *     return (position, velocity), -1.0, terminated
 * for start, actions in [((-0.5, 0.0), [2, 2, 1, 0]), ((-1.19, -0.02), [0, 2]), ((-0.5236, 0.0695), [2]),
 *                        ((0.49, 0.015), [2]), ((0.55, -0.01), [0])]:
 *     s = start
 *     for a in actions:
 *         s, r, term = step(s, a)
 *         print(repr(float(s[0])), repr(float(s[1])), r, term)
 * </pre>
 */
class MountainCarTest {
    private static final double TOL = 1e-15;

    @Test
    void stepsMatchGymnasium() {
        MountainCar car = new MountainCar();
        car.resetTo(-0.5, 0.0);
        check(car.step(push(2)), -0.49917684300416926, 0.0008231569958307428, false);
        check(car.step(push(2)), -0.49753668667935325, 0.0016401563248160246, false);
        check(car.step(push(1)), -0.4960917969323474, 0.0014448897470058627, false);
        check(car.step(push(0)), -0.495852975462037, 0.00023882147031041101, false);
        assertEquals(-0.495852975462037, car.position(), TOL);
        assertEquals(0.00023882147031041101, car.velocity(), TOL);
    }

    @Test
    void theLeftWallStopsTheCar() {
        MountainCar car = new MountainCar();
        car.resetTo(-1.19, -0.02);
        StepResult r = car.step(push(MountainCar.PUSH_LEFT));
        // -1.19 + v' < -1.2: the position is clipped to the wall and the negative velocity set to exactly 0
        assertArrayEquals(new double[] {-1.2, 0.0}, r.observation(), 0);
        assertEquals(0L, Double.doubleToRawLongBits(car.velocity()));
        check(car.step(push(MountainCar.PUSH_RIGHT)), -1.1967581039591646, 0.0032418960408353683, false);
    }

    @Test
    void theVelocityIsClippedTo007() {
        MountainCar car = new MountainCar();
        car.resetTo(-0.5236, 0.0695);
        check(car.step(push(2)), -0.45359999999999995, 0.07, false);
    }

    @Test
    void theGoalNeedsThePositionAndANonNegativeVelocity() {
        MountainCar car = new MountainCar();
        car.resetTo(0.49, 0.015);
        StepResult r = car.step(push(2));
        check(r, 0.5057484356665327, 0.01574843566653267, true);
        assertTrue(r.success() && r.done() && !r.truncated());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> car.step(push(1)));
        assertTrue(e.getMessage().contains("after the episode ended"), e.getMessage());

        // past the goal position but moving left: not terminated
        car.resetTo(0.55, -0.01);
        StepResult back = car.step(push(0));
        check(back, 0.5391978022220169, -0.010802197777983165, false);
        assertFalse(back.done() || back.success());
    }

    private static void check(StepResult r, double position, double velocity, boolean terminated) {
        assertArrayEquals(new double[] {position, velocity}, r.observation(), TOL);
        assertEquals(-1.0, r.reward(), 0);
        assertEquals(terminated, r.terminated());
        assertEquals(terminated, r.success());
    }

    @Test
    void episodesAreTruncatedAfter200Steps() {
        MountainCar car = new MountainCar();
        assertEquals(200, car.maxEpisodeSteps());
        car.reset(3);
        // coasting never leaves the valley
        for (int t = 1; t < MountainCar.MAX_STEPS; t++) {
            StepResult r = car.step(push(MountainCar.NO_PUSH));
            assertFalse(r.done(), "step " + t);
            assertEquals(-1.0, r.reward(), 0);
        }
        StepResult last = car.step(push(MountainCar.NO_PUSH));
        assertTrue(last.truncated());
        assertFalse(last.terminated() || last.success());
        assertThrows(IllegalStateException.class, () -> car.step(push(1)));
        // a new episode starts the count again
        car.reset(3);
        assertFalse(car.step(push(1)).done());
    }

    @Test
    void resetIsUniformInTheValleyWithZeroVelocityAndSeeded() {
        MountainCar car = new MountainCar();
        double[] first = car.reset(42);
        assertArrayEquals(first, new MountainCar().reset(42), 0);
        assertNotEquals(first[0], car.reset(43)[0]);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long seed = 0; seed < 500; seed++) {
            double[] obs = car.reset(seed);
            assertEquals(2, obs.length);
            assertTrue(obs[0] >= -0.6 && obs[0] < -0.4, "position " + obs[0]);
            assertEquals(0.0, obs[1], 0);
            min = Math.min(min, obs[0]);
            max = Math.max(max, obs[0]);
        }
        assertTrue(min < -0.59 && max > -0.41, "reset positions span [" + min + ", " + max + "]");
    }

    @Test
    void theSameSeedAndActionsGiveTheSameBits() {
        MountainCar a = new MountainCar();
        MountainCar b = new MountainCar();
        a.reset(9);
        b.reset(9);
        for (int t = 0; t < MountainCar.MAX_STEPS; t++) {
            double[] action = push((t / 17) % 3);
            StepResult ra = a.step(action);
            assertEquals(ra, b.step(action));
            if (ra.done()) {
                break;
            }
        }
    }

    @Test
    void actionsThatAreNotIndicesAreRefused() {
        MountainCar car = new MountainCar();
        assertEquals(new DiscreteSpace(3), car.actionSpace());
        assertEquals(1, car.actionDim());
        assertEquals(2, car.observationDim());
        IllegalStateException before = assertThrows(IllegalStateException.class, () -> car.step(push(1)));
        assertTrue(before.getMessage().contains("before reset"), before.getMessage());
        car.resetTo(-0.5, 0.0);
        for (double bad : new double[] {1.5, 3, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> car.step(new double[] {bad}));
            assertTrue(e.getMessage().contains("[0, 3)") && e.getMessage().contains("found " + bad), e.getMessage());
        }
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> car.step(new double[] {1, 1}));
        assertTrue(two.getMessage().contains("2 values"), two.getMessage());
        assertThrows(IllegalArgumentException.class, () -> car.step(null));
        // a refused action leaves the state as it was
        assertEquals(-0.5, car.position(), 0);
        assertEquals(0.0, car.velocity(), 0);
        check(car.step(push(2)), -0.49917684300416926, 0.0008231569958307428, false);
    }

    @Test
    void resetToRefusesStatesOutsideTheBounds() {
        MountainCar car = new MountainCar();
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> car.resetTo(0.7, 0));
        assertTrue(p.getMessage().contains("position") && p.getMessage().contains("0.7"), p.getMessage());
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> car.resetTo(0, -0.08));
        assertTrue(v.getMessage().contains("velocity") && v.getMessage().contains("-0.08"), v.getMessage());
        assertThrows(IllegalArgumentException.class, () -> car.resetTo(Double.NaN, 0));
        assertArrayEquals(new double[] {-1.2, 0.07}, car.resetTo(-1.2, 0.07), 0);
    }

    private static double[] push(int index) {
        return new double[] {index};
    }
}
