package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code CalQlConfig.precision(BF16)} end to end: an agent trains with bf16 products, saves and loads as bf16. */
class Bf16AgentTest {
    private static OfflineDataset data() {
        SplittableRandom rng = new SplittableRandom(4);
        OfflineDataset.Builder b = OfflineDataset.builder(3, 2);
        for (int e = 0; e < 8; e++) {
            double[] obs = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            for (int t = 0; t < 10; t++) {
                double[] next = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
                b.step(obs, new double[] {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)}, rng.nextDouble(),
                        next, false, t == 9);
                obs = next;
            }
        }
        return b.build();
    }

    @Test
    void bf16AgentTrainsAndLoadsAsBf16(@TempDir Path dir) throws IOException {
        Bf16GemmTest.assumeBf16();
        CalQlConfig.Builder c = CalQlConfig.builder().observationDim(3).actionDim(2).batchSize(32).cqlNActions(3)
                .qHidden(32, 32).policyHidden(32).seed(5);
        Backend nd4j = Backends.named("nd4j");
        Agent bf16 = Agent.create(c.precision(Precision.BF16).build(), nd4j);
        Agent fp32 = Agent.create(c.precision(Precision.FP32).build(), nd4j);
        OfflineDataset data = data();
        bf16.pretrain(data, 5, null);
        fp32.pretrain(data, 5, null);
        double[] obs = {0.3, 0.6, 0.1};
        double[] a = bf16.act(obs).clone();
        double[] b = fp32.act(obs).clone();
        assertFalse(java.util.Arrays.equals(a, b), "bf16 products must change the bits of a trained policy");
        assertArrayEquals(b, a, 0.05, "bf16 and fp32 policies after 5 updates should act alike");

        bf16.save(dir);
        Agent loaded = Agent.load(dir, nd4j);
        assertEquals(Precision.BF16, loaded.config().precision());
        assertArrayEquals(a, loaded.act(obs), 0.0, "the loaded agent acts as the saved one");
    }
}
