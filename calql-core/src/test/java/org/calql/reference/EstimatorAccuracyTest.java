package org.calql.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.nn.JavaBackend;
import org.calql.train.EstimatorProgress;
import org.calql.train.TrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The estimators against values known exactly: the chain MDP's {@code V^μ = (I − γP_μ)⁻¹ r_μ} in transformed units
 * (scale 2, bias −0.5, γ 0.9), for continuous and discrete actions.
 */
class EstimatorAccuracyTest {
    static final double SCALE = 2.0;
    static final double BIAS = -0.5;
    static final double GAMMA = 0.9;

    static ReferenceData data(ChainMdp mdp, OfflineDataset dataset) {
        PreparedDataset p = PreparedDataset.prepare(dataset, new RewardTransform(SCALE, BIAS), GAMMA);
        ObservationNormalizer n = ObservationNormalizer.fit(dataset);
        return mdp.discrete ? ReferenceData.discrete(p, n, 2) : ReferenceData.continuous(p, n, 1.0);
    }

    /** Mean over the data's states of |V̂ − V| divided by the mean of |V|. */
    static double relativeError(ReferenceData data, double[] estimate, double[] exact) {
        double err = 0.0;
        double size = 0.0;
        double[] raw = new double[ChainMdp.S];
        for (int t = 0; t < data.size(); t++) {
            data.dataset().copyObservation(t, raw, 0);
            double v = exact[ChainMdp.stateOf(raw)];
            err += Math.abs(estimate[t] - v);
            size += Math.abs(v);
        }
        return err / size;
    }

    @ParameterizedTest(name = "discrete={0}")
    @ValueSource(booleans = {false, true})
    void fqeLandsWithinFivePercentOfTheExactValue(boolean discrete) {
        ChainMdp mdp = new ChainMdp(discrete, 30);
        // 1500 episodes (≈ 28 000 transitions): with fewer, the data's own sampling noise in the transition
        // frequencies moves the empirical fixed point by a few per cent
        ReferenceData data = data(mdp, mdp.dataset(1500, 7));
        double[] exact = mdp.exactValues(SCALE, BIAS, GAMMA);
        List<EstimatorProgress> progress = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEstimatorProgress(EstimatorProgress p) {
                progress.add(p);
            }
        };
        FitSettings settings = FitSettings.builder().hidden(32, 32).steps(4000).batchSize(128).learningRate(3e-4)
                .targetUpdatePeriod(20).valueSamples(16).progressInterval(500).seed(3).build();
        FittedQEvaluation fqe = FittedQEvaluation.fit(data, mdp.mu(), settings, new JavaBackend(), listener);
        double error = relativeError(data, fqe.values(null), exact);
        System.out.printf("FQE discrete=%s: mean |V̂−V|/mean|V| over %d dataset states = %.4f%n", discrete,
                data.size(), error);
        assertTrue(error < 0.05, "FQE relative error " + error);
        assertEquals(4000 / 500, progress.size());
        assertEquals("fqe", progress.get(0).estimator());
        assertEquals(4000, progress.get(progress.size() - 1).done());
        assertTrue(Double.isFinite(progress.get(progress.size() - 1).loss()));

