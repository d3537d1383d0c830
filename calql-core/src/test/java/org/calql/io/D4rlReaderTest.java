package org.calql.io;

import static org.calql.io.TestFiles.bytes;
import static org.calql.io.TestFiles.flags;
import static org.calql.io.TestFiles.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.calql.data.OfflineDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** D4RL files of other shapes and encodings than the conformance files, written with jHDF or h5py. */
class D4rlReaderTest {
    @TempDir
    Path dir;

    @Test
    void dropsLastRowAndTimeoutRowsAndTakesNextObservationFromTheFollowingRow() throws IOException {
        int n = 10;
        boolean[] terminals = flags(n, 3);
        boolean[] timeouts = flags(n, 6);
        // uint8 terminals, bool (bit-field) timeouts, float64 rewards
        Path file = TestFiles.d4rl(n, 2, 1, terminals, timeouts).put("terminals", bytes(terminals))
                .write(dir.resolve("d4rl.hdf5"));
        OfflineDataset data = D4rlReader.read(file);

        assertEquals(8, data.size()); // rows 0-5, 7, 8
        assertArrayEquals(new int[] {4, 2, 2}, data.episodeLengths());
        assertEquals(1, data.terminalCount());
        assertTrue(data.isTerminal(3));
        int[] rows = {0, 1, 2, 3, 4, 5, 7, 8};
        for (int k = 0; k < rows.length; k++) {
            int t = rows[k];
            assertEquals(t + 0.01f, data.observation(k, 1), "obs of row " + t);
            assertEquals(t + 1 + 0.01f, data.nextObservation(k, 1), "next obs of row " + t);
            assertEquals(-t, data.action(k, 0));
            assertEquals(t / 2f, data.reward(k));
        }
        // row 5 leads into the timeout row 6; the episode ends there and bootstraps
        assertTrue(data.isEpisodeEnd(5));
        assertFalse(data.isTerminal(5));
        assertMatchesReference(file, n, 2, 1, terminals, timeouts, null);
    }

    @Test
    void takesNextObservationsFromTheKeyAndEndsEpisodesWhereTheyBreakContinuity() throws IOException {
        int n = 9;
        float[][] next = matrix(n, 3, (t, j) -> t + 1 + j / 100f);
        next[4] = new float[] {100f, 100f, 100f}; // observations[5] != next_observations[4]
        boolean[] none = new boolean[n];
        Path file = TestFiles.d4rl(n, 3, 2, none, none).put("next_observations", next)
                .write(dir.resolve("next.hdf5"));
        OfflineDataset data = D4rlReader.read(file);

        assertEquals(8, data.size());
        assertArrayEquals(new int[] {5, 3}, data.episodeLengths());
        assertEquals(0, data.terminalCount());
        assertEquals(100f, data.nextObservation(4, 2));
        assertEquals(8.02f, data.nextObservation(7, 2));
        assertMatchesReference(file, n, 3, 2, none, none, next);
    }

    @Test
    void gzipColumnChunksWithPartialEdgesReadLikeContiguousData() throws IOException {
        int n = 23;
        boolean[] terminals = flags(n, 4, 15);
        boolean[] timeouts = flags(n, 9, 10, 20);
        Path contiguous = TestFiles.d4rl(n, 5, 3, terminals, timeouts).write(dir.resolve("contiguous.hdf5"));
        Path chunked = TestFiles.d4rl(n, 5, 3, terminals, timeouts)
                .putChunked("observations", matrix(n, 5, (t, j) -> t + j / 100f), 4, 2)
                .putChunked("actions", matrix(n, 3, (t, j) -> -t - j / 10f), 7, 1)
                .putChunked("terminals", bytes(terminals), 5)
                .write(dir.resolve("chunked.hdf5"));
        OfflineDataset a = D4rlReader.read(contiguous);
        OfflineDataset b = D4rlReader.read(chunked);
        assertEquals(a.size(), b.size());
        assertEquals(a.observationsView(), b.observationsView());
        assertEquals(a.nextObservationsView(), b.nextObservationsView());
        assertEquals(a.actionsView(), b.actionsView());
        assertArrayEquals(a.episodeEnds(), b.episodeEnds());
        assertMatchesReference(chunked, n, 5, 3, terminals, timeouts, null);
    }

    @Test
    void readsTheH5pyColumnChunkedFile() throws IOException {
        // written by make_extra_files.py: gzip (16, 1) chunks, uint8 terminals, float64 rewards, h5py bools
        int n = 100;
        boolean[] terminals = new boolean[n];
        boolean[] timeouts = new boolean[n];
        for (int t = 0; t < n; t++) {
            terminals[t] = t % 17 == 16;
            timeouts[t] = t % 23 == 22;
        }
        Path file = ConformanceDatasetsTest.resource("d4rl-column-chunks.hdf5");
        assertEquals(DatasetFormat.D4RL, DatasetFormat.detect(file));
        OfflineDataset data = D4rlReader.read(file);
        assertEquals(99 - 4, data.size());
        assertMatchesReference(file, n, 5, 3, terminals, timeouts, null);
    }

