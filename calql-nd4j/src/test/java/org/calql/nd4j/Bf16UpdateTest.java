package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Precision;
import org.calql.update.ModelParameters;
import org.calql.update.UpdateResult;
import org.calql.update.UpdateStep;
import org.junit.jupiter.api.Test;

/**
 * Cross-precision: 20 Cal-QL updates from the same seed and data with bf16 and with float32 products agree within
 * a bf16 tolerance. bf16 keeps 8 significant bits: a rounded input is off by at most 2⁻⁹ relative, a product of two
 * by about 2⁻⁸ ≈ 3.9e-3, and a sum of such products by at most that relative to the sum of magnitudes. Allowed:
 * every step's losses within {@code 1e-5 + 2⁻⁸·|loss|} (errors of a sum of many products mostly cancel; measured
 * 6.6e-5 relative). Parameters are compared norm-wise against how far they moved: Adam divides each coordinate's
 * step by its gradient's running size, so coordinates whose gradient is near zero can step in the other
 * direction under any perturbation, and an element-wise bound says nothing. Allowed: {@code ‖θ_bf16 − θ_fp32‖ ≤
 * 0.1·‖θ_fp32 − θ_0‖} for each critic and the policy (measured about 0.02), and the temperature and Lagrange
 * scalars within 1e-6.
 */
class Bf16UpdateTest {
    private static final int UPDATES = 20;

    @Test
    void twentyUpdatesAgreeWithFloat32() {
        Bf16GemmTest.assumeBf16();
        CalQlConfig config = CalQlConfig.builder().observationDim(5).actionDim(3).batchSize(64).cqlNActions(4)
                .qHidden(64, 64).policyHidden(64, 64).maxTargetBackup(true).lagrange(true).seed(11)
                .regularizer(Regularizers.calQl()).build();
        Backend nd4j = Backends.named("nd4j");
        UpdateStep fp32 = new UpdateStep(config, nd4j, UpdateDraws.from(new Rng(3)));
        UpdateStep bf16 = new UpdateStep(config, nd4j.withPrecision(Precision.BF16), UpdateDraws.from(new Rng(3)));
        SplittableRandom data = new SplittableRandom(5);
        TransitionBatch batch = new TransitionBatch(64, 5, 3);
        double worstLoss = 0.0;
        double worstRelative = 0.0;
        for (int step = 0; step < UPDATES; step++) {
            CrossBackendUpdateTest.fill(batch, data);
            UpdateResult a = fp32.update(batch);
            UpdateResult b = bf16.update(batch);
            double[][] pairs = {{a.tdLoss()[0], b.tdLoss()[0]}, {a.tdLoss()[1], b.tdLoss()[1]},
                    {a.conservativeLoss()[0], b.conservativeLoss()[0]}, {a.policyLoss(), b.policyLoss()}};
            for (double[] p : pairs) {
                worstLoss = Math.max(worstLoss, Math.abs(p[1] - p[0]) / (1e-5 + Math.pow(2, -8) * Math.abs(p[0])));
                worstRelative = Math.max(worstRelative, Math.abs(p[1] - p[0]) / Math.max(1e-12, Math.abs(p[0])));
            }
        }
        ModelParameters p = fp32.exportParameters();
        ModelParameters q = bf16.exportParameters();
        ModelParameters start = new UpdateStep(config, nd4j, UpdateDraws.from(new Rng(3))).exportParameters();
        double worstRatio = 0.0;
        for (int k = 0; k < 2; k++) {
            worstRatio = Math.max(worstRatio, norm(p.critics()[k], q.critics()[k]) / norm(p.critics()[k], start.critics()[k]));
            worstRatio = Math.max(worstRatio,
                    norm(p.targetCritics()[k], q.targetCritics()[k]) / norm(p.targetCritics()[k], start.targetCritics()[k]));
        }
        worstRatio = Math.max(worstRatio, norm(p.policy(), q.policy()) / norm(p.policy(), start.policy()));
        double scalars = Math.max(Math.abs(p.logAlpha() - q.logAlpha()), Math.abs(p.logAlphaPrime() - q.logAlphaPrime()));
        System.out.printf("bf16 vs fp32 after %d updates: largest loss difference %.3g relative; parameter "
                + "difference / distance moved at most %.3g; scalars within %.3g%n", UPDATES, worstRelative,
                worstRatio, scalars);
        assertTrue(worstLoss <= 1.0, "losses differ by " + worstLoss + " of the bf16 tolerance");
        assertTrue(worstRatio <= 0.1, "parameters differ by " + worstRatio + " of the distance they moved");
        assertTrue(scalars <= 1e-6, "temperature or Lagrange multiplier differ by " + scalars);
        // bf16 really ran: float32 products from the same seed would agree bit for bit.
        assertTrue(worstRelative > 0, "bf16 and fp32 losses are identical");
    }

    @Test
    void javaBackendRefusesBf16() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.named("java").withPrecision(Precision.BF16));
        assertTrue(e.getMessage().contains("BF16") && e.getMessage().contains("java"), e.getMessage());
    }

    private static double norm(double[][] a, double[][] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                s += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
            }
        }
        return Math.sqrt(s);
    }
}
