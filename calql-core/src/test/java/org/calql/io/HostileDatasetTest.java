package org.calql.io;

import static org.calql.io.TestFiles.flags;
import static org.calql.io.TestFiles.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.calql.data.OfflineDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files (issue 13): declared sizes far beyond the file, corrupt metadata, links and duplicate
 * episodes end in a {@link DatasetFormatException} naming the file, key, value and rule — never in an
 * {@link OutOfMemoryError} or another exception. The size checks run in forked JVMs with small heaps.
 * The files come from {@code make_hostile_files.py}.
 */
class HostileDatasetTest {
    private static final Pattern OUTCOME = Pattern.compile("OUTCOME (\\S+) (\\d+) ?(.*)");
    private static final Pattern FUZZ = Pattern.compile(
            "FUZZ tried=(\\d+) loaded=(\\d+) refused=(\\d+) io=(\\d+) other=(\\d+) slowestMs=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void filesDeclaringTwoBillionRowsAreRefusedUnderA256MbHeapWithoutAFullScan() throws Exception {
        Path huge = ConformanceDatasetsTest.resource("d4rl-huge-declared.hdf5");
        Path hugeV4 = ConformanceDatasetsTest.resource("d4rl-huge-declared-v4.hdf5");
        Path control = ConformanceDatasetsTest.resource("d4rl-dense.hdf5");
        assertTrue(Files.size(huge) < 64 << 10 && Files.size(hugeV4) < 64 << 10, "the hostile files are small");
        ForkedJvm.Result result = ForkedJvm.run(HostileLoadMain.class, "256m", 120, huge.toString(),
                hugeV4.toString(), control.toString());
        System.out.println(result.output);
        assertEquals(0, result.exitCode, result.output);
        List<Matcher> outcomes = new ArrayList<>();
        for (String line : result.output.split("\n")) {
            Matcher m = OUTCOME.matcher(line.trim());
            if (m.matches()) {
                outcomes.add(m);
            }
        }
        assertEquals(3, outcomes.size(), result.output);
        for (int i = 0; i < 2; i++) {
            Matcher m = outcomes.get(i);
            assertEquals("DatasetFormatException", m.group(1), result.output);
            // -Xmx256m is the real check (the old loader needed 6.2 GB); the time is a backstop against the 57 s scan
            // it made, not a speed claim (measured ≈ 0.04–0.44 s when the machine is quiet, seconds under load)
            assertTrue(Long.parseLong(m.group(2)) < 20_000, () -> "refused well before a full scan: " + m.group(0));
            String message = m.group(3);
            assertTrue(message.startsWith((i == 0 ? huge : hugeV4).toString()), message);
            assertTrue(message.contains("key 'rewards'") && message.contains("[2000000000]")
                    && message.contains("1999999 of its 2000000 chunks missing"), message);
        }
        assertEquals("loaded", outcomes.get(2).group(1), result.output);
    }