    @Test
    void unwrittenChunksReadAsTheFillValueOnlyWhenAsked() throws IOException {
        // written by make_extra_files.py: chunks (8, 1), fill value 7, only rows 0-15 written
        Path file = ConformanceDatasetsTest.resource("d4rl-unwritten-chunks.hdf5");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> D4rlReader.read(file));
        assertEquals(java.util.Optional.of("observations"), e.key());
        assertTrue(e.getMessage().contains("has 6 of its 10 chunks missing"), e::getMessage);
        assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(file));
        OfflineDataset data = D4rlReader.read(file, MissingChunks.READ_AS_FILL_VALUE);
        assertEquals(39, data.size());
        assertEquals(15.01f, data.observation(15, 1));
        assertEquals(7f, data.nextObservation(15, 1));
        assertEquals(7f, data.observation(38, 0));
    }

    @Test
    void acceptsFloatFlagsAndColumnVectorsForPerStepKeys() throws IOException {
        int n = 6;
        float[][] rewards = matrix(n, 1, (t, j) -> t / 2f);
        float[] terminals = {0, 0, 1, 0, 0, 0};
        double[] timeouts = {0, 0, 0, 0, 1, 0};
        Path file = TestFiles.d4rl(n, 2, 2, new boolean[n], new boolean[n]).put("rewards", rewards)
                .put("terminals", terminals).put("timeouts", timeouts).write(dir.resolve("floats.hdf5"));
        OfflineDataset data = D4rlReader.read(file);
        assertEquals(4, data.size());
        assertArrayEquals(new int[] {3, 1}, data.episodeLengths());
        assertEquals(1.5f, data.reward(3));
    }

    @Test
    void handlesTimeoutsAtTheStartBackToBackAndOnTerminalRows() throws IOException {
        int n = 12;
        boolean[] terminals = flags(n, 5, 8);
        boolean[] timeouts = flags(n, 0, 3, 4, 8);
        Path file = TestFiles.d4rl(n, 1, 1, terminals, timeouts).write(dir.resolve("edges.hdf5"));
        OfflineDataset data = D4rlReader.read(file);
        // kept rows 1, 2 | 5 (terminal) | 6, 7 | 9, 10 ; the terminal on timeout row 8 is dropped with it
        assertEquals(7, data.size());
        assertArrayEquals(new int[] {2, 1, 2, 2}, data.episodeLengths());
        assertEquals(1, data.terminalCount());
        assertMatchesReference(file, n, 1, 1, terminals, timeouts, null);
    }

    @Test
    void matchesAReferenceImplementationOnRandomLayouts() throws IOException {
        SplittableRandom random = new SplittableRandom(20240605L);
        for (int trial = 0; trial < 25; trial++) {
            int n = 2 + random.nextInt(60);
            int obsDim = 1 + random.nextInt(6);
            int actDim = 1 + random.nextInt(3);
            boolean[] terminals = new boolean[n];
            boolean[] timeouts = new boolean[n];
            for (int t = 0; t < n; t++) {
                terminals[t] = random.nextInt(8) == 0;
                timeouts[t] = random.nextInt(7) == 0;
            }
            timeouts[0] = false;
            TestFiles files = TestFiles.d4rl(n, obsDim, actDim, terminals, timeouts);
            float[][] next = null;
            if (random.nextBoolean()) {
                next = matrix(n, obsDim, (t, j) -> t + 1 + j / 100f);
                for (int t = 0; t < n; t++) {
                    if (random.nextInt(9) == 0) {
                        next[t][random.nextInt(obsDim)] += 0.5f;
                    }
                }
                files.put("next_observations", next);
            }
            if (random.nextBoolean()) {
                files.putChunked("observations", matrix(n, obsDim, (t, j) -> t + j / 100f),
                        1 + random.nextInt(n), 1 + random.nextInt(obsDim));
            }
            if (random.nextBoolean()) {
                files.put("terminals", bytes(terminals));
            }
            Path file = files.write(dir.resolve("random-" + trial + ".hdf5"));
            assertMatchesReference(file, n, obsDim, actDim, terminals, timeouts, next);
        }
    }

    /**
     * Checks a file written with {@link TestFiles#d4rl} formulas against a direct transcription of
     * D4RL's qlearning_dataset with the episode rule of {@link D4rlReader}.
     */
    static void assertMatchesReference(Path file, int n, int obsDim, int actDim, boolean[] terminals,
            boolean[] timeouts, float[][] next) throws IOException {
        OfflineDataset data = D4rlReader.read(file);
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < n - 1; t++) {
            if (!timeouts[t]) {
                kept.add(t);
            }
        }
        assertEquals(kept.size(), data.size(), "transitions of " + file);
        for (int k = 0; k < kept.size(); k++) {
            int t = kept.get(k);
            for (int j = 0; j < obsDim; j++) {
                assertEquals(t + j / 100f, data.observation(k, j));
                float expectedNext = next == null ? t + 1 + j / 100f : next[t][j];
                assertEquals(expectedNext, data.nextObservation(k, j), "next obs of row " + t);
            }
            for (int j = 0; j < actDim; j++) {
                assertEquals(-t - j / 10f, data.action(k, j));
            }
            assertEquals(t / 2f, data.reward(k));
            assertEquals(terminals[t], data.isTerminal(k), "terminal of row " + t);
            boolean broken = false;
            if (next != null) {
                for (int j = 0; j < obsDim; j++) {
                    broken |= next[t][j] != t + 1 + j / 100f;
                }
            }
            boolean end = terminals[t] || timeouts[t + 1] || t + 1 == n - 1 || broken;
            assertEquals(end, data.isEpisodeEnd(k), "episode end at row " + t);
        }
    }
}
