package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class ReturnsToGoTest {

    /** Random data: rewards, terminal flags and episode-end flags of one length. */
    record Data(float[] rewards, boolean[] terminals, boolean[] ends) {
    }

    @Provide
    Arbitrary<Data> data() {
        return Arbitraries.integers().between(1, 60).flatMap(n -> Combinators.combine(
                Arbitraries.floats().between(-10f, 10f).array(float[].class).ofSize(n),
                Arbitraries.integers().between(0, 9).array(int[].class).ofSize(n),
                Arbitraries.integers().between(0, 9).array(int[].class).ofSize(n))
                .as((r, term, end) -> {
                    boolean[] t = new boolean[n];
                    boolean[] e = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = term[i] == 0;
                        e[i] = t[i] || end[i] == 0;
                    }
                    return new Data(r, t, e);
                }));
    }

    @Property
    void bellmanConsistentWithinEpisodes(@ForAll("data") Data d,
            @ForAll @DoubleRange(min = 0.0, max = 0.999) @Scale(4) double gamma) {
        double[] g = ReturnsToGo.compute(d.rewards(), d.terminals(), d.ends(), gamma, OptionalDouble.empty());
        int n = g.length;
        for (int t = 0; t < n; t++) {
            boolean last = d.ends()[t] || t == n - 1;
            if (d.terminals()[t] || last) {
                // at a terminal, and at the last step of a truncated episode, G = r
                assertEquals(d.rewards()[t], g[t], 0.0, "t=" + t);
            } else {
                double expected = d.rewards()[t] + gamma * g[t + 1];
                assertEquals(expected, g[t], 1e-9 * (1 + Math.abs(expected)), "t=" + t);
            }
        }
    }

    @Property
    void perEpisodeVersionAgreesWithWholeDataset(@ForAll("data") Data d,
            @ForAll @DoubleRange(min = 0.0, max = 0.999) @Scale(4) double gamma) {
        double[] whole = ReturnsToGo.compute(d.rewards(), d.terminals(), d.ends(), gamma, OptionalDouble.of(-1.0));
        double[] pieces = new double[whole.length + 3];
        int start = 0;
        for (int t = 0; t < whole.length; t++) {
            if (d.ends()[t] || t == whole.length - 1) {
                ReturnsToGo.episode(d.rewards(), d.terminals(), start, t + 1, gamma, OptionalDouble.of(-1.0),
                        pieces, start + 3);
                start = t + 1;
            }
        }
        for (int t = 0; t < whole.length; t++) {
            assertEquals(whole[t], pieces[t + 3], 0.0);
        }
    }

    @Property
    void sparseRuleAppliesExactlyToAllFailureEpisodes(@ForAll("data") Data d,
            @ForAll @DoubleRange(min = 0.0, max = 0.99) double gamma) {
        // turn the rewards into a sparse -5/+5 signal, with some episodes all failures
        float[] r = new float[d.rewards().length];
        for (int t = 0; t < r.length; t++) {
            r[t] = d.rewards()[t] > 8f ? 5f : -5f;
        }
        double[] sparse = ReturnsToGo.compute(r, d.terminals(), d.ends(), gamma, OptionalDouble.of(-5.0));
        double[] dense = ReturnsToGo.compute(r, d.terminals(), d.ends(), gamma, OptionalDouble.empty());
        int start = 0;
        for (int t = 0; t < r.length; t++) {
            if (d.ends()[t] || t == r.length - 1) {
                boolean allFail = true;
                for (int i = start; i <= t; i++) {
                    allFail &= r[i] == -5f;
                }
                for (int i = start; i <= t; i++) {
                    assertEquals(allFail ? -5.0 / (1 - gamma) : dense[i], sparse[i], 0.0, "i=" + i);
                }
                start = t + 1;
            }
        }
    }

    @Test
    void handExampleWithTerminalTruncationAndDataBreak() {
        float[] r = {1f, 2f, 3f, 4f, 5f, 6f};
        boolean[] term = {false, true, false, false, false, false};
        // episode A: steps 0-1 ending at a terminal; B: steps 2-3 truncated; C: steps 4-5 (end of data)
        boolean[] ends = {false, true, false, true, false, false};
        double[] g = ReturnsToGo.compute(r, term, ends, 0.5, OptionalDouble.empty());
        assertArrayEquals(new double[] {1 + 0.5 * 2, 2, 3 + 0.5 * 4, 4, 5 + 0.5 * 6, 6}, g, 0.0);
    }

    @Test
    void terminalWithoutEpisodeEndFlagStillStopsTheBootstrap() {
        float[] r = {1f, 1f, 1f};
        double[] g = ReturnsToGo.compute(r, new boolean[] {false, true, false}, new boolean[3], 0.9,
                OptionalDouble.empty());
        assertArrayEquals(new double[] {1.9, 1.0, 1.0}, g, 1e-12);
    }

    @Test
    void sparseHandExampleMatchesConformanceStyleValues() {
        // AntMaze-style: raw 0/1 rewards, scale 10, bias -5 -> -5/+5; failure reward -5
        RewardTransform transform = new RewardTransform(10, -5);
        float[] raw = {0f, 1f, 0f, 0f, 0f};
        float[] r = transform.applyAll(raw);
        boolean[] term = {false, true, false, false, false};
        boolean[] ends = {false, true, false, false, true};
        double[] g = ReturnsToGo.compute(r, term, ends, 0.99, OptionalDouble.of(transform.apply(0.0)));
        // success episode: -5 + 0.99*5 = -0.05 (the first values of the conformance sparse file)
        assertEquals(-0.04999999999999982, g[0], 1e-15);
        assertEquals(5.0, g[1], 0.0);
        // all-failure episode: -5 / (1 - 0.99) at every step
        for (int t = 2; t < 5; t++) {
            assertEquals(-499.99999999999955, g[t], 1e-12);
        }
    }

    @Test
    void badDiscountRejectedWithValue() {
        float[] r = {1f};
        boolean[] f = {false};
        for (double bad : new double[] {1.0, -0.1, Double.NaN, 1.5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReturnsToGo.compute(r, f, f, bad, OptionalDouble.empty()));
            assertTrue(e.getMessage().contains("discount") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
    }

    @Test
    void mismatchedLengthsAndBadRangesRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReturnsToGo.compute(new float[3], new boolean[2], new boolean[3], 0.9, OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("terminals") && e.getMessage().contains("2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ReturnsToGo.compute(new float[3], new boolean[3], new boolean[4], 0.9, OptionalDouble.empty()));
        assertThrows(IllegalArgumentException.class, () -> ReturnsToGo.episode(new float[3], new boolean[3], 1, 4,
                0.9, OptionalDouble.empty(), new double[3], 0));
        assertThrows(IllegalArgumentException.class, () -> ReturnsToGo.episode(new float[3], new boolean[3], 0, 3,
                0.9, OptionalDouble.empty(), new double[3], 1));
        assertThrows(IllegalArgumentException.class, () -> ReturnsToGo.compute(new float[1], new boolean[1],
                new boolean[1], 0.9, OptionalDouble.of(Double.NaN)));
    }

    @Test
    void rewardTransformIsAffineAndValidated() {
        RewardTransform t = new RewardTransform(2.0, -1.0);
        assertEquals(5f, t.apply(3.0));
        assertArrayEquals(new float[] {-1f, 1f}, t.applyAll(new float[] {0f, 1f}));
        assertTrue(RewardTransform.identity().isIdentity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RewardTransform(Double.NaN, 0));
        assertTrue(e.getMessage().contains("scale") && e.getMessage().contains("NaN"));
        assertThrows(IllegalArgumentException.class, () -> new RewardTransform(1, Double.POSITIVE_INFINITY));
    }
}
