package org.calql.io;

import static org.calql.io.TestFiles.bytes;
import static org.calql.io.TestFiles.flags;
import static org.calql.io.TestFiles.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.calql.data.OfflineDataset;
import org.calql.data.ReturnsToGo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Minari files of other shapes and encodings than the conformance file, written with jHDF. */
class MinariReaderTest {
    @TempDir
    Path dir;

    /** Adds episode {@code id} with T steps; obs[t, j] = 1000·id + t + j/100, act = -obs, r[t] = id + t/10. */
    static TestFiles episode(TestFiles files, int id, int steps, int obsDim, boolean[] terminations,
            boolean[] truncations, boolean uint8) {
        String g = "episode_" + id + "/";
        float[] rewards = new float[steps];
        for (int t = 0; t < steps; t++) {
            rewards[t] = id + t / 10f;
        }
        return files.put(g + "observations", matrix(steps + 1, obsDim, (t, j) -> 1000 * id + t + j / 100f))
                .put(g + "actions", matrix(steps, 1, (t, j) -> -(1000 * id + t)))
                .put(g + "rewards", rewards)
                .put(g + "terminations", uint8 ? bytes(terminations) : terminations)
                .put(g + "truncations", uint8 ? bytes(truncations) : truncations)
                .put(g + "infos/success", new boolean[steps]);
    }

    @Test
    void keepsEveryStepOrdersEpisodesByIndexAndBootstrapsTruncatedSteps() throws IOException {
        TestFiles files = TestFiles.hdf5();
        // written out of order; episode_10 must come after episode_2
        episode(files, 10, 2, 2, flags(2, 1), flags(2), true);
        episode(files, 2, 4, 2, flags(4), flags(4, 3), false);
        episode(files, 0, 3, 2, flags(3, 2), flags(3), false);
        Path file = files.write(dir.resolve("main_data.hdf5"));
        assertEquals(DatasetFormat.MINARI, DatasetFormat.detect(file));
        OfflineDataset data = MinariReader.read(file);

        assertEquals(9, data.size());
        assertArrayEquals(new int[] {3, 4, 2}, data.episodeLengths());
        assertEquals(2, data.terminalCount());
        int[] ids = {0, 0, 0, 2, 2, 2, 2, 10, 10};
        int[] steps = {0, 1, 2, 0, 1, 2, 3, 0, 1};
        for (int k = 0; k < 9; k++) {
            float obs = 1000 * ids[k] + steps[k];
            assertEquals(obs + 0.01f, data.observation(k, 1));
            assertEquals(1000 * ids[k] + steps[k] + 1 + 0.01f, data.nextObservation(k, 1));
            assertEquals(-obs, data.action(k, 0), 0f);
            assertEquals(ids[k] + steps[k] / 10f, data.reward(k));
        }
        // episode_2 is truncated: its last step ends the episode but is not terminal
        assertTrue(data.isEpisodeEnd(6));
        assertFalse(data.isTerminal(6));
        assertTrue(data.isTerminal(2));
        assertTrue(data.isTerminal(8));

        float[] rewards = new float[data.size()];
        data.rewardsView().get(rewards);
        double[] rtg = ReturnsToGo.compute(rewards, data.terminals(), data.episodeEnds(), 0.5,
                OptionalDouble.empty());
        assertEquals(2.2 + 0.5 * 2.3, rtg[5], 1e-6); // truncated: G = r at the last step, no bootstrap beyond
        assertEquals(0.2f, rtg[2], 1e-6);
    }

    @Test
    void acceptsFloat64ObservationsAndRewards() throws IOException {
        double[][] obs = {{1, 2}, {3, 4}, {5, 6}};
        Path file = TestFiles.hdf5().put("episode_0/observations", obs)
                .put("episode_0/actions", new double[][] {{0.5}, {-0.5}})
                .put("episode_0/rewards", new double[] {1.25, -2.5})
                .put("episode_0/terminations", new boolean[] {false, true})
                .put("episode_0/truncations", new boolean[] {false, false})
                .write(dir.resolve("f64.hdf5"));
        OfflineDataset data = DatasetLoader.load(file);
        assertEquals(2, data.size());
        assertEquals(5f, data.nextObservation(1, 0));
        assertEquals(-2.5f, data.reward(1));
        assertEquals(1, data.terminalCount());
    }
}