    @Test
    void aDeclaredSizeTheFileMayNotHoldIsStillCheckedAgainstTheHeap() {
        // with missing chunks allowed the fill value covers the declared rows; 6 bytes a row of bookkeeping
        // alone is 12 GB, more than the test JVM's heap
        Path huge = ConformanceDatasetsTest.resource("d4rl-huge-declared.hdf5");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetLoader.load(huge, DatasetFormat.D4RL, MissingChunks.READ_AS_FILL_VALUE));
        assertEquals(Optional.of("rewards"), e.key());
        assertTrue(e.getMessage().contains("needs 12000")
                && e.getMessage().contains("bytes of heap for 2000000000 rows") && e.getMessage().contains("raise -Xmx"),
                e::getMessage);
    }

    @Test
    void metadataFuzzingEndsOnlyInLoadsOrDatasetFormatExceptionsInA96MbHeap() throws Exception {
        Path jhdfChunked = TestFiles.d4rl(40, 3, 2, flags(40, 7), flags(40, 19))
                .putChunked("observations", matrix(40, 3, (t, j) -> t + j), 8, 3)
                .putChunked("rewards", new float[40], 16).write(dir.resolve("jhdf-chunked.hdf5"));
        List<String> args = new ArrayList<>(List.of("13", "120", dir.resolve("fuzz").toString()));
        for (String name : new String[] {"d4rl-dense.hdf5", "d4rl-sparse.hdf5", "minari-main_data.hdf5",
            "d4rl-column-chunks.hdf5", "d4rl-huge-declared-v4.hdf5"}) {
            args.add(ConformanceDatasetsTest.resource(name).toString());
        }
        args.add(jhdfChunked.toString());
        ForkedJvm.Result result = ForkedJvm.run(HdfFuzzMain.class, "96m", 300, args.toArray(new String[0]));
        System.out.println(result.output);
        assertEquals(0, result.exitCode, result.output);
        Matcher m = FUZZ.matcher(result.output);
        assertTrue(m.find(), result.output);
        int tried = Integer.parseInt(m.group(1));
        int loaded = Integer.parseInt(m.group(2));
        int refused = Integer.parseInt(m.group(3));
        int io = Integer.parseInt(m.group(4));
        assertEquals(720, tried);
        assertEquals(0, Integer.parseInt(m.group(5)), result.output);
        assertEquals(tried, loaded + refused + io);
        assertTrue(refused > tried / 10, () -> "the corruptions reach the checks: " + m.group(0));
    }

    @Test
    void softLinksAreFollowedInsideTheFile() throws IOException {
        // data under /data; root keys are soft links, 'rewards' through /r
        OfflineDataset data = DatasetLoader.load(ConformanceDatasetsTest.resource("d4rl-soft-links.hdf5"));
        assertEquals(5, data.size());
        assertEquals(3, data.observationDim());
        assertEquals(2.1f, data.observation(2, 1), 1e-6f);
        assertEquals(3.1f, data.nextObservation(2, 1), 1e-6f);
        assertEquals(-4f, data.action(4, 1));
        assertEquals(1.5f, data.reward(3));
    }

    @Test
    void softLinkCyclesAreRefused() {
        Path file = ConformanceDatasetsTest.resource("d4rl-soft-link-cycle.hdf5");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
        assertEquals(Optional.of("rewards"), e.key());
        assertTrue(e.getMessage().contains("soft link"), e::getMessage);
    }

    @Test
    void externalLinksAreRefusedSayingSo() {
        // the target (d4rl-dense.hdf5) lies beside the file, and is still not opened
        Path file = ConformanceDatasetsTest.resource("d4rl-external-link.hdf5");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(file));
        assertEquals(Optional.of("rewards"), e.key());
        assertTrue(e.getMessage().contains("key 'rewards' is an external link to 'd4rl-dense.hdf5:/rewards'")
                && e.getMessage().contains("external links are not followed"), e::getMessage);
    }

    @Test
    void minariEpisodesWithTheSameIndexAreRefusedNamingBothGroups() {
        TestFiles files = MinariReaderTest.episode(TestFiles.hdf5(), 1, 3, 2, flags(3), flags(3), false);
        files.put("episode_01/observations", matrix(4, 2, (t, j) -> t))
                .put("episode_01/actions", matrix(3, 1, (t, j) -> t))
                .put("episode_01/rewards", new float[3])
                .put("episode_01/terminations", new boolean[3])
                .put("episode_01/truncations", new boolean[3]);
        Path file = files.write(dir.resolve("duplicates.hdf5"));
        for (DatasetFormat format : new DatasetFormat[] {null, DatasetFormat.MINARI}) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> DatasetLoader.load(file, format));
            assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
            assertTrue(e.getMessage().contains("'episode_01' and 'episode_1' both name episode 1")
                    || e.getMessage().contains("'episode_1' and 'episode_01' both name episode 1"), e::getMessage);
            assertTrue(e.getMessage().contains("one group per episode index"), e::getMessage);
        }
    }

    @Test
    void missingChunksAreRefusedThroughEveryEntryPoint() {
        Path file = ConformanceDatasetsTest.resource("d4rl-unwritten-chunks.hdf5");
        for (ThrowingLoad load : new ThrowingLoad[] {() -> DatasetLoader.load(file),
            () -> DatasetFormat.D4RL.read(file), () -> D4rlReader.read(file, MissingChunks.REFUSE)}) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, load::run);
            assertEquals(Optional.of("observations"), e.key());
            assertTrue(e.getMessage().contains("6 of its 10 chunks missing") && e.getMessage().contains("[8, 1]"),
                    e::getMessage);
        }
    }

    @FunctionalInterface
    private interface ThrowingLoad {
        void run() throws IOException;
    }
}
