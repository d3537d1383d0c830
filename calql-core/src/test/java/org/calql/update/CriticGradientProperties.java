package org.calql.update;

import static org.calql.update.UpdateFixtures.copy;
import static org.calql.update.UpdateFixtures.evaluate;
import static org.calql.update.UpdateFixtures.gradients;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.regularizer.Calibration;
import org.calql.regularizer.CqlRegularizer;
import org.calql.testing.FiniteDifferences;
import org.calql.update.UpdateFixtures.FixedDraws;

/**
 * The critic gradients of {@link UpdateStep#lastGradients()} against central differences of the full critic
 * loss {@code tdLoss[k] + conservativeLoss[k]}, read from {@link UpdateStep#update} on a fresh step with
 * perturbed parameters (the losses are taken before the step), for every parameter of one critic.
 */
class CriticGradientProperties {

    /** The update variants that change the critic loss. */
    enum Variant {
        CQL(false, true, false, false, false, 2),
        CAL_QL(true, true, false, false, false, 2),
        CQL_NO_IMPORTANCE(false, false, false, false, false, 2),
        CAL_QL_NO_IMPORTANCE(true, false, false, false, false, 2),
        CAL_QL_LAGRANGE(true, true, true, false, false, 2),
        CQL_LAGRANGE_MAX_BACKUP(false, false, true, true, false, 2),
        CAL_QL_MAX_BACKUP_THREE_CRITICS(true, true, false, true, false, 3),
        CAL_QL_CLIPPED_LAGRANGE(true, false, true, false, true, 2);

        final boolean calibrated;
        final boolean importanceSampling;
        final boolean lagrange;
        final boolean maxTargetBackup;
        final boolean clipped;
        final int critics;

        Variant(boolean calibrated, boolean importanceSampling, boolean lagrange, boolean maxTargetBackup,
                boolean clipped, int critics) {
            this.calibrated = calibrated;
            this.importanceSampling = importanceSampling;
            this.lagrange = lagrange;
            this.maxTargetBackup = maxTargetBackup;
            this.clipped = clipped;
            this.critics = critics;
        }

        CalQlConfig config(long seed, double clipMin, double clipMax) {
            CqlRegularizer regularizer = CqlRegularizer.builder()
                    .calibration(calibrated ? Calibration.lowerBound() : Calibration.none())
                    .importanceSampling(importanceSampling)
                    .temperature(calibrated ? 1.0 : 0.7)
                    .clipDiff(clipMin, clipMax).build();
            return UpdateFixtures.smallConfig(seed).criticEnsembleSize(critics).regularizer(regularizer)
                    .lagrange(lagrange).maxTargetBackup(maxTargetBackup).backupEntropy(maxTargetBackup)
                    .targetActionGap(0.3).cqlAlpha(2.0).discount(0.9).maxAction(lagrange ? 1.5 : 1.0).build();
        }
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void criticLossGradientMatchesCentralDifferences(@ForAll Variant variant,
                                                     @ForAll @IntRange(min = 0, max = 2) int trial) {
        long seed = 0x9E3779B97F4A7C15L * (31 * variant.ordinal() + trial + 1);
        CalQlConfig unclipped = variant.config(seed, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters base = UpdateFixtures.randomParameters(unclipped, rng);
        TransitionBatch batch = UpdateFixtures.randomBatch(unclipped, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(unclipped, rng);
        int k = rng.nextInt(unclipped.criticEnsembleSize());
        if (variant.calibrated) {
            // centre the reference values on critic k's Q-values so that the calibration masks about half
            double meanQ = evaluate(unclipped, draws, base, batch).averageQ()[k];
            double[] ref = batch.returnsToGo();
            double meanRef = java.util.Arrays.stream(ref).average().orElseThrow();
            for (int i = 0; i < ref.length; i++) {
                ref[i] += meanQ - meanRef;
            }
        }
        CalQlConfig config = unclipped;
        if (variant.clipped) {
            // clip around the mean gap so that some states are clipped and some are not
            double gap = evaluate(unclipped, draws, base, batch).conservativeGap()[k];
            double lo = gap - 0.5;
            double hi = gap + 0.2;
            config = variant.config(seed, lo, hi);
            double clippedGap = evaluate(config, draws, base, batch).conservativeGap()[k];
            assertTrue(clippedGap != gap && clippedGap > lo && clippedGap < hi,
                    "the clip must bind on some states but not all: gap " + gap + ", clipped " + clippedGap);
        }
        CalQlConfig cfg = config;

        ModelParameters analytic = gradients(cfg, draws, base, batch);
        UpdateResult atBase = evaluate(cfg, draws, base, batch);
        if (variant.lagrange) {
            assertTrue(atBase.alphaPrime() > 0, "Lagrange multiplier must weigh the conservative term");
        }
        if (variant.calibrated) {
            double rate = atBase.boundRateCurrent()[k] + atBase.boundRateNext()[k];
            assertTrue(rate > 0 && rate < 2, "the calibration must mask some entries but not all, rates "
                    + atBase.boundRateCurrent()[k] + ", " + atBase.boundRateNext()[k]);
        }
        FiniteDifferences fd = new FiniteDifferences(variant + " critic " + k, 1e-5, 1e-8, 1e-6);
        double[][] layers = base.critics()[k];
        for (int l = 0; l < layers.length; l++) {
            for (int i = 0; i < layers[l].length; i++) {
                int layer = l;
                int index = i;
                fd.check("array " + l + " index " + i, analytic.critics()[k][l][i], delta -> {
                    ModelParameters p = copy(base);
                    p.critics()[k][layer][index] += delta;
                    UpdateResult r = evaluate(cfg, draws, p, batch);
                    return r.tdLoss()[k] + r.conservativeLoss()[k];
                });
            }
        }
        fd.finish(100);
    }

    @Property(tries = 10)
    void otherCriticsDoNotEnterCriticLoss(@ForAll @IntRange(min = 0, max = 1000) int trial) {
        long seed = 1000L + trial;
        CalQlConfig config = Variant.CAL_QL.config(seed, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        SplittableRandom rng = new SplittableRandom(seed);
        ModelParameters base = UpdateFixtures.randomParameters(config, rng);
        TransitionBatch batch = UpdateFixtures.randomBatch(config, rng);
        FixedDraws draws = UpdateFixtures.fixedDraws(config, rng);
        UpdateResult before = evaluate(config, draws, base, batch);
        ModelParameters p = copy(base);
        for (double[] a : p.critics()[1]) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= 1.1;
            }
        }
        UpdateResult after = evaluate(config, draws, p, batch);
        assertTrue(before.tdLoss()[0] == after.tdLoss()[0]
                        && before.conservativeLoss()[0] == after.conservativeLoss()[0],
                "critic 0's loss must not depend on critic 1's parameters");
        assertTrue(before.tdLoss()[1] != after.tdLoss()[1], "critic 1's loss must depend on its parameters");
    }
}
