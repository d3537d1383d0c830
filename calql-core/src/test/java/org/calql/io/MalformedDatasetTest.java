package org.calql.io;

import static org.calql.io.TestFiles.flags;
import static org.calql.io.TestFiles.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every malformed file fails with a {@link DatasetFormatException} whose message names the file, the
 * key, the value or shape, and the rule — never with a raw NPE, index error or jHDF exception.
 */
class MalformedDatasetTest {
    @TempDir
    Path dir;

    private static TestFiles d4rl(int n) {
        return TestFiles.d4rl(n, 3, 2, flags(n, 2), flags(n, 5));
    }

    /** Loads with auto-detection and with the given reader, expecting the same kind of error from both. */
    private DatasetFormatException fails(Path file, DatasetFormat format, String key, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> format.read(file));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), () -> "names the file: " + message);
        assertEquals(Optional.ofNullable(key), e.key(), () -> "key of: " + message);
        if (key != null) {
            assertTrue(message.contains("'" + key + "'"), () -> "names the key: " + message);
        }
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "'" + fragment + "' in: " + message);
        }
        assertEquals(file, e.file());
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"observations", "actions", "rewards", "terminals", "timeouts"})
    void missingD4rlKey(String key) {
        Path file = d4rl(8).remove(key).write(dir.resolve("missing-" + key + ".hdf5"));
        fails(file, DatasetFormat.D4RL, key, "is missing", "a D4RL file needs");
    }

    @Test
    void missingMinariKey() {
        Path file = MinariReaderTest.episode(TestFiles.hdf5(), 0, 3, 2, flags(3), flags(3), false)
                .remove("episode_0/truncations").write(dir.resolve("minari.hdf5"));
        fails(file, DatasetFormat.MINARI, "episode_0/truncations", "is missing", "found keys: [actions, infos,");
    }

    @Test
    void lengthsThatDisagree() {
        Path file = d4rl(8).put("actions", matrix(7, 2, (t, j) -> t)).write(dir.resolve("lengths.hdf5"));
        fails(file, DatasetFormat.D4RL, "actions", "has 7 rows (shape [7, 2])", "'rewards' has 8",
                "one row per step");
        Path next = d4rl(8).put("next_observations", matrix(8, 4, (t, j) -> t)).write(dir.resolve("next.hdf5"));
        fails(next, DatasetFormat.D4RL, "next_observations", "has shape [8, 4]", "same shape");
    }

    @Test
    void minariObservationsMustHaveOneMoreRow() {
        Path file = MinariReaderTest.episode(TestFiles.hdf5(), 0, 3, 2, flags(3), flags(3), false)
                .put("episode_0/observations", matrix(3, 2, (t, j) -> t)).write(dir.resolve("obs.hdf5"));
        fails(file, DatasetFormat.MINARI, "episode_0/observations", "has 3 rows", "T + 1 observations");
    }

    @Test
    void minariWidthsThatDifferBetweenEpisodes() {
        TestFiles files = MinariReaderTest.episode(TestFiles.hdf5(), 0, 3, 2, flags(3), flags(3), false);
        Path file = MinariReaderTest.episode(files, 1, 3, 4, flags(3), flags(3), false)
                .write(dir.resolve("widths.hdf5"));
        fails(file, DatasetFormat.MINARI, "episode_1/observations", "has shape [4, 4]", "same observation width");
    }

    @Test
    void wrongRank() {
        Path vector = d4rl(8).put("observations", new float[8]).write(dir.resolve("rank1.hdf5"));
        fails(vector, DatasetFormat.D4RL, "observations", "has shape [8] (rank 1)", "[N, observationDim]");
        Path cube = d4rl(8).put("observations", new float[8][2][2]).write(dir.resolve("rank3.hdf5"));
        fails(cube, DatasetFormat.D4RL, "observations", "has shape [8, 2, 2] (rank 3)");
        Path wide = d4rl(8).put("rewards", new float[8][2]).write(dir.resolve("rewards2.hdf5"));
        fails(wide, DatasetFormat.D4RL, "rewards", "has shape [8, 2] (rank 2)", "[N] or [N, 1]");
    }

    @Test
    void nanAndInfiniteValuesNameKeyAndIndex() {
        float[][] obs = matrix(8, 3, (t, j) -> t);
        obs[4][1] = Float.NaN;
        Path nan = d4rl(8).put("observations", obs).write(dir.resolve("nan.hdf5"));
        fails(nan, DatasetFormat.D4RL, "observations", "value NaN at [4, 1]", "must be finite");

        double[] rewards = new double[8];
        rewards[6] = Double.NEGATIVE_INFINITY;
        Path inf = d4rl(8).put("rewards", rewards).write(dir.resolve("inf.hdf5"));
        fails(inf, DatasetFormat.D4RL, "rewards", "value -Infinity at [6]");

        rewards[6] = 1e300;
        Path huge = d4rl(8).put("rewards", rewards).write(dir.resolve("huge.hdf5"));
        fails(huge, DatasetFormat.D4RL, "rewards", "value 1.0E300 at [6]", "finite as a float");

        float[][] act = matrix(3, 1, (t, j) -> t);
        act[2][0] = Float.POSITIVE_INFINITY;
        Path minari = MinariReaderTest.episode(TestFiles.hdf5(), 0, 3, 2, flags(3), flags(3), false)
                .put("episode_0/actions", act).write(dir.resolve("minari-inf.hdf5"));
        fails(minari, DatasetFormat.MINARI, "episode_0/actions", "value Infinity at [2, 0]");
    }

    @Test
    void flagsThatAreNotBooleans() {
        byte[] terminals = new byte[8];
        terminals[3] = 2;
        Path two = d4rl(8).put("terminals", terminals).write(dir.resolve("two.hdf5"));
        fails(two, DatasetFormat.D4RL, "terminals", "value 2.0 at [3]", "must be 0 or 1");
        Path text = d4rl(8).put("timeouts", new String[] {"a", "b", "c", "d", "e", "f", "g", "h"})
                .write(dir.resolve("strings.hdf5"));
        fails(text, DatasetFormat.D4RL, "timeouts", "expected a numeric type");
    }

    @Test
    void notHdf5() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.hdf5"), "observations,actions\n1,2\n",
                StandardCharsets.UTF_8);
        fails(text, DatasetFormat.D4RL, null, "is not an HDF5 file");
        Path empty = Files.write(dir.resolve("empty.hdf5"), new byte[0]);
        fails(empty, DatasetFormat.MINARI, null, "is not an HDF5 file");
        Path big = Files.write(dir.resolve("zeros.hdf5"), new byte[4096]);
        fails(big, DatasetFormat.D4RL, null, "is not an HDF5 file");
        assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(text));
        assertThrows(DatasetFormatException.class, () -> DatasetFormat.detect(text));
    }

    @Test
    void missingFile() {
        assertThrows(NoSuchFileException.class, () -> DatasetLoader.load(dir.resolve("nope.hdf5")));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 60, 200, 1000, 4000, 20000, 38000, 38325})
    void truncatedFile(int length) throws IOException {
        byte[] all = Files.readAllBytes(ConformanceDatasetsTest.resource("d4rl-dense.hdf5"));
        Path file = Files.write(dir.resolve("truncated-" + length + ".hdf5"), Arrays.copyOf(all, length));
        DatasetFormatException e = fails(file, DatasetFormat.D4RL, null);
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not an HDF5 file"),
                e::getMessage);
        assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(file));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 800, 2000, 4000, 6000, 10000, 20000, 30000, 37000})
    void corruptBytesFailCleanly(int position) throws IOException {
        for (String name : new String[] {"d4rl-dense.hdf5", "minari-main_data.hdf5"}) {
            byte[] all = Files.readAllBytes(ConformanceDatasetsTest.resource(name));
            for (int i = position; i < position + 64 && i < all.length; i++) {
                all[i] = (byte) (all[i] ^ 0x5A);
            }
            Path file = Files.write(dir.resolve("corrupt-" + position + "-" + name), all);
            try {
                DatasetLoader.load(file);
            } catch (DatasetFormatException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
            }
        }
    }

    @Test
    void truncatedMinariFile() throws IOException {
        byte[] all = Files.readAllBytes(ConformanceDatasetsTest.resource("minari-main_data.hdf5"));
        Path file = Files.write(dir.resolve("truncated.hdf5"), Arrays.copyOf(all, all.length / 2));
        fails(file, DatasetFormat.MINARI, null, "is truncated", "bytes but its HDF5 superblock says");
    }

    @Test
    void emptyDatasets() throws IOException {
        // written by h5py (make_extra_files.py): jHDF cannot write zero-length datasets
        fails(ConformanceDatasetsTest.resource("d4rl-empty.hdf5"), DatasetFormat.D4RL, "rewards",
                "is empty (shape [0])");
        fails(ConformanceDatasetsTest.resource("minari-empty-episode.hdf5"), DatasetFormat.MINARI,
                "episode_0/rewards", "is empty (shape [0])");
        Path one = TestFiles.d4rl(1, 2, 1, new boolean[1], new boolean[1]).write(dir.resolve("one.hdf5"));
        fails(one, DatasetFormat.D4RL, "rewards", "has 1 row", "drops the last row");
        Path allTimeouts = TestFiles.d4rl(4, 2, 1, new boolean[4], flags(4, 0, 1, 2))
                .write(dir.resolve("timeouts.hdf5"));
        fails(allTimeouts, DatasetFormat.D4RL, "timeouts", "no transition is left");
        Path noEpisodes = TestFiles.hdf5().put("episode_x/rewards", new float[] {1}).put("meta", new float[] {1})
                .write(dir.resolve("no-episodes.hdf5"));
        fails(noEpisodes, DatasetFormat.MINARI, null, "has no episode_i groups", "found keys: [episode_x, meta]");
    }

    @Test
    void structureErrors() {
        Path group = d4rl(8).remove("observations").put("observations/x", new float[8])
                .write(dir.resolve("group.hdf5"));
        fails(group, DatasetFormat.D4RL, "observations", "is a group, not a dataset");
        Path dict = MinariReaderTest.episode(TestFiles.hdf5(), 0, 3, 2, flags(3), flags(3), false)
                .remove("episode_0/observations").put("episode_0/observations/achieved_goal", matrix(4, 2, (t, j) -> t))
                .write(dir.resolve("dict.hdf5"));
        fails(dict, DatasetFormat.MINARI, "episode_0/observations", "is a group (a Dict observation space, keys "
                + "[achieved_goal])");
        Path neither = TestFiles.hdf5().put("data", new float[] {1}).write(dir.resolve("neither.hdf5"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(neither));
        assertTrue(e.getMessage().contains("is neither a D4RL file") && e.getMessage().contains("[data]"),
                e::getMessage);
        Path episodeDataset = TestFiles.hdf5().put("episode_0", new float[] {1}).write(dir.resolve("ep.hdf5"));
        fails(episodeDataset, DatasetFormat.MINARI, "episode_0", "is a dataset; a Minari episode must be a group");
        // a D4RL file read as Minari, and the reverse
        fails(d4rl(8).write(dir.resolve("d4rl.hdf5")), DatasetFormat.MINARI, null, "has no episode_i groups");
        fails(ConformanceDatasetsTest.resource("minari-main_data.hdf5"), DatasetFormat.D4RL, "rewards",
                "is missing");
    }

    @Test
    void unknownFormatName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetFormat.fromId("rlds"));
        assertTrue(e.getMessage().contains("[d4rl, minari]") && e.getMessage().contains("'rlds'"), e::getMessage);
        assertEquals(DatasetFormat.MINARI, DatasetFormat.fromId(" Minari "));
    }
}
