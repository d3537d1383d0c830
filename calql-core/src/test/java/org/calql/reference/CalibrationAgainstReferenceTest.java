package org.calql.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.calql.agent.Agent;
import org.calql.agent.CheckpointInfo;
import org.calql.agent.DiscreteAgent;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.discrete.DiscreteConfig;
import org.calql.nn.JavaBackend;
import org.calql.policy.LinearDecay;
import org.calql.regularizer.ReferenceMetrics;
import org.calql.regularizer.ReferenceValues;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.update.ModelParameters;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents calibrated against a fitted reference: the bound rate falls as Cal-QL trains, and save/load keeps bits. */
class CalibrationAgainstReferenceTest {
    static final JavaBackend JAVA = new JavaBackend();

    static CalQlConfig config() {
        return CalQlConfig.builder().observationDim(ChainMdp.S).actionDim(1).batchSize(64).cqlNActions(4)
                .qHidden(32, 32).policyHidden(32).qfLr(1e-3).policyLr(3e-4).discount(0.9).seed(5).build();
    }

    static TrainingConfig training() {
        return TrainingConfig.builder().replayCapacity(100).build();
    }

    /** Values of always moving right (action +2), a policy far better than the uniform behaviour. */
    static double[] rightValues(double gamma) {
        double[] v = new double[ChainMdp.S];
        for (int s = ChainMdp.GOAL - 1; s >= 0; s--) {
            v[s] = s + 1 == ChainMdp.GOAL ? 1.0 : gamma * v[s + 1];
        }
        return v;
    }

    static ValueNetworkReference rightReference(ReferenceData data, int steps) {
        double[] v = rightValues(0.9);
        double[] targets = new double[data.size()];
        double[] raw = new double[ChainMdp.S];
        for (int t = 0; t < data.size(); t++) {
            data.dataset().copyObservation(t, raw, 0);
            targets[t] = v[ChainMdp.stateOf(raw)];
        }
        return FittedValue.fit("always-right", data, null, targets, FitSettings.builder().hidden(16, 16).steps(steps)
                .batchSize(64).learningRate(3e-3).seed(1).build(), JAVA, null);
    }

    @Test
    void boundRateAgainstAStrongerReferenceFallsAsCalQlTrains() {
        ChainMdp mdp = new ChainMdp(false, 30);
        OfflineDataset dataset = mdp.dataset(200, 3);
        Agent agent = Agent.create(config(), training(), JAVA);
        ReferenceData data = agent.referenceData(dataset);
        ValueNetworkReference strong = rightReference(data, 600);
        // the reference is above the behaviour's value: its mean exceeds the mean Monte-Carlo return
        double[] refValues = FittedValue.valuesAt(strong, data, null);
        double[] mc = data.prepared().returnsToGo();
        double refMean = 0;
        double mcMean = 0;
        for (int t = 0; t < data.size(); t++) {
            refMean += refValues[t] / data.size();
            mcMean += mc[t] / data.size();
        }
        assertTrue(refMean > mcMean + 0.1, "reference " + refMean + " vs behaviour " + mcMean);
        agent.calibrateAgainst(strong);
        assertSame(strong, agent.config().referenceValues());
        List<Double> rates = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        agent.pretrain(dataset, 500, new TrainingListener() {
            @Override
            public void onUpdate(Phase phase, long step, UpdateResult result) {
                ReferenceMetrics m = result.reference();
                assertEquals(List.of("always-right"), m.names());
                rates.add(m.boundRateOfReference());
                gaps.add(m.meanGapOfReference());
            }
        });
        double early = mean(rates.subList(0, 50));
        double late = mean(rates.subList(rates.size() - 50, rates.size()));
        System.out.printf("bound rate against always-right: first 50 updates %.3f, last 50 %.3f; gap %.3f → %.3f%n",
                early, late, mean(gaps.subList(0, 50)), mean(gaps.subList(gaps.size() - 50, gaps.size())));
        assertTrue(early > 0.8, "Q starts below the reference: " + early);
        assertTrue(late < early - 0.3, "bound rate falls: " + early + " → " + late);
        assertTrue(mean(gaps.subList(gaps.size() - 50, gaps.size())) > mean(gaps.subList(0, 50)), "the gap closes");
    }

