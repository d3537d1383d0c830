package org.calql.aca;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.TransitionBatch;
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.policy.GaussianPolicy;
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
        // Here SAC on the raw offline critic (w = 0, α = 1) measured KL 1.3e-4 too (π after SAC+ML at w_ML 30 already
        // sits near the raw critic's optimum); the test below sets up a critic and a policy that disagree.
    }

    /**
     * The raw half, where critic and policy really disagree: a tiny ML weight ({@code w_ML = 1e-3}) makes the
     * offline actor behaviour cloning of the uniform data (π₀'s mean near 0, wide), while the critic (γ 0) learns
     * the reward {@code −|a − (0.5, −0.3)|²}, which prefers another action. SAC's actor steps on that raw critic
     * (w 0, α 1) move π towards (0.5, −0.3), measurably away from π₀; the same steps on the aligned critic keep
     * π at π₀.
     */
    @Test
    void rawOfflineCriticMovesAPolicyItDisagreesWithAndTheAlignedOneDoesNot() {
        AcaConfig config = AcaFixtures.config(21).beta(7).interpolation(1, 100, 1).criticLr(3e-3).zLr(3e-3)
                .actorLr(1e-3).discount(0.0).likelihoodWeight(1e-3).build();
        double[] raw = klAndDistanceAfterActorSteps(config, false);
        double[] aligned = klAndDistanceAfterActorSteps(config, true);
        double[] before = klAndDistanceAfterActorSteps(config, false, 0);
        assertTrue(before[1] > 0.3, "π₀'s mean should sit away from the critic's preferred action, at distance "
                + before[1]);
        // measured: raw KL 0.106, mean distance 0.61 -> 0.31; aligned KL 0.0016, distance 0.60 (300 steps, lr 1e-3)
        assertTrue(raw[0] > 0.05, "KL(π‖π₀) on the raw offline critic should grow measurably, was " + raw[0]);
        assertTrue(raw[1] < before[1] - 0.1, "π's mean should move towards the raw critic's preference: "
                + before[1] + " -> " + raw[1]);
        assertTrue(aligned[0] < 0.01, "KL(π‖π₀) on the aligned critic should stay near 0, was " + aligned[0]);
        assertTrue(raw[0] > 20 * aligned[0], "raw " + raw[0] + " vs aligned " + aligned[0]);
    }

    private static double klAfterActorSteps(AcaConfig config, boolean aligned) {
        return klAndDistanceAfterActorSteps(config, aligned)[0];
    }

    private static double[] klAndDistanceAfterActorSteps(AcaConfig config, boolean aligned) {
        return klAndDistanceAfterActorSteps(config, aligned, ACTOR_STEPS);
    }

    /**
     * Offline steps, alignment, then {@code actorSteps} actor-only steps; the critics are the aligned R or the raw
     * offline Q. Returns {@code KL(π‖π₀)} and the mean distance of {@code tanh(μ(s))} from (0.5, −0.3).
     */
    private static double[] klAndDistanceAfterActorSteps(AcaConfig config, boolean aligned, int actorSteps) {
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
        for (int i = 0; i < actorSteps; i++) {
            u.actorObjective(AcaFixtures.batch(steps), AcaFixtures.noise(steps), null);
            u.actorStepOnly();
        }
        TransitionBatch probe = AcaFixtures.batch(new SplittableRandom(77));
        return new double[] {kl(u.policy(), u.reparameterisedCritic().reference(), probe),
            distanceFromPreferred(u.policy(), probe)};
    }

    /** {@code mean_s |tanh(μ(s)) − (0.5, −0.3)|}. */
    static double distanceFromPreferred(GaussianPolicy pi, TransitionBatch states) {
        int b = AcaFixtures.BATCH;
        int act = AcaFixtures.ACT;
        PolicyPass pass = pi.newPass(b);
        pi.forward(pass, states.observations(), b);
        double[] mean = new double[b * act];
        pi.distribution(pass, mean, new double[b * act]);
        double sum = 0.0;
        for (int s = 0; s < b; s++) {
            double d0 = Math.tanh(mean[s * act]) - 0.5;
            double d1 = Math.tanh(mean[s * act + 1]) + 0.3;
            sum += Math.sqrt(d0 * d0 + d1 * d1);
        }
        return sum / b;
    }

    /** {@code mean_s E_{a~π}[log π(a|s) − log π₀(a|s)]} by 4000 samples per state. */
    static double kl(GaussianPolicy pi, GaussianPolicy pi0, TransitionBatch states) {
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
                double lp0 = pi0.logDensity(mean0, logStd0, s * act, actions, i * act, null, 0);
                sum += samples.logProbs()[i] - lp0;
            }
        }
        return sum / (b * n);
    }
}
