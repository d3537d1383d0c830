package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calql.aca.AcaConfig;
import org.calql.aca.AcaUpdateState;
import org.calql.data.OfflineDataset;
import org.calql.nn.JavaBackend;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class AcaAgentTest {
    private static AcaAgent run(long seed, OfflineDataset data) {
        AcaConfig config = AcaConfig.builder(3, 2, AcaConfig.Preset.MUJOCO_MEDIUM_REPLAY).seed(seed).batchSize(32)
                .criticHidden(16, 16).policyHidden(16, 16).topEpisodes(5).build();
        TrainingConfig training = TrainingConfig.builder().evaluationEpisodes(2).randomExplorationSteps(0).build();
        AcaAgent agent = AcaAgent.create(config, training, new JavaBackend());
        agent.pretrain(data, 60, null);
        agent.finetune(data, new PlaneWorld(), 48, null);
        return agent;
    }

    @Test
    void sameSeedSameBitsThroughOfflineAlignmentAndOnline() {
        OfflineDataset data = PlaneWorld.randomData(20, 4);
        AcaAgent a = run(9, data);
        AcaAgent b = run(9, data);
        assertTrue(a.updateRule().online());
        assertTrue(a.trainingState().finetuneUpdates() > 0, "the online phase made updates");
        AcaUpdateState sa = a.updateRule().exportState();
        AcaUpdateState sb = b.updateRule().exportState();
        assertEquals(sa.steps(), sb.steps());
        assertEquals(Double.doubleToRawLongBits(sa.weight()), Double.doubleToRawLongBits(sb.weight()));
        assertEquals(Double.doubleToRawLongBits(sa.logAlpha().value()), Double.doubleToRawLongBits(sb.logAlpha().value()));
        for (int i = 0; i < sa.policy().parameters().length; i++) {
            assertArrayEquals(sa.policy().parameters()[i], sb.policy().parameters()[i], 0.0);
        }
        for (int k = 0; k < sa.critics().critics().length; k++) {
            for (int i = 0; i < sa.critics().critics()[k].length; i++) {
                assertArrayEquals(sa.critics().critics()[k][i], sb.critics().critics()[k][i], 0.0);
            }
        }
        AcaAgent c = run(10, data);
        assertTrue(c.updateRule().exportState().policy().parameters()[0][0] != sa.policy().parameters()[0][0],
                "another seed gives other numbers");
        double start = AcaConfig.builder(3, 2, AcaConfig.Preset.MUJOCO_MEDIUM_REPLAY).build().interpolationStart();
        long online = sa.steps() - 60;
        assertEquals(Math.max(start - online * start / (40 * 1000.0), 0.5), sa.weight(), 1e-12, "w falls linearly");
    }

    @Test
    void topEpisodesSeedTheOnlineReplay() {
        OfflineDataset data = PlaneWorld.randomData(20, 4);
        AcaConfig config = AcaConfig.builder(3, 2).batchSize(8).criticHidden(8).policyHidden(8).topEpisodes(3).build();
        AcaAgent agent = AcaAgent.create(config, TrainingConfig.defaults(), new JavaBackend());
        agent.useOfflineData(data);
        agent.applyOnlineSettings();
        int[] lengths = data.episodeLengths();
        double[] returns = new double[lengths.length];
        int[] starts = data.episodeStarts();
        for (int e = 0; e < lengths.length; e++) {
            for (int t = starts[e]; t < starts[e] + lengths[e]; t++) {
                returns[e] += data.reward(t);
            }
        }
        Integer[] order = new Integer[lengths.length];
        for (int e = 0; e < order.length; e++) {
            order[e] = e;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(returns[x], returns[y]));
        int expected = 0;
        for (int i = order.length - 3; i < order.length; i++) {
            expected += lengths[order[i]];
        }
        assertEquals(expected, agent.trainingState().replay().size());
    }
}