    static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    @Test
    void fittedReferenceIsSavedAndLoadsWithTheSameBits(@TempDir Path dir) throws IOException {
        ChainMdp mdp = new ChainMdp(false, 30);
        OfflineDataset dataset = mdp.dataset(40, 4);
        Agent agent = Agent.create(config(), training(), JAVA);
        ReferenceData data = agent.referenceData(dataset);
        ValueNetworkReference fitted = rightReference(data, 50);
        MaxReference max = MaxReference.of(ReferenceValues.monteCarlo(), fitted);
        agent.calibrateAgainst(max);
        agent.pretrain(dataset, 5, null);
        agent.save(dir);
        assertTrue(CheckpointInfo.read(dir).sections().stream().anyMatch(s -> s.name().equals("reference")));

        Agent loaded = Agent.load(dir, JAVA);
        ReferenceValues restored = loaded.config().referenceValues();
        assertTrue(restored instanceof MaxReference, "restored " + restored);
        List<ReferenceValues> parts = restored.parts();
        assertSame(ReferenceValues.monteCarlo(), parts.get(0));
        ValueNetworkReference v = (ValueNetworkReference) parts.get(1);
        assertEquals("always-right", v.name());
        assertEquals(fitted.spec(), v.spec());
        double[][] a = fitted.parameters();
        double[][] b = v.parameters();
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
        assertArrayEquals(fitted.normalizer().mean(), v.normalizer().mean());

        agent.pretrain(dataset, 5, null);
        loaded.pretrain(dataset, 5, null);
        assertSameParameters(agent.exportParameters(), loaded.exportParameters());

        // saving again writes the same bytes
        Path again = dir.resolveSibling(dir.getFileName() + "-again");
        Path first = dir.resolveSibling(dir.getFileName() + "-first");
        agent.save(first);
        loaded.save(again);
        assertArrayEquals(Files.readAllBytes(first.resolve("agent.calql")),
                Files.readAllBytes(again.resolve("agent.calql")));
    }

    @Test
    void anAgentOnTheMonteCarloDefaultWritesNoReferenceSection(@TempDir Path dir) throws IOException {
        Agent agent = Agent.create(config(), training(), JAVA);
        agent.pretrain(new ChainMdp(false, 30).dataset(10, 1), 2, null);
        agent.save(dir);
        assertFalse(CheckpointInfo.read(dir).sections().stream().anyMatch(s -> s.name().equals("reference")));
        assertSame(ReferenceValues.monteCarlo(), Agent.load(dir, JAVA).config().referenceValues());
    }

