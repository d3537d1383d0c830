package org.calql.update;

import static org.calql.update.UpdateFixtures.copy;
import static org.calql.update.UpdateFixtures.evaluate;
import static org.calql.update.UpdateFixtures.gradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.regularizer.Regularizers;
import org.calql.testing.FiniteDifferences;
import org.calql.update.UpdateFixtures.FixedDraws;

/**
 * The policy, temperature and Lagrange-multiplier gradients of {@link UpdateStep#lastGradients()} against
 * central differences of {@code policyLoss}, {@code alphaLoss} and {@code alphaPrimeLoss}, each read from an
 * update on a fresh step with perturbed parameters.
 */
class ActorGradientProperties {

    /** Policy-loss variants. */
    enum Variant {
        AUTO_ENTROPY(b -> b),
        FIXED_ALPHA(b -> b.autoEntropy(false).alphaMultiplier(0.3)),
        SCALED_ACTIONS_THREE_CRITICS(b -> b.maxAction(2.0).criticEnsembleSize(3)),
        BEHAVIOUR_CLONING(b -> b.bcSteps(5)),
        BEHAVIOUR_CLONING_SCALED_ACTIONS(b -> b.bcSteps(1).maxAction(2.5).autoEntropy(false).alphaMultiplier(0.5));

        final UnaryOperator<CalQlConfig.Builder> adjust;

        Variant(UnaryOperator<CalQlConfig.Builder> adjust) {
            this.adjust = adjust;
        }

        CalQlConfig config(long seed) {
            return adjust.apply(UpdateFixtures.smallConfig(seed).regularizer(Regularizers.calQl())).build();
        }
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void policyLossGradientMatchesCentralDifferences(@ForAll Variant variant,
                                                     @ForAll @IntRange(min = 0, max = 2) int trial) {
        long seed = 0xC2B2AE3D27D4EB4FL * (17 * variant.ordinal() + trial + 1);
        CalQlConfig config = variant.config(seed);
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters base = UpdateFixtures.randomParameters(config, rng);
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        ModelParameters analytic = gradients(config, draws, base, batch);

        FiniteDifferences fd = new FiniteDifferences(variant + " policy", 1e-5, 1e-8, 1e-6);
        double[][] layers = base.policy();
        for (int l = 0; l < layers.length; l++) {
            for (int i = 0; i < layers[l].length; i++) {
                int layer = l;
                int index = i;
                fd.check("policy array " + l + " index " + i, analytic.policy()[l][i], delta -> {
                    ModelParameters p = copy(base);
                    p.policy()[layer][index] += delta;
                    return evaluate(config, draws, p, batch).policyLoss();
                });
            }
        }
        fd.check("logStdMultiplier", TanhParameters.multiplier(analytic), delta -> {
            ModelParameters b = base;
            ModelParameters p = TanhParameters.withScalars(b, TanhParameters.multiplier(b) + delta,
                    TanhParameters.offset(b));
            return evaluate(config, draws, p, batch).policyLoss();
        });
        fd.check("logStdOffset", TanhParameters.offset(analytic), delta -> {
            ModelParameters b = base;
            ModelParameters p = TanhParameters.withScalars(b, TanhParameters.multiplier(b),
                    TanhParameters.offset(b) + delta);
            return evaluate(config, draws, p, batch).policyLoss();
        });
        fd.finish(100);
        assertNotEquals(0.0, TanhParameters.multiplier(analytic), "the log-std multiplier must receive gradient");
        assertNotEquals(0.0, TanhParameters.offset(analytic), "the log-std offset must receive gradient");
    }

    @Property(tries = 10)
    void behaviourCloningEndsAfterBcSteps(@ForAll @IntRange(min = 0, max = 10_000) int trial) {
        // with bcSteps = 1 the first update clones and the second does not: the critics enter only the second
        long seed = 77L + trial;
        CalQlConfig config = Variant.BEHAVIOUR_CLONING_SCALED_ACTIONS.config(seed);
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters base = UpdateFixtures.randomParameters(config, rng);
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        ModelParameters scaled = copy(base);
        for (double[][] critic : scaled.critics()) {
            for (double[] a : critic) {
                for (int i = 0; i < a.length; i++) {
                    a[i] *= 1.3;
                }
            }
        }
        UpdateStep one = new UpdateStep(config, UpdateFixtures.java(), draws);
        one.importParameters(base);
        UpdateStep two = new UpdateStep(config, UpdateFixtures.java(), draws);
        two.importParameters(scaled);
        assertEquals(one.update(batch).policyLoss(), two.update(batch).policyLoss(), 0.0,
                "a cloning update's policy loss must not depend on the critics");
        one.importParameters(base);
        two.importParameters(scaled);
        assertNotEquals(one.update(batch).policyLoss(), two.update(batch).policyLoss(),
                "after bcSteps the policy loss must use the critics");
    }

