package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The authors' Adroit-binary data handling, each option for what it changes. */
class SuccessFilterTest {
    /** Episodes A = [−1, −1, 0, 0, −1, −1], B = [−1, −1, −1, −1] (failed), C = [−1, 0]; observation = row index. */
    private static OfflineDataset data() {
        float[][] episodes = {{-1, -1, 0, 0, -1, -1}, {-1, -1, -1, -1}, {-1, 0}};
        OfflineDataset.Builder b = OfflineDataset.builder(1, 1);
        int row = 0;
        for (float[] ep : episodes) {
            for (int i = 0; i < ep.length; i++) {
                b.step(new float[] {row}, new float[] {0.5f}, ep[i], new float[] {row + 1}, false,
                        i == ep.length - 1);
                row++;
            }
        }
        return b.build();
    }

    private static float[] rewards(OfflineDataset d) {
        float[] r = new float[d.size()];
        for (int t = 0; t < r.length; t++) {
            r[t] = d.reward(t);
        }
        return r;
    }

    private static float[] firstObservations(OfflineDataset d) {
        float[] o = new float[d.size()];
        for (int t = 0; t < o.length; t++) {
            o[t] = d.observation(t, 0);
        }
        return o;
    }

    @Test
    void skipFailedDropsEpisodesWithoutSuccess() {
        OfflineDataset out = SuccessFilter.builder(0).skipFailedEpisodes(true).build().apply(data());
        assertArrayEquals(new float[] {-1, -1, 0, 0, -1, -1, -1, 0}, rewards(out));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 10, 11}, firstObservations(out));
        assertEquals(0, out.terminalCount());
    }

    @Test
    void cutAtLastSuccessKeepsUpToTheLastSuccessAndFailedEpisodesWhole() {
        OfflineDataset out = SuccessFilter.builder(0).cutAtLastSuccess(true).build().apply(data());
        assertArrayEquals(new float[] {-1, -1, 0, 0, -1, -1, -1, -1, -1, 0}, rewards(out));
        assertArrayEquals(new int[] {4, 4, 2}, out.episodeLengths());
        assertArrayEquals(new float[] {4}, new float[] {out.nextObservation(3, 0)});
    }

    @Test
    void doneAtSuccessMakesEverySuccessStepTerminal() {
        OfflineDataset out = SuccessFilter.builder(0).doneAtSuccess(true).build().apply(data());
        assertEquals(12, out.size());
        boolean[] expected = new boolean[12];
        expected[2] = true;
        expected[3] = true;
        expected[11] = true;
        assertArrayEquals(expected, out.terminals());
    }

    @Test
    void adroitBinaryMatchesTheAuthorsReturnsToGo() {
        OfflineDataset out = SuccessFilter.adroitBinary().apply(data());
        assertArrayEquals(new float[] {-1, -1, 0, 0, -1, 0}, rewards(out));
        double g = 0.99;
        // reward ×10 + 5: success 5, failure −5; the authors' calc_return_to_go over [−5, −5, 5, 5] with dones
        // [0, 0, 1, 1] (replay_buffer.py lines 290-294), then over [−5, 5] with dones [0, 1]
        PreparedDataset p = PreparedDataset.prepare(out, new RewardTransform(10, 5), g, OptionalDouble.of(-5));
        double[] expected = {-5 + g * (-5 + g * 5), -5 + g * 5, 5, 5, -5 + g * 5, 5};
        double[] actual = p.returnsToGo();
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], actual[t], 1e-5, "row " + t);
        }
    }

    @Test
    void refusesEmptyResultsAndNoOptions() {
        OfflineDataset failed = OfflineDataset.builder(1, 1)
                .step(new float[] {0}, new float[] {0}, -1, new float[] {1}, false, true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SuccessFilter.adroitBinary().apply(failed));
        assertTrue(e.getMessage().contains("success reward 0.0"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SuccessFilter.builder(0).build());
        assertTrue(none.getMessage().contains("at least one"), none.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SuccessFilter.builder(Double.NaN).skipFailedEpisodes(true).build());
    }
}
