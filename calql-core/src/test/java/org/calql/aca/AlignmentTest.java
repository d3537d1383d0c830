package org.calql.aca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.spi.Network;
import org.junit.jupiter.api.Test;

class AlignmentTest {
    private static AcaUpdate trainedAndAligned(AcaConfig config, int offlineSteps) {
        AcaUpdate u = AcaFixtures.update(config);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < offlineSteps; i++) {
            u.update(AcaFixtures.batch(r));
        }
        u.align();
        return u;
    }

    @Test
    void alignedCriticsEqualZExactlyForRandomStatesAndActions() {
        AcaUpdate u = trainedAndAligned(AcaFixtures.config(3).build(), 30);
        SplittableRandom r = new SplittableRandom(11);
        double[] s = new double[AcaFixtures.OBS];
        double[] a = new double[AcaFixtures.ACT];
        double[] out = new double[1];
        double[] zOut = new double[1];
        for (int k = 0; k < u.critics().size(); k++) {
            Network critic = u.critics().critic(k);
            Network z = u.zEnsemble().network(k);
            var cw = critic.newWorkspace(1);
            var zw = z.newWorkspace(1);
            for (int trial = 0; trial < 200; trial++) {
                for (int j = 0; j < s.length; j++) {
                    s[j] = 4 * r.nextDouble() - 2;
                }
                for (int j = 0; j < a.length; j++) {
                    a[j] = 2 * r.nextDouble() - 1;
                }
                critic.forward(cw, s, a, a.length, 1, 1, out);
                z.forward(zw, s, 1, zOut);
                assertEquals(zOut[0], out[0], 0.0, "critic " + k + " must equal Z " + k + " exactly");
            }
            double[][] c = critic.exportParameters();
            double[][] t = u.critics().target(k).exportParameters();
            for (int i = 0; i < c.length; i++) {
                assertArrayEquals(c[i], t[i], 0.0, "target " + k + " must be hard-synced");
            }
        }
        assertEquals(1.0, u.alpha(), 0.0, "α is reset to 1");
        assertTrue(u.online());
        assertThrows(IllegalStateException.class, u::align);
    }

    @Test
    void referencePolicyIsAFrozenCopyOfThePolicy() {
        AcaUpdate u = trainedAndAligned(AcaFixtures.config(4).build(), 10);
        double[][] p = u.policy().exportState().parameters();
        double[][] ref = u.reparameterisedCritic().reference().exportState().parameters();
        for (int i = 0; i < p.length; i++) {
            assertArrayEquals(p[i], ref[i], 0.0);
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 5; i++) {
            u.update(AcaFixtures.batch(r));
        }
        double[][] after = u.reparameterisedCritic().reference().exportState().parameters();
        double[][] moved = u.policy().exportState().parameters();
        boolean policyMoved = false;
        for (int i = 0; i < ref.length; i++) {
            assertArrayEquals(ref[i], after[i], 0.0, "π₀ must stay frozen online");
            for (int j = 0; j < ref[i].length; j++) {
                policyMoved |= ref[i][j] != moved[i][j];
            }
        }
        assertTrue(policyMoved, "π itself trains online");
    }

    /**
     * Above the floor, {@code Q(s,a₁) − Q(s,a₂) = w·(log π₀(a₁|s) − log π₀(a₂|s))}: with β = 15 the floor lies
     * far below π₀'s density near its mean, so softplus is past its threshold and ℓ = log π₀ up to rounding.
     */
    @Test
    void aboveTheFloorQDifferencesAreWTimesLogDensityDifferences() {
        aboveTheFloor(AcaConfig.PolicyKind.TANH_GAUSSIAN);
    }

    @Test
    void aboveTheFloorQDifferencesAreWTimesLogDensityDifferencesForTheNonSquashedPolicy() {
        aboveTheFloor(AcaConfig.PolicyKind.NON_SQUASHED_GAUSSIAN);
    }

    private static void aboveTheFloor(AcaConfig.PolicyKind kind) {
        double w = 0.7;
        AcaUpdate u = trainedAndAligned(AcaFixtures.config(5).beta(15).interpolation(w, 100, 0.1).policy(kind)
                .build(), 30);
        boolean squashed = kind == AcaConfig.PolicyKind.TANH_GAUSSIAN;
        SplittableRandom r = new SplittableRandom(13);
        int b = AcaFixtures.BATCH;
        int act = AcaFixtures.ACT;
        double[] s = AcaFixtures.batch(r).observations();
        ReparameterisedCritic term = u.reparameterisedCritic();
        term.forward(0, s, b);
        double[] mean = new double[b * act];
        double[] logStd = new double[b * act];
        var pass = term.reference().newPass(b);
        term.reference().forward(pass, s, b);
        term.reference().distribution(pass, mean, logStd);
        double[] a1 = new double[b * act];
        double[] a2 = new double[b * act];
        for (int i = 0; i < b * act; i++) {
            double std = Math.exp(logStd[i]);
            a1[i] = mean[i] + 0.5 * std * (2 * r.nextDouble() - 1);
            a2[i] = mean[i] + 0.5 * std * (2 * r.nextDouble() - 1);
            if (squashed) {
                a1[i] = Math.tanh(a1[i]);
                a2[i] = Math.tanh(a2[i]);
            }
        }
        double[] q1 = qValues(u, s, a1, w);
        double[] q2 = qValues(u, s, a2, w);
        double[] lp1 = new double[b];
        double[] lp2 = new double[b];
        term.logDensity(0, a1, b, lp1);
        term.logDensity(0, a2, b, lp2);
        for (int i = 0; i < b; i++) {
            assertTrue(lp1[i] - term.floorAt(0, i) > 20 && lp2[i] - term.floorAt(0, i) > 20, "above the floor");
            double expected = w * (lp1[i] - lp2[i]);
            assertEquals(expected, q1[i] - q2[i], 1e-9 * (1 + Math.abs(lp1[i]) + Math.abs(lp2[i])), "row " + i);
        }
    }

    /** {@code min_k R_k(s,a) + w·ℓ(s,a)} of the aligned model. */
    private static double[] qValues(AcaUpdate u, double[] s, double[] actions, double w) {
        int b = AcaFixtures.BATCH;
        double[] ell = new double[b];
        u.reparameterisedCritic().evaluate(0, actions, b, ell, null);
        double[] q = new double[b];
        double[] out = new double[b];
        java.util.Arrays.fill(q, Double.POSITIVE_INFINITY);
        for (int k = 0; k < u.critics().size(); k++) {
            Network c = u.critics().critic(k);
            c.forward(c.newWorkspace(b), s, actions, AcaFixtures.ACT, b, 1, out);
            for (int i = 0; i < b; i++) {
                q[i] = Math.min(q[i], out[i]);
            }
        }
        for (int i = 0; i < b; i++) {
            q[i] += w * ell[i];
        }
        return q;
    }
}