    @Property(tries = 20)
    void temperatureLossGradientMatchesCentralDifferences(@ForAll @IntRange(min = 0, max = 1_000_000) int trial,
                                                          @ForAll @DoubleRange(min = -3, max = 3) double logAlpha,
                                                          @ForAll @DoubleRange(min = -4, max = 1) double targetEntropy) {
        long seed = 31L * trial + 5;
        CalQlConfig config = UpdateFixtures.smallConfig(seed).targetEntropy(targetEntropy).build();
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters random = UpdateFixtures.randomParameters(config, rng);
        ModelParameters base = withScalars(random, logAlpha, random.logAlphaPrime());
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        ModelParameters analytic = gradients(config, draws, base, batch);
        UpdateResult r = evaluate(config, draws, base, batch);
        assertEquals(-(r.logPi() + targetEntropy), analytic.logAlpha(), 1e-12 * (1 + Math.abs(r.logPi())),
                "d alphaLoss / d logAlpha = −mean(log π + targetEntropy)");
        assertEquals(Math.exp(logAlpha), r.alpha(), 1e-12 * Math.exp(logAlpha));
        FiniteDifferences fd = new FiniteDifferences("logAlpha", 1e-5, 1e-9, 1e-7);
        fd.check("logAlpha", analytic.logAlpha(), delta -> evaluate(config, draws,
                withScalars(base, logAlpha + delta, base.logAlphaPrime()), batch).alphaLoss());
        fd.finish(1);
    }

    @Property(tries = 10)
    void withoutAutoEntropyTheTemperatureIsFixed(@ForAll @IntRange(min = 0, max = 1_000_000) int trial) {
        long seed = 13L * trial + 1;
        CalQlConfig config = UpdateFixtures.smallConfig(seed).autoEntropy(false).alphaMultiplier(0.25).build();
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters base = UpdateFixtures.randomParameters(config, rng);
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        UpdateStep step = new UpdateStep(config, UpdateFixtures.java(), draws);
        step.importParameters(base);
        UpdateResult r = step.update(batch);
        assertEquals(0.0, r.alphaLoss(), 0.0);
        assertEquals(0.25, r.alpha(), 0.0);
        assertEquals(0.0, step.lastGradients().logAlpha(), 0.0);
        assertEquals(base.logAlpha(), step.exportParameters().logAlpha(), 0.0, "logAlpha must not move");
    }

    @Property(tries = 20)
    void lagrangeLossGradientMatchesCentralDifferences(@ForAll @IntRange(min = 0, max = 1_000_000) int trial,
                                                       @ForAll @DoubleRange(min = -3, max = 5) double logAlphaPrime,
                                                       @ForAll @DoubleRange(min = -1, max = 3) double targetActionGap,
                                                       @ForAll boolean calibrated) {
        long seed = 97L * trial + 3;
        CalQlConfig config = UpdateFixtures.smallConfig(seed).lagrange(true).targetActionGap(targetActionGap)
                .cqlAlpha(3.0).regularizer(calibrated ? Regularizers.calQl() : Regularizers.cql()).build();
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters random = UpdateFixtures.randomParameters(config, rng);
        ModelParameters base = withScalars(random, random.logAlpha(), logAlphaPrime);
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        ModelParameters analytic = gradients(config, draws, base, batch);
        UpdateResult r = evaluate(config, draws, base, batch);
        double alphaPrime = Math.exp(logAlphaPrime);
        assertEquals(alphaPrime, r.alphaPrime(), 1e-12 * alphaPrime);
        double penaltySum = 0.0;
        for (int k = 0; k < 2; k++) {
            assertEquals(alphaPrime * 3.0 * (r.conservativeGap()[k] - targetActionGap), r.conservativeLoss()[k],
                    1e-10 * (1 + Math.abs(r.conservativeLoss()[k])), "Lagrange-weighted penalty of critic " + k);
            penaltySum += r.conservativeLoss()[k];
        }
        assertEquals(-penaltySum / 2, r.alphaPrimeLoss(), 1e-12 * (1 + Math.abs(penaltySum)));
        FiniteDifferences fd = new FiniteDifferences("logAlphaPrime", 1e-5, 1e-8, 1e-7);
        fd.check("logAlphaPrime", analytic.logAlphaPrime(), delta -> evaluate(config, draws,
                withScalars(base, base.logAlpha(), logAlphaPrime + delta), batch).alphaPrimeLoss());
        fd.finish(1);
    }

    @Property(tries = 5)
    void aClampedLagrangeMultiplierGetsNoGradient(@ForAll @IntRange(min = 0, max = 1_000_000) int trial) {
        long seed = 7L * trial + 11;
        CalQlConfig config = UpdateFixtures.smallConfig(seed).lagrange(true).build();
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters random = UpdateFixtures.randomParameters(config, rng);
        ModelParameters base = withScalars(random, random.logAlpha(), Math.log(1e6) + 0.5);
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        UpdateResult r = evaluate(config, draws, base, batch);
        assertEquals(1e6, r.alphaPrime(), 0.0, "α' is clamped to 1e6");
        assertEquals(0.0, gradients(config, draws, base, batch).logAlphaPrime(), 0.0,
                "beyond the clamp log α' gets no gradient, as torch.clamp passes none");
    }

    private static ModelParameters withScalars(ModelParameters b, double logAlpha, double logAlphaPrime) {
        return new ModelParameters(b.critics(), b.targetCritics(), b.policy(), logAlpha, logAlphaPrime);
    }
}