    @Test
    void discreteAgentSavesItsFqeReferenceAndMeasuresTheGreedyAction(@TempDir Path dir) throws IOException {
        ChainMdp mdp = new ChainMdp(true, 30);
        OfflineDataset dataset = mdp.dataset(40, 8);
        DiscreteConfig config = DiscreteConfig.builder().observationDim(ChainMdp.S).numActions(2).batchSize(32)
                .criticHidden(16, 16).discount(0.9).seed(2).build();
        DiscreteAgent agent = DiscreteAgent.create(config, training(), new LinearDecay(0.5, 0.05, 10), JAVA);
        ReferenceData data = agent.referenceData(dataset);
        FitSettings settings = FitSettings.builder().hidden(16).steps(100).batchSize(32).learningRate(1e-3).build();
        FittedQEvaluation fqe = FittedQEvaluation.fit(data, mdp.mu(), settings, JAVA, null);
        ValueNetworkReference ref = fqe.reference(settings, JAVA, null);
        agent.calibrateAgainst(ref);
        List<ReferenceMetrics> metrics = new ArrayList<>();
        agent.pretrain(dataset, 4, new TrainingListener() {
            @Override
            public void onUpdate(Phase phase, long step, UpdateResult result) {
                metrics.add(result.reference());
            }
        });
        assertEquals(4, metrics.size());
        assertEquals(List.of("fqe"), metrics.get(0).names());
        double rate = metrics.get(3).boundRateOfReference();
        assertTrue(rate >= 0 && rate <= 1 && Double.isFinite(metrics.get(3).meanGapOfReference()));
        agent.save(dir);
        DiscreteAgent loaded = DiscreteAgent.load(dir, JAVA);
        ValueNetworkReference restored = (ValueNetworkReference) loaded.config().referenceValues();
        double[] raw = ChainMdp.observation(2);
        assertEquals(ref.value(raw), restored.value(raw), 0.0);
        agent.pretrain(dataset, 3, null);
        loaded.pretrain(dataset, 3, null);
        double[] o = ChainMdp.observation(1);
        assertEquals(agent.act(o), loaded.act(o));
        double[][] x = agent.critics().critic(0).exportParameters();
        double[][] y = loaded.critics().critic(0).exportParameters();
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(x[i], y[i]);
        }
    }

    @Test
    void aReferenceFittedThroughAnotherNormaliserIsRefused() {
        ChainMdp mdp = new ChainMdp(false, 30);
        OfflineDataset dataset = mdp.dataset(20, 2);
        Agent agent = Agent.create(config(), training(), JAVA);
        agent.referenceData(dataset);
        ReferenceData raw = ReferenceData.continuous(PreparedDataset.prepare(dataset, RewardTransform.identity(), 0.9),
                ObservationNormalizer.identity(ChainMdp.S), 1.0);
        ValueNetworkReference other = FittedValue.monteCarlo(raw, FitSettings.builder().hidden(4).steps(2).build(),
                JAVA, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> agent.calibrateAgainst(other));
        assertTrue(e.getMessage().contains("fitted-mc") && e.getMessage().contains("referenceData"), e.getMessage());
    }

    @Test
    void maxReferenceReportsEveryPartAndTakesTheLargest() {
        ChainMdp mdp = new ChainMdp(false, 30);
        OfflineDataset dataset = mdp.dataset(30, 6);
        Agent agent = Agent.create(config(), training(), JAVA);
        ReferenceData data = agent.referenceData(dataset);
        ValueNetworkReference right = rightReference(data, 200);
        ReferenceValues minusOne = new ReferenceValues() {
            @Override
            public void compute(org.calql.data.TransitionBatch batch, double[] out) {
                java.util.Arrays.fill(out, 0, batch.size(), -1.0);
            }

            @Override
            public String toString() {
                return "minus-one";
            }
        };
        MaxReference max = MaxReference.of(MaxReference.of(minusOne, ReferenceValues.monteCarlo()), right);
        assertEquals(3, max.parts().size(), "nested maxima are flattened");
        org.calql.data.TransitionBatch batch = new org.calql.data.TransitionBatch(8, ChainMdp.S, 1);
        new org.calql.data.OfflineSampler(data.prepared(), data.normalizer()).sample(batch, 0, 8,
                new org.calql.random.Rng(1));
        double[] out = new double[8];
        max.compute(batch, out);
        double[] r = new double[8];
        right.compute(batch, r);
        for (int i = 0; i < 8; i++) {
            assertEquals(Math.max(-1.0, Math.max(batch.returnsToGo()[i], r[i])), out[i], 0.0);
        }
        agent.calibrateAgainst(max);
        List<ReferenceMetrics> metrics = new ArrayList<>();
        agent.pretrain(dataset, 2, new TrainingListener() {
            @Override
            public void onUpdate(Phase phase, long step, UpdateResult result) {
                metrics.add(result.reference());
            }
        });
        ReferenceMetrics m = metrics.get(1);
        assertEquals(List.of(max.toString(), "minus-one", "monteCarlo", "always-right"), m.names());
        // the maximum bounds more Q-values than any of its parts, and its gap is the smallest
        for (int j = 1; j < 4; j++) {
            assertTrue(m.boundRate()[0] >= m.boundRate()[j], "max vs " + m.names().get(j));
            assertTrue(m.meanGap()[0] <= m.meanGap()[j], "max gap vs " + m.names().get(j));
        }
        assertTrue(m.boundRate()[1] < m.boundRate()[3], "−1 is a looser bound than always-right");
    }

    static void assertSameParameters(ModelParameters a, ModelParameters b) {
        assertEquals(a.logAlpha(), b.logAlpha(), 0.0);
        double[][][] x = a.critics();
        double[][][] y = b.critics();
        for (int k = 0; k < x.length; k++) {
            for (int i = 0; i < x[k].length; i++) {
                assertArrayEquals(x[k][i], y[k][i]);
            }
        }
    }
}
