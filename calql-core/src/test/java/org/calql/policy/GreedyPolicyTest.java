package org.calql.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticLayout;
import org.calql.critic.CriticSpec;
import org.calql.critic.TargetUpdate;
import org.calql.random.Rng;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Initialization;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.junit.jupiter.api.Test;

/** The greedy policy over discrete critics, ε-greedy exploration and its linear decay. */
class GreedyPolicyTest {
    private static final Backend JAVA = Backends.named("java");

    /** A linear critic {@code Q(s, a) = bias[a]} (zero weights). */
    private static Network constant(double... bias) {
        NetworkSpec spec = NetworkSpec.of(2, new int[0], bias.length);
        Network n = JAVA.createNetwork(spec);
        n.importParameters(new double[][] {new double[2 * bias.length], bias.clone()});
        return n;
    }

    @Test
    void argmaxOfTheMeanOverCriticsWithTheLowestIndexOnTies() {
        double[] s = {0.3, -0.7};
        // means [0.5, 1.5, 1.5, -1]: a tie between 1 and 2 goes to 1, though critic 0 alone prefers 2
        GreedyPolicy p = new GreedyPolicy(List.of(constant(0, 1, 2, -1), constant(1, 2, 1, -1)));
        assertEquals(1, p.act(s));
        assertEquals(3, new GreedyPolicy(List.of(constant(0, 0, 0, 5))).act(s));
        assertEquals(0, new GreedyPolicy(List.of(constant(4, 4, 4, 4))).act(s), "all tied: lowest index");
        assertEquals(2, GreedyPolicy.argmaxOfMean(new double[][] {{9, 9, 1, 2, 3}}, 1, 2, 3));
        assertEquals(0, GreedyPolicy.argmaxOfMean(new double[][] {{Double.NaN, Double.NaN}}, 1, 0, 2));
    }

    @Test
    void actRejectsBadObservationsAndCriticsOfOtherShapes() {
        GreedyPolicy p = new GreedyPolicy(List.of(constant(0, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.act(new double[3]));
        assertTrue(e.getMessage().contains("length 2, found 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.act(new double[] {0, Double.NaN}));
        assertTrue(e.getMessage().contains("observation[1] must be finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GreedyPolicy(List.of(constant(0, 1), constant(0, 1, 2))));
        assertThrows(IllegalArgumentException.class, () -> new GreedyPolicy(List.of()));
    }

    @Test
    void concurrentCallersGetTheSequentialActions() throws Exception {
        CriticEnsemble ensemble = new CriticEnsemble(JAVA,
                CriticSpec.mlp(16, 16).networkSpec(CriticLayout.STATE_TO_ACTION_VALUES, 3, 5), 2,
                Initialization.ORTHOGONAL, new SplittableRandom(3), new TargetUpdate(1.0, 1));
        GreedyPolicy p = GreedyPolicy.of(ensemble);
        assertEquals(5, p.numActions());
        SplittableRandom rng = new SplittableRandom(8);
        double[][] observations = new double[400][3];
        int[] expected = new int[observations.length];
        boolean[] seen = new boolean[5];
        for (int i = 0; i < observations.length; i++) {
            for (int j = 0; j < 3; j++) {
                observations[i][j] = rng.nextDouble(-3, 3);
            }
            expected[i] = p.act(observations[i]);
            seen[expected[i]] = true;
        }
        int distinct = 0;
        for (boolean b : seen) {
            distinct += b ? 1 : 0;
        }
        assertTrue(distinct >= 2, "the critics should prefer different actions in different states");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] f = new Future<?>[4];
            int[][] got = new int[4][observations.length];
            for (int t = 0; t < 4; t++) {
                int thread = t;
                f[t] = pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < observations.length; i++) {
                            got[thread][i] = p.act(observations[i]);
                        }
                    }
                });
            }
            for (int t = 0; t < 4; t++) {
                f[t].get();
                assertArrayEquals(expected, got[t], "thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void epsilonGreedyExploresAtItsRateAndIsReproducible() {
        GreedyPolicy greedy = new GreedyPolicy(List.of(constant(0, 0, 3, 0)));
        double[] s = {0, 0};
        EpsilonGreedyPolicy never = new EpsilonGreedyPolicy(greedy, LinearDecay.constant(0.0));
        Rng rng = new Rng(1);
        for (int t = 0; t < 200; t++) {
            assertEquals(2, never.act(s, t, rng));
        }
        EpsilonGreedyPolicy decaying = new EpsilonGreedyPolicy(greedy, new LinearDecay(1.0, 0.1, 1000));
        int[] counts = new int[4];
        int[] first = new int[2000];
        Rng a = new Rng(42);
        for (int t = 0; t < 2000; t++) {
            first[t] = decaying.act(s, 0, a);
            counts[first[t]]++;
        }
        for (int c = 0; c < 4; c++) {
            assertTrue(counts[c] > 400 && counts[c] < 600, "ε = 1 draws uniform actions: " + java.util.Arrays.toString(counts));
        }
        int greedyLate = 0;
        for (int t = 0; t < 4000; t++) {
            greedyLate += decaying.act(s, 5000, a) == 2 ? 1 : 0;
        }
        // ε = 0.1: greedy with probability 0.9 + 0.1/4 = 0.925
        assertEquals(0.925, greedyLate / 4000.0, 0.02);
        Rng b = new Rng(42);
        for (int t = 0; t < 2000; t++) {
            assertEquals(first[t], decaying.act(s, 0, b), "the same seed gives the same actions, call " + t);
        }
    }

    @Test
    void linearDecayValuesAndValidation() {
        LinearDecay d = new LinearDecay(1.0, 0.1, 100);
        assertEquals(1.0, d.value(0));
        assertEquals(0.55, d.value(50), 1e-15);
        assertEquals(0.1, d.value(100));
        assertEquals(0.1, d.value(1_000_000));
        assertEquals(0.3, new LinearDecay(0.9, 0.3, 0).value(0));
        assertEquals("epsilon start must lie in [0, 1], found 1.5",
                assertThrows(IllegalArgumentException.class, () -> new LinearDecay(1.5, 0.1, 10)).getMessage());
        assertEquals("epsilon end must lie in [0, 1], found -0.1",
                assertThrows(IllegalArgumentException.class, () -> new LinearDecay(1, -0.1, 10)).getMessage());
        assertEquals("epsilon decay steps must not be negative, found -1",
                assertThrows(IllegalArgumentException.class, () -> new LinearDecay(1, 0.1, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinearDecay(Double.NaN, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> d.value(-1));
    }
}
