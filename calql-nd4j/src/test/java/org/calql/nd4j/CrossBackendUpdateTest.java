package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Backends;
import org.calql.update.ModelParameters;
import org.calql.update.UpdateResult;
import org.calql.update.UpdateStep;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same seed and data on both backends: after 20 updates the ND4J (float32) parameters agree with the
 * plain-Java (float64) oracle within the float32 parameter tolerance of the conformance cases (1e-3), and
 * the losses of every step agree within 1e-5 + 1e-3·|x|.
 */
class CrossBackendUpdateTest {
    private static final int UPDATES = 20;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void parametersAgreeAfterTwentyUpdates(boolean calibrated) {
        CalQlConfig config = CalQlConfig.builder().observationDim(5).actionDim(3).batchSize(32).cqlNActions(4)
                .qHidden(32, 32).policyHidden(32, 32).maxTargetBackup(true).lagrange(true).seed(11)
                .regularizer(calibrated ? Regularizers.calQl() : Regularizers.cql()).build();
        UpdateStep java = new UpdateStep(config, Backends.named("java"), UpdateDraws.from(new Rng(3)));
        UpdateStep nd4j = new UpdateStep(config, Backends.named("nd4j"), UpdateDraws.from(new Rng(3)));
        SplittableRandom data = new SplittableRandom(5);
        TransitionBatch batch = new TransitionBatch(32, 5, 3);
        double worstLoss = 0.0;
        for (int step = 0; step < UPDATES; step++) {
            fill(batch, data);
            UpdateResult a = java.update(batch);
            UpdateResult b = nd4j.update(batch);
            worstLoss = Math.max(worstLoss, relative(a.tdLoss()[0], b.tdLoss()[0]));
            worstLoss = Math.max(worstLoss, relative(a.conservativeLoss()[1], b.conservativeLoss()[1]));
            worstLoss = Math.max(worstLoss, relative(a.policyLoss(), b.policyLoss()));
        }
        assertTrue(worstLoss <= 1.0, "losses differ by " + worstLoss + " of the float32 tolerance");
        ModelParameters p = java.exportParameters();
        ModelParameters q = nd4j.exportParameters();
        double worst = 0.0;
        for (int k = 0; k < 2; k++) {
            worst = Math.max(worst, maxDiff(p.critics()[k], q.critics()[k]));
            worst = Math.max(worst, maxDiff(p.targetCritics()[k], q.targetCritics()[k]));
        }
        worst = Math.max(worst, maxDiff(p.policy(), q.policy()));
        worst = Math.max(worst, Math.abs(p.logAlpha() - q.logAlpha()));
        worst = Math.max(worst, Math.abs(p.logAlphaPrime() - q.logAlphaPrime()));
        assertTrue(worst <= 1e-3, "largest parameter difference after " + UPDATES + " updates: " + worst);
    }

    private static double relative(double expected, double got) {
        return Math.abs(got - expected) / (1e-5 + 1e-3 * Math.abs(expected));
    }

    private static double maxDiff(double[][] a, double[][] b) {
        double m = 0.0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    static void fill(TransitionBatch batch, SplittableRandom r) {
        fill(batch.observations(), r, 1.0);
        fill(batch.nextObservations(), r, 1.0);
        fill(batch.actions(), r, 0.9);
        fill(batch.rewards(), r, 1.0);
        fill(batch.returnsToGo(), r, 3.0);
        for (int i = 0; i < batch.size(); i++) {
            batch.dones()[i] = r.nextDouble() < 0.1 ? 1.0 : 0.0;
        }
    }

    private static void fill(double[] values, SplittableRandom r, double scale) {
        for (int i = 0; i < values.length; i++) {
            values[i] = scale * (2 * r.nextDouble() - 1);
        }
    }
}
