package org.calql.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.TransitionBatch;
import org.calql.policy.PolicyState;
import org.calql.testing.FiniteDifferences;

/**
 * Central finite differences (step 1e-6, float64 Java backend) against the analytic gradients of ACA's losses: the
 * SAC+ML actor loss (λ held at its value, as the authors detach it), the Z loss, the reparameterised critic loss and
 * the online actor loss (through ℓ's action gradient), each at {@value #COORDINATES} random parameter coordinates of
 * a small model. The networks are ReLU: a coordinate whose ±h step moves a hidden unit across its kink is forgiven
 * only when the second differences show the kink ({@link FiniteDifferences}), at most a tenth of them.
 */
class AcaGradientProperties {
    private static final double H = 1e-6;
    private static final int COORDINATES = 20;

    private static void close(double analytic, double numeric, String what) {
        assertEquals(numeric, analytic, 1e-5 * Math.max(1.0, Math.abs(numeric)) + 1e-7, what);
    }

    private static AcaUpdate model(long seed, boolean aligned) {
        return model(seed, aligned, AcaConfig.PolicyKind.TANH_GAUSSIAN);
    }

    private static AcaUpdate model(long seed, boolean aligned, AcaConfig.PolicyKind kind) {
        AcaUpdate u = AcaFixtures.update(AcaFixtures.config(seed).beta(2).interpolation(0.8, 100, 0.1).policy(kind)
                .build());
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 15; i++) {
            u.update(AcaFixtures.batch(r));
        }
        if (aligned) {
            u.align();
            for (int i = 0; i < 5; i++) {
                u.update(AcaFixtures.batch(r));
            }
        }
        return u;
    }

    private static FiniteDifferences differences(String what) {
        return new FiniteDifferences(what, H, 1e-7, 1e-5, 1.0);
    }

    /** Checks {@code d loss / d policy parameter} at {@value #COORDINATES} random coordinates. */
    private static void checkPolicy(AcaUpdate u, DoubleSupplier loss, double[][] grad, SplittableRandom r) {
        PolicyState base = u.policy().exportState();
        FiniteDifferences fd = differences("policy");
        for (int t = 0; t < COORDINATES; t++) {
            int array = r.nextInt(base.parameters().length);
            int index = r.nextInt(base.parameters()[array].length);
            fd.check("array " + array + " index " + index, grad[array][index], delta -> {
                u.policy().importState(AcaFixtures.perturbed(base, array, index, delta));
                double value = loss.getAsDouble();
                u.policy().importState(base);
                return value;
            });
        }
        fd.finish(COORDINATES);
    }

    @Property(tries = 12)
    void sacMlActorLoss(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        AcaUpdate u = model(seed, false);
        SplittableRandom r = new SplittableRandom(seed + 1);
        TransitionBatch batch = AcaFixtures.batch(r);
        double[] noise = AcaFixtures.noise(r);
        u.actorObjective(batch, noise, null);
        double lambda = u.lastLambda();
        double[][] grad = u.policyGradients();
        checkPolicy(u, () -> u.actorObjective(batch, noise, lambda), grad, r);
    }

    @Property(tries = 12)
    void onlineActorLossThroughTheReparameterisedCritic(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        AcaUpdate u = model(seed, true);
        SplittableRandom r = new SplittableRandom(seed + 2);
        TransitionBatch batch = AcaFixtures.batch(r);
        double[] noise = AcaFixtures.noise(r);
        u.actorObjective(batch, noise, null);
        double[][] grad = u.policyGradients();
        checkPolicy(u, () -> u.actorObjective(batch, noise, null), grad, r);
    }

    @Property(tries = 8)
    void sacMlAndOnlineActorLossesOfTheNonSquashedPolicy(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        for (boolean aligned : new boolean[] {false, true}) {
            AcaUpdate u = model(seed, aligned, AcaConfig.PolicyKind.NON_SQUASHED_GAUSSIAN);
            SplittableRandom r = new SplittableRandom(seed + 3);
            TransitionBatch batch = AcaFixtures.batch(r);
            double[] noise = AcaFixtures.noise(r);
            u.actorObjective(batch, noise, null);
            Double lambda = aligned ? null : u.lastLambda();
            double[][] grad = u.policyGradients();
            checkPolicy(u, () -> u.actorObjective(batch, noise, lambda), grad, r);
        }
    }

    @Property(tries = 12)
    void criticLoss(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        for (boolean aligned : new boolean[] {false, true}) {
            AcaUpdate u = model(seed, aligned);
            SplittableRandom r = new SplittableRandom(seed + 3);
            TransitionBatch batch = AcaFixtures.batch(r);
            double[] noise = AcaFixtures.noise(r);
            u.criticObjective(batch, noise);
            CriticEnsemble critics = u.critics();
            double[][][] grad = critics.exportGradients();
            CriticEnsembleState base = critics.exportState();
            FiniteDifferences fd = differences((aligned ? "online" : "offline") + " critic loss");
            for (int t = 0; t < COORDINATES; t++) {
                int k = r.nextInt(critics.size());
                int array = r.nextInt(base.critics()[k].length);
                int index = r.nextInt(base.critics()[k][array].length);
                fd.check("critic " + k + " array " + array + " index " + index, grad[k][array][index], delta -> {
                    critics.importState(shifted(base, k, array, index, delta));
                    double value = u.criticObjective(batch, noise);
                    critics.importState(base);
                    return value;
                });
            }
            fd.finish(COORDINATES);
        }
    }

    @Property(tries = 12)
    void zLoss(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        AcaUpdate u = model(seed, false);
        ZEnsemble z = u.zEnsemble();
        SplittableRandom r = new SplittableRandom(seed + 4);
        TransitionBatch batch = AcaFixtures.batch(r);
        double[] logPiData = new double[AcaFixtures.BATCH];
        double[] logPiNext = new double[AcaFixtures.BATCH];
        for (int i = 0; i < logPiData.length; i++) {
            logPiData[i] = 3 * r.nextDouble() - 2;
            logPiNext[i] = 3 * r.nextDouble() - 2;
        }
        double alpha = 0.3 + r.nextDouble();
        DoubleSupplier loss = () -> z.lossAndGradients(batch.observations(), batch.nextObservations(),
                batch.rewards(), batch.dones(), logPiData, logPiNext, alpha, 0.99);
        loss.getAsDouble();
        double[][][] grad = z.exportGradients();
        CriticEnsembleState base = z.exportState();
        FiniteDifferences fd = differences("Z loss");
        for (int t = 0; t < COORDINATES; t++) {
            int k = r.nextInt(z.size());
            int array = r.nextInt(base.critics()[k].length);
            int index = r.nextInt(base.critics()[k][array].length);
            // min_j Z_j(s') is held constant (no gradient), so the difference quotient perturbs Z_k only at s:
            // compare against the loss with the target computed from the unperturbed ensemble
            fd.check("Z " + k + " array " + array + " index " + index, grad[k][array][index], delta -> {
                z.importState(shifted(base, k, array, index, delta));
                double value = frozenTargetLoss(z, base, batch, logPiData, logPiNext, alpha);
                z.importState(base);
                return value;
            });
        }
        fd.finish(COORDINATES);
    }

    /** {@code L_Z} of the current ensemble with the target {@code y} from the ensemble {@code targetState}. */
    private static double frozenTargetLoss(ZEnsemble z, CriticEnsembleState targetState, TransitionBatch batch,
                                           double[] logPiData, double[] logPiNext, double alpha) {
        int b = AcaFixtures.BATCH;
        double[][] zNext = new double[z.size()][b];
        double[][] zNow = new double[z.size()][b];
        CriticEnsembleState current = z.exportState();
        z.importState(targetState);
        for (int k = 0; k < z.size(); k++) {
            z.network(k).forward(z.network(k).newWorkspace(b), batch.nextObservations(), b, zNext[k]);
        }
        z.importState(current);
        for (int k = 0; k < z.size(); k++) {
            z.network(k).forward(z.network(k).newWorkspace(b), batch.observations(), b, zNow[k]);
        }
        double loss = 0.0;
        for (int k = 0; k < z.size(); k++) {
            double sum = 0.0;
            for (int i = 0; i < b; i++) {
                double min = Double.POSITIVE_INFINITY;
                for (double[] row : zNext) {
                    min = Math.min(min, row[i]);
                }
                double y = batch.rewards()[i] + 0.99 * (1 - batch.dones()[i])
                        * (logPiNext[i] + min - alpha * logPiNext[i]);
                double e = logPiData[i] + zNow[k][i] - y;
                sum += e * e;
            }
            loss += sum / b;
        }
        return loss;
    }

    @Property(tries = 50)
    void ellActionGradient(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int act = 3;
        double[] mean = new double[act];
        double[] logStd = new double[act];
        double[] action = new double[act];
        for (int j = 0; j < act; j++) {
            mean[j] = 2 * r.nextDouble() - 1;
            logStd[j] = -1.5 + r.nextDouble();
            action[j] = 0.95 * (2 * r.nextDouble() - 1);
        }
        double beta = 0.5 + 3 * r.nextDouble();
        double c = ReparameterisedCritic.floor(mean, logStd, 0, act, beta);
        double[] grad = new double[act];
        double lp = ReparameterisedCritic.logDensity(mean, logStd, 0, action, 0, act, 1.0, grad, 0);
        double ell = ReparameterisedCritic.ell(lp, c);
        assertEquals(true, ell >= Math.max(lp, c) - 1e-12, "ℓ lies above both log π₀ and the floor");
        for (int j = 0; j < act; j++) {
            double[] up = action.clone();
            double[] down = action.clone();
            up[j] += H;
            down[j] -= H;
            double fd = (ReparameterisedCritic.ell(ReparameterisedCritic.logDensity(mean, logStd, 0, up, 0, act, 1.0,
                    null, 0), c) - ReparameterisedCritic.ell(ReparameterisedCritic.logDensity(mean, logStd, 0, down, 0,
                    act, 1.0, null, 0), c)) / (2 * H);
            close(ReparameterisedCritic.ellSlope(lp, c) * grad[j], fd, "dℓ/da_" + j);
        }
    }

    private static CriticEnsembleState shifted(CriticEnsembleState s, int k, int array, int index, double delta) {
        double[][][] c = new double[s.critics().length][][];
        for (int i = 0; i < c.length; i++) {
            c[i] = new double[s.critics()[i].length][];
            for (int j = 0; j < c[i].length; j++) {
                c[i][j] = s.critics()[i][j].clone();
            }
        }
        c[k][array][index] += delta;
        return new CriticEnsembleState(c, s.targets(), s.optimizers());
    }
}
