package org.calql.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.env.BoxSpace;
import org.calql.policy.Policy;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.spi.Activation;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServedPolicyTest {
    @TempDir
    Path dir;

    private static Agent agent() {
        CalQlConfig config = CalQlConfig.builder().observationDim(5).actionDim(3).batchSize(16).cqlNActions(3)
                .qHidden(16, 16).policyHidden(24, 17).maxAction(2.0).seed(11).build();
        return Agent.create(config, Backends.named("java"));
    }

    @Test
    void agreesWithTheAgentsPolicyToTheBit() throws Exception {
        Agent agent = agent();
        ServedPolicy served = ServedPolicy.of(agent);
        PolicyArtifact.write(agent, dir.resolve("p.calqlpolicy"));
        ServedPolicy loaded = ServedPolicy.load(dir.resolve("p.calqlpolicy"));
        double[] obs = ServingFixtures.observations(200, 5, 1);
        double[] batch = loaded.act(obs, 200, new double[200 * 3]);
        for (int r = 0; r < 200; r++) {
            double[] o = Arrays.copyOfRange(obs, r * 5, r * 5 + 5);
            double[] expected = agent.policy().act(o);
            assertArrayEquals(expected, served.act(o), 0.0, "row " + r);
            assertArrayEquals(expected, loaded.act(o), 0.0, "row " + r + " after save and load");
            assertArrayEquals(expected, Arrays.copyOfRange(batch, r * 3, r * 3 + 3), 0.0, "row " + r + " in a batch");
            for (double a : expected) {
                assertTrue(Math.abs(a) <= 2.0, "action " + a + " outside [-maxAction, maxAction]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyLayerKindMatchesTheTrainingForwardToTheBit(Activation activation) throws Exception {
        for (boolean layerNorm : new boolean[] {false, true}) {
            TanhGaussianPolicy policy = ServingFixtures.policy(4, 2, new int[] {9, 7, 5}, activation, layerNorm, 1.5,
                    3);
            ObservationNormalizer normalizer = ServingFixtures.normalizer(4, 5);
            BoxSpace box = new BoxSpace(new double[] {-3, 0}, new double[] {1, 10});
            ServedPolicy served = ServedPolicy.of(policy, normalizer, box);
            served.save(dir.resolve("p"));
            ServedPolicy loaded = ServedPolicy.load(dir.resolve("p"));
            assertEquals(box, loaded.actionBox());
            assertArrayEquals(normalizer.std(), loaded.normalizer().std(), 0.0);
            double[] obs = ServingFixtures.observations(150, 4, 7);
            double[] batch = loaded.act(obs, 150, new double[300]);
            for (int r = 0; r < 150; r++) {
                double[] o = Arrays.copyOfRange(obs, r * 4, r * 4 + 4);
                double[] expected = ServingFixtures.reference(policy, normalizer, box, o);
                String where = activation + " layerNorm=" + layerNorm + " row " + r;
                assertArrayEquals(expected, served.act(o), 0.0, where);
                assertArrayEquals(expected, Arrays.copyOfRange(batch, 2 * r, 2 * r + 2), 0.0, where + " (batch)");
                assertTrue(box.contains(expected), where + ": " + Arrays.toString(expected) + " outside " + box);
            }
        }
    }

    @Test
    void isASnapshotThatLaterTrainingDoesNotChange() {
        TanhGaussianPolicy policy = ServingFixtures.policy(3, 1, new int[] {8}, Activation.RELU, false, 1.0, 1);
        ServedPolicy served = ServedPolicy.of(policy, null, null);
        double[] o = {0.3, -1.2, 2.0};
        double[] before = served.act(o);
        double[][] p = policy.network().exportParameters();
        p[p.length - 1][0] += 1.0; // the mean's bias
        policy.network().importParameters(p);
        assertArrayEquals(before, served.act(o), 0.0);
        assertTrue(ServingFixtures.reference(policy, null, null, o)[0] != before[0], "the policy itself moved");
    }

    @Test
    void concurrentCallersGetTheSingleThreadedBits() throws Exception {
        TanhGaussianPolicy policy = ServingFixtures.policy(6, 2, new int[] {32, 32}, Activation.SILU, true, 1.0, 9);
        ServedPolicy served = ServedPolicy.of(policy, ServingFixtures.normalizer(6, 2), null);
        int rows = 500;
        double[] obs = ServingFixtures.observations(rows, 6, 4);
        double[] expected = served.act(obs, rows, new double[2 * rows]);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    start.await();
                    double[] out = new double[2];
                    double[] o = new double[6];
                    double[] batch = new double[2 * rows];
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < rows; i++) {
                            int r = (i * 7 + offset * 31 + round) % rows;
                            System.arraycopy(obs, 6 * r, o, 0, 6);
                            served.act(o, out);
                            if (out[0] != expected[2 * r] || out[1] != expected[2 * r + 1]) {
                                return "row " + r + " gave " + Arrays.toString(out);
                            }
                        }
                        served.act(obs, rows, batch);
                        if (!Arrays.equals(batch, expected)) {
                            return "a batch differed in round " + round;
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<String> f : results) {
                assertEquals(null, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void actAllocatesNothingOnceWarm() {
        TanhGaussianPolicy policy = ServingFixtures.policy(6, 2, new int[] {32, 32}, Activation.ELU, true, 1.0, 9);
        ServedPolicy served = ServedPolicy.of(policy, ServingFixtures.normalizer(6, 2),
                BoxSpace.uniform(2, -2, 3));
        double[] obs = ServingFixtures.observations(256, 6, 4);
        double[] one = Arrays.copyOf(obs, 6);
        double[] out = new double[2 * 256];
        double[] single = new double[2];
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2000; i++) {
            served.act(one, single);
            served.act(obs, 256, out);
        }
        long id = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1000; i++) {
            served.act(one, single);
            served.act(obs, 256, out);
        }
        long allocated = bean.getThreadAllocatedBytes(id) - before;
        // 2000 calls; one allocation per call would exceed this
        assertTrue(allocated < 1000, "allocated " + allocated + " bytes");
    }

    @Test
    void rejectsBadInputNamingTheRule() {
        ServedPolicy served = ServedPolicy.of(ServingFixtures.policy(3, 1, new int[] {4}, Activation.RELU, false,
                1.0, 1), null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> served.act(new double[] {1, 2}));
        assertTrue(e.getMessage().contains("length 3, found 2"), e.getMessage());
        double[] out = {42.0, 43.0};
        e = assertThrows(IllegalArgumentException.class,
                () -> served.act(new double[] {1, 2, 3, 4, Double.NaN, 6}, 2, out));
        assertTrue(e.getMessage().contains("row 1 [1] must be finite, found NaN"), e.getMessage());
        assertArrayEquals(new double[] {42.0, 43.0}, out, 0.0, "out untouched");
        e = assertThrows(IllegalArgumentException.class, () -> served.act(new double[6], 2, new double[1]));
        assertTrue(e.getMessage().contains("rows x actionDim = 2 x 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ServedPolicy.of((Policy) Proxy.newProxyInstance(Policy.class.getClassLoader(),
                        new Class<?>[] {Policy.class}, (proxy, method, args) -> null), null, null));
        assertTrue(e.getMessage().contains("TanhGaussianPolicy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServedPolicy.of(ServingFixtures.policy(3, 2,
                new int[] {4}, Activation.RELU, false, 1.0, 1), null, BoxSpace.uniform(3, -1, 1)));
        assertTrue(e.getMessage().contains("action box has dim 3 but the policy has actionDim 2"), e.getMessage());
    }
}
