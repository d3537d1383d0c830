package org.calql.aca;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.TransitionBatch;
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.policy.TanhGaussianPolicy;
import org.junit.jupiter.api.Test;

/**
 * ACA's fixed point: with w = 1 and α = 1 the online actor maximises {@code E_π[R(s) + log π₀ − log π]
 * = R(s) − KL(π‖π₀)} (above the floor), so actor steps on the aligned critic (R frozen) keep π at π₀.
 */
class FixedPointTest {
    private static final int ACTOR_STEPS = 300;

    @Test
    void alignedCriticKeepsThePolicyAtPiZero() {
        AcaConfig config = AcaFixtures.config(21).beta(7).interpolation(1, 100, 1).criticLr(3e-3).zLr(3e-3)
                .actorLr(1e-3).discount(0.0).build();
        double aligned = klAfterActorSteps(config, true);
        // tolerance: 0.01 nats per state (2-d actions); measured 1.3e-4 after 300 actor steps at lr 1e-3
        assertTrue(aligned < 0.01, "KL(π‖π₀) on the aligned critic should stay near 0, was " + aligned);
        // Not asserted: SAC on the raw offline critic (w = 0, α = 1) measured KL 1.3e-4 too in this tiny setting
        // (π after SAC+ML already sits near the raw critic's optimum); see the issue note.
    }

    /** Offline steps, alignment, then actor-only steps; the critics are the aligned R or the raw offline Q. */
    private static double klAfterActorSteps(AcaConfig config, boolean aligned) {
        AcaUpdate u = AcaFixtures.update(config);
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < 600; i++) {
            u.update(AcaFixtures.batch(r));
        }
        CriticEnsembleState offline = u.critics().exportState();
        u.align();
        if (!aligned) {
            u.critics().importState(offline);
            u.setWeight(0.0);
        }
        SplittableRandom steps = new SplittableRandom(5);
        for (int i = 0; i < ACTOR_STEPS; i++) {
            u.actorObjective(AcaFixtures.batch(steps), AcaFixtures.noise(steps), null);
            u.actorStepOnly();
        }
        return kl(u.policy(), u.reparameterisedCritic().reference(), AcaFixtures.batch(new SplittableRandom(77)));
    }

    /** {@code mean_s E_{a~π}[log π(a|s) − log π₀(a|s)]} by 4000 samples per state. */
    static double kl(TanhGaussianPolicy pi, TanhGaussianPolicy pi0, TransitionBatch states) {
        int b = AcaFixtures.BATCH;
        int act = AcaFixtures.ACT;
        int n = 4000;
        PolicyPass pass = pi.newPass(b);
        pi.forward(pass, states.observations(), b);
        PolicySamples samples = pi.newSamples(b, n);
        double[] noise = new double[b * n * act];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = org.calql.random.Gaussian.next(r);
        }
        pi.sample(pass, noise, samples);
        ReparameterisedCritic reference = new ReparameterisedCritic(pi0, 1.0, b);
        reference.forward(0, states.observations(), b);
        double[] mean0 = new double[b * act];
        double[] logStd0 = new double[b * act];
        PolicyPass pass0 = pi0.newPass(b);
        pi0.forward(pass0, states.observations(), b);
        pi0.distribution(pass0, mean0, logStd0);
        double sum = 0.0;
        double[] actions = samples.actions();
        for (int s = 0; s < b; s++) {
            for (int j = 0; j < n; j++) {
                int i = s * n + j;
                double lp0 = ReparameterisedCritic.logDensity(mean0, logStd0, s * act, actions, i * act, act, 1.0,
                        null, 0);
                sum += samples.logProbs()[i] - lp0;
            }
        }
        return sum / (b * n);
    }
}
