package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calql.env.StepResult;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from Gymnasium's Pendulum-v1 step, run with NumPy (float64):
 *
 * <pre>
 * import numpy as np
 * def angle_normalize(x): return ((x + np.pi) % (2 * np.pi)) - np.pi
 * def step(state, u, g=10.0, m=1.0, l=1.0, dt=0.05, max_speed=8, max_torque=2.0):
 *     th, thdot = state
 *     u = np.clip(u, -max_torque, max_torque)[0]
 *     costs = angle_normalize(th) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
 *     newthdot = thdot + (3 * g / (2 * l) * np.sin(th) + 3.0 / (m * l**2) * u) * dt
 *     newthdot = np.clip(newthdot, -max_speed, max_speed)
 *     newth = th + newthdot * dt
 *     return np.array([newth, newthdot]), -costs
 * for start, actions in [((1.0, 0.5), [1.5, 3.0, -0.7]), ((-4.0, 7.9), [2.0, -2.5])]:
 *     s = np.array(start)
 *     for a in actions:
 *         s, r = step(s, np.array([a]))
 *         print(s[0], s[1], np.cos(s[0]), np.sin(s[0]), r)
 * </pre>
 */
class PendulumTest {
    private static final double TOL = 1e-12;

    @Test
    void stepsMatchGymnasium() {
        Pendulum p = new Pendulum();
        p.resetTo(1.0, 0.5);
        check(p.step(new double[] {1.5}), 0.48204838409011624, 0.8761445973103457, 1.3561032386059226, -1.02725);
        // 3.0 is clipped to the torque bound 2
        check(p.step(new double[] {3.0}), 0.37771809323525485, 0.9259206456509776, 2.313211686588682,
                -1.3281094632207342);
        check(p.step(new double[] {-0.7}), 0.23983702419327943, 0.9708131652517452, 2.902652170826915,
                -1.9361760032671462);
        assertEquals(1.328598354801076, p.theta(), TOL);

        // the angle is wrapped for the cost, and the speed is clipped to 8
        p.resetTo(-4.0, 7.9);
        check(p.step(new double[] {2.0}), -0.896758416334147, 0.44252044329485246, 8.0, -11.457935146920741);
        check(p.step(new double[] {-2.5}), -0.9982947757947531, 0.058374143427580086, 8.0, -13.603483392664414);
        assertEquals(-3.2, p.theta(), TOL);
    }

    private static void check(StepResult r, double cos, double sin, double thetaDot, double reward) {
        assertArrayEquals(new double[] {cos, sin, thetaDot}, r.observation(), TOL);
        assertEquals(reward, r.reward(), TOL);
        assertFalse(r.terminated() || r.success());
    }

    @Test
    void episodesAreTruncatedAfter200StepsAndResetIsSeeded() {
        Pendulum p = new Pendulum();
        double[] first = p.reset(5);
        assertArrayEquals(first, p.reset(5), 0);
        assertTrue(Math.abs(p.thetaDot()) <= 1.0);
        assertEquals(1.0, first[0] * first[0] + first[1] * first[1], 1e-12);
        for (int t = 1; t < Pendulum.MAX_STEPS; t++) {
            assertFalse(p.step(new double[] {0.3}).done());
        }
        StepResult last = p.step(new double[] {0.3});
        assertTrue(last.truncated());
        assertFalse(last.terminated());
        assertThrows(IllegalStateException.class, () -> p.step(new double[] {0}));
    }

    @Test
    void normalizeAngleMatchesPythonModulo() {
        assertEquals(0.0, Pendulum.normalizeAngle(0.0), 0);
        assertEquals(-Math.PI, Pendulum.normalizeAngle(Math.PI), 1e-15);
        assertEquals(-4.0 + 2 * Math.PI, Pendulum.normalizeAngle(-4.0), 1e-15);
        assertEquals(7.0 - 2 * Math.PI, Pendulum.normalizeAngle(7.0), 1e-15);
    }

    @Test
    void badActionsAreRejected() {
        Pendulum p = new Pendulum();
        p.reset(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.step(new double[] {Double.POSITIVE_INFINITY}));
        assertTrue(e.getMessage().contains("action[0] = Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.step(new double[] {0, 0}));
    }

    @Test
    void behaviourIsMediocreBetweenRandomAndTheNoiselessController() {
        Pendulum env = new Pendulum();
        double behaviour = DatasetGenerator.rollout(env, new PendulumBehaviour(), 40, 11).meanReturn();
        double controller = DatasetGenerator.rollout(env, new PendulumBehaviour(0, 0), 40, 11).meanReturn();
        double random = DatasetGenerator.rollout(env, new RandomPolicy(env.actionSpace()), 40, 11).meanReturn();
        assertTrue(controller > -250, "controller " + controller);
        assertTrue(behaviour < controller - 100 && behaviour > random + 300,
                "behaviour " + behaviour + ", controller " + controller + ", random " + random);
    }
}