        ValueNetworkReference ref = fqe.reference(settings.toBuilder().steps(1500).learningRate(1e-3).build(),
                new JavaBackend(), null);
        double refError = relativeError(data, FittedValue.valuesAt(ref, data, null), exact);
        System.out.printf("FQE reference network discrete=%s: relative error %.4f%n", discrete, refError);
        assertTrue(refError < 0.05, "fitted FQE reference relative error " + refError);
    }

    @Test
    void fittedMonteCarloNetworkFitsTheReturnsAsWellAsItsCapacityAllows() {
        ChainMdp mdp = new ChainMdp(false, 30);
        ReferenceData data = data(mdp, mdp.dataset(300, 11));
        double[] returns = data.prepared().returnsToGo();
        // With one-hot states the best any function of s can do is the per-state mean of the returns.
        double[] sum = new double[ChainMdp.S];
        int[] count = new int[ChainMdp.S];
        double[] raw = new double[ChainMdp.S];
        int[] state = new int[data.size()];
        for (int t = 0; t < data.size(); t++) {
            data.dataset().copyObservation(t, raw, 0);
            state[t] = ChainMdp.stateOf(raw);
            sum[state[t]] += returns[t];
            count[state[t]]++;
        }
        double best = 0.0;
        double variance = 0.0;
        double mean = 0.0;
        for (double r : returns) {
            mean += r / returns.length;
        }
        for (int t = 0; t < data.size(); t++) {
            double e = returns[t] - sum[state[t]] / count[state[t]];
            best += e * e / data.size();
            variance += (returns[t] - mean) * (returns[t] - mean) / data.size();
        }
        ValueNetworkReference ref = FittedValue.monteCarlo(data, FitSettings.builder().hidden(32, 32).steps(3000)
                .batchSize(128).learningRate(1e-3).seed(5).build(), new JavaBackend(), null);
        double mse = FittedValue.meanSquaredError(ref, data, null, returns);
        System.out.printf("fitted MC: MSE %.5f, best possible (per-state mean) %.5f, variance of returns %.5f%n",
                mse, best, variance);
        assertTrue(best < variance, "the state explains part of the returns");
        assertTrue(mse <= best * 1.02, "fitted MC MSE " + mse + " vs best possible " + best);
        assertEquals("fitted-mc", ref.name());
    }

    @ParameterizedTest(name = "discrete={0}")
    @ValueSource(booleans = {false, true})
    void rolloutsConvergeToTheExactValue(boolean discrete) {
        ChainMdp mdp = new ChainMdp(discrete, 1000);
        double[] exact = mdp.exactValues(SCALE, BIAS, GAMMA);
        double[][] states = new double[ChainMdp.GOAL][];
        for (int s = 0; s < states.length; s++) {
            states[s] = ChainMdp.observation(s);
        }
        CriticUnits units = new CriticUnits(new RewardTransform(SCALE, BIAS), GAMMA, OptionalDouble.empty());
        int horizon = 300;
        // The truncation bias is at most γ^H · max|r'| / (1 − γ).
        double truncation = Math.pow(GAMMA, horizon) * Math.max(Math.abs(SCALE + BIAS), Math.abs(BIAS)) / (1 - GAMMA);
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {4, 64, 1024}) {
            RolloutEstimator.Estimate e = RolloutEstimator.estimate(mdp, mdp.mu(), states, units, n, horizon, 9,
                    null);
            double sq = 0.0;
            double se2 = 0.0;
            for (int s = 0; s < states.length; s++) {
                double err = e.mean()[s] - exact[s];
                sq += err * err / states.length;
                se2 += e.stdError()[s] * e.stdError()[s] / states.length;
                if (n >= 64) {
                    // 4.5 standard errors: a false failure has probability < 1e-5 per state
                    assertTrue(Math.abs(err) <= 4.5 * e.stdError()[s] + truncation,
                            "state " + s + " N=" + n + ": " + e.mean()[s] + " vs " + exact[s] + " ± "
                                    + e.stdError()[s]);
                }
            }
            double rmse = Math.sqrt(sq);
            System.out.printf("rollouts discrete=%s N=%d: RMSE %.4f, RMS standard error %.4f%n", discrete, n, rmse,
                    Math.sqrt(se2));
            assertTrue(rmse < previous, "error falls as rollouts grow: " + rmse + " after " + previous);
            previous = rmse;
        }
    }

    @Test
    void rolloutValueAppliesTheTransformDiscountAndSparseRule() {
        CriticUnits units = new CriticUnits(new RewardTransform(10, -5), 0.99, OptionalDouble.of(-5.0));
        assertEquals(-5.0 / 0.01, units.rolloutValue(new double[] {0, 0, 0}, 3, false), 1e-9);
        assertEquals(-5.0 - 5.0 * 0.99 + 5.0 * 0.99 * 0.99, units.rolloutValue(new double[] {0, 0, 1}, 3, true),
                1e-9);
        // a terminated all-failure rollout is not extended
        assertEquals(-5.0 - 5.0 * 0.99, units.rolloutValue(new double[] {0, 0}, 2, true), 1e-9);
    }
}
