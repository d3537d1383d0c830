package org.calql.reference;

import org.calql.nn.JavaBackend;
import org.junit.jupiter.api.Test;

class FqeProbeTest {
    @Test
    void probe() {
        for (boolean discrete : new boolean[] {false, true}) {
            ChainMdp mdp = new ChainMdp(discrete, 30);
            ReferenceData data = EstimatorAccuracyTest.data(mdp, mdp.dataset(300, 7));
            double[] exact = mdp.exactValues(2, -0.5, 0.9);
            System.out.println(java.util.Arrays.toString(exact));
            for (double lr : new double[] {3e-4, 1e-3}) {
                for (int period : new int[] {20, 100}) {
                    long t0 = System.nanoTime();
                    FitSettings s = FitSettings.builder().hidden(64, 64).steps(4000).batchSize(128).learningRate(lr)
                            .targetUpdatePeriod(period).valueSamples(16).seed(3).build();
                    FittedQEvaluation fqe = FittedQEvaluation.fit(data, mdp.mu(), s, new JavaBackend(), null);
                    double[] v = fqe.values(null);
                    System.out.printf("discrete=%s lr=%g period=%d err=%.4f loss=%.4f %dms%n", discrete, lr, period,
                            EstimatorAccuracyTest.relativeError(data, v, exact), fqe.finalLoss(),
                            (System.nanoTime() - t0) / 1000000);
                }
            }
        }
    }
}
