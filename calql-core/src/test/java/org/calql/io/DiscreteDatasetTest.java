package org.calql.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.calql.data.OfflineDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Discrete-action data (issue 10): D4RL files whose {@code actions} is an integer vector, Minari files declaring
 * a {@code Discrete} action space (as Minari 0.4 and 0.5 write it), {@link DatasetLoader#inspect} and
 * {@link DatasetLoader#loadDiscrete}, and every refusal. The files and the formulas their values follow come
 * from {@code datasets/discrete/make_discrete_files.py}.
 */
class DiscreteDatasetTest {
    private static final Pattern FUZZ = Pattern.compile(
            "FUZZ tried=(\\d+) loaded=(\\d+) refused=(\\d+) io=(\\d+) other=(\\d+) slowestMs=(\\d+)");

    /** Characters a corruption of metadata.json writes: JSON's own, digits, letters of its literals, a non-UTF-8 byte. */
    private static final String JSON_BYTES = " {}[]\",:\\0123456789-.eEtrnuaflsx\u00ff";

    /** Rows of the D4RL files; rows 17 and 33 (timeouts) and 39 (last) are dropped by qlearning_dataset. */
    private static final int ROWS = 40;

    @TempDir
    Path dir;

    static Path file(String name) {
        return ConformanceDatasetsTest.resource("discrete/" + name);
    }

    private static int d4rlAction(int row) {
        return (3 * row + 1) % 5;
    }

    /** The D4RL rows kept by qlearning_dataset, in order. */
    private static int[] keptRows() {
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < ROWS - 1; t++) {
            if (t != 17 && t != 33) {
                kept.add(t);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void assertD4rlFacts(OfflineDataset data) {
        int[] rows = keptRows();
        assertEquals(37, data.size());
        assertEquals(1, data.actionDim());
        assertEquals(2, data.observationDim());
        assertArrayEquals(new int[] {10, 7, 8, 7, 5}, data.episodeLengths());
        assertEquals(2, data.terminalCount());
        for (int k = 0; k < rows.length; k++) {
            int t = rows[k];
            assertEquals(d4rlAction(t), data.action(k, 0), 0f, "action of transition " + k + " (row " + t + ")");
            assertEquals(t + 0.1f, data.observation(k, 1), 0f);
            assertEquals(t + 1 + 0.1f, data.nextObservation(k, 1), 0f);
            assertEquals(t / 4f, data.reward(k), 0f);
            assertEquals(t == 9 || t == 25, data.isTerminal(k), "terminal at row " + t);
        }
    }

    /** Expects a refusal naming the file, the key and every fragment. */
    private static DatasetFormatException refused(Path file, String key, Load load, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, load::run);
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString() + ": "), () -> "names the file: " + message);
        assertEquals(file, e.file());
        assertEquals(Optional.ofNullable(key), e.key(), () -> "key of: " + message);
        if (key != null) {
            assertTrue(message.contains("key '" + key + "'"), () -> "names the key: " + message);
        }
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "'" + fragment + "' in: " + message);
        }
        return e;
    }

    @FunctionalInterface
    private interface Load {
        void run() throws IOException;
    }

    // ---- D4RL

    @Test
    void d4rlIntegerActionsLoadAsIndicesWithQlearningDatasetSemantics() throws IOException {
        Path file = file("d4rl-discrete.hdf5");
        assertEquals(DatasetFormat.D4RL, DatasetFormat.detect(file));
        assertEquals(new DatasetActions.Discrete(5, 0, true), DatasetLoader.inspect(file));
        assertD4rlFacts(DatasetLoader.loadDiscrete(file, 5));
        // more actions than the data uses is fine; the format given explicitly reads the same
        assertD4rlFacts(DatasetLoader.loadDiscrete(file, DatasetFormat.D4RL, MissingChunks.REFUSE, 18));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8", "uint8", "int16", "uint16-be", "int32", "uint32", "uint64"})
    void everyIntegerTypeLoadsTheSameIndices(String type) throws IOException {
        Path file = file("d4rl-discrete-" + type + ".hdf5");
        assertEquals(new DatasetActions.Discrete(5, 0, true), DatasetLoader.inspect(file));
        assertD4rlFacts(DatasetLoader.loadDiscrete(file, 5));
    }

    @Test
    void floatStoredIndicesLoadWhenEveryValueIsIntegral() throws IOException {
        Path file = file("d4rl-discrete-float.hdf5");
        assertD4rlFacts(DatasetLoader.loadDiscrete(file, 5));
        // by its type a float vector is not discrete data: inspect and load treat it as D4RL always did
        refused(file, "actions", () -> DatasetLoader.inspect(file), "has shape [40] (rank 1)");
        refused(file, "actions", () -> DatasetLoader.load(file), "has shape [40] (rank 1)",
                "read by DatasetLoader.loadDiscrete");
    }

    @Test
    void anActionAtOrAboveNIsRefusedNamingRowAndValue() {
        // a[1] = 4 is the first action outside [0, 4)
        Path file = file("d4rl-discrete.hdf5");
        refused(file, "actions", () -> DatasetLoader.loadDiscrete(file, 4), "has value 4 at [1]",
                "a discrete action must be an index in [0, 4) for 4 actions");
    }

    @Test
    void aNegativeIntegerIsRefusedByLoadAndInspect() {
        Path file = file("d4rl-discrete-negative.hdf5");
        refused(file, "actions", () -> DatasetLoader.loadDiscrete(file, 5), "has value -1 at [12]",
                "must not be negative: it must lie in [0, 5)");
        refused(file, "actions", () -> DatasetLoader.inspect(file), "has value -1 at [12]", "must not be negative");
    }

    @Test
    void aNonIntegralFloatIsRefused() {
        Path file = file("d4rl-discrete-nonintegral.hdf5");
        refused(file, "actions", () -> DatasetLoader.loadDiscrete(file, 5), "has value 2.5 at [7] in a float32 column",
                "a discrete action must be an integral index");
    }

    @Test
    void continuousFloatActionsAreRefusedWhereIntegersAreExpected() {
        Path file = ConformanceDatasetsTest.resource("d4rl-dense.hdf5");
        refused(file, "actions", () -> DatasetLoader.loadDiscrete(file, 4),
                "holds continuous actions (float32, shape [270, 2]) where integer action indices are expected",
                "an integer dataset of shape [N]", "DatasetLoader.load");
    }

    @Test
    void aTwoDimensionalIntegerActionsIsRefusedAsDiscreteAndLoadsAsContinuousAsBefore() throws IOException {
        Path file = file("d4rl-discrete-2d.hdf5");
        refused(file, "actions", () -> DatasetLoader.loadDiscrete(file, 5),
                "is a 2-D integer dataset (int64, shape [40, 2])", "one index per step",
                "multi-discrete actions are not supported");
        assertEquals(new DatasetActions.Continuous(2), DatasetLoader.inspect(file));
        OfflineDataset data = DatasetLoader.load(file);
        assertEquals(2, data.actionDim());
        assertEquals(d4rlAction(3), data.action(3, 0), 0f);
        assertEquals(0f, data.action(3, 1), 0f);
    }

    @Test
    void integerActionsAreRefusedByTheContinuousLoaderPointingAtTheDiscreteOne() {
        Path file = file("d4rl-discrete.hdf5");
        for (Load load : new Load[] {() -> DatasetLoader.load(file), () -> DatasetFormat.D4RL.read(file),
            () -> D4rlReader.read(file)}) {
            refused(file, "actions", load, "holds discrete action indices (int64, shape [40])",
                    "DatasetLoader.load reads continuous actions only",
                    "DatasetLoader.loadDiscrete(file, n)", "DatasetLoader.inspect(file) reports n");
        }
    }

    @Test
    void theNumberOfActionsIsValidated() {
        Path file = file("d4rl-discrete.hdf5");
        for (int n : new int[] {0, -3, (1 << 24) + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatasetLoader.loadDiscrete(file, n));
            assertTrue(e.getMessage().contains("numActions must be between 1 and 16777216")
                    && e.getMessage().contains("found " + n), e::getMessage);
        }
    }

    @Test
    void hugeDeclaredIntegerActionsAreRefusedBeforeAllocation() {
        Path file = file("d4rl-discrete-huge-declared.hdf5");
        refused(file, "rewards", () -> DatasetLoader.loadDiscrete(file, 4), "1999999 of its 2000000 chunks missing");
        // inspect checks rewards first, as the loaders do, so both name the same key
        refused(file, "rewards", () -> DatasetLoader.inspect(file), "1999999 of its 2000000 chunks missing");
        refused(file, "actions", () -> DatasetLoader.inspect(file, DatasetFormat.D4RL, MissingChunks.READ_AS_FILL_VALUE),
                "bytes of heap for 2000000000 action indices as a load would hold them", "raise -Xmx");
        // with missing chunks read as fill values, the heap check refuses the 12 GB of row bookkeeping
        refused(file, "rewards", () -> DatasetLoader.loadDiscrete(file, DatasetFormat.D4RL,
                MissingChunks.READ_AS_FILL_VALUE, 4), "bytes of heap for 2000000000 rows", "raise -Xmx");
    }

    // ---- Minari 0.4: the space in the root attributes

    @Test
    void minariDiscreteSpaceFromRootAttributes() throws IOException {
        Path file = file("minari-discrete.hdf5");
        assertEquals(DatasetFormat.MINARI, DatasetFormat.detect(file));
        // declared n = 6 although the data never takes action 5
        assertEquals(new DatasetActions.Discrete(6, 0, false), DatasetLoader.inspect(file));
        OfflineDataset data = DatasetLoader.loadDiscrete(file, 6);
        assertEquals(15, data.size());
        assertEquals(1, data.actionDim());
        assertArrayEquals(new int[] {6, 4, 5}, data.episodeLengths());
        assertEquals(2, data.terminalCount());
        int k = 0;
        int[] lengths = {6, 4, 5};
        for (int e = 0; e < 3; e++) {
            for (int t = 0; t < lengths[e]; t++, k++) {
                assertEquals((e + 2 * t) % 5, data.action(k, 0), 0f, "episode " + e + " step " + t);
                assertEquals(100 * e + t + 0.2f, data.observation(k, 2), 1e-4f);
                assertEquals(100 * e + t + 1 + 0.2f, data.nextObservation(k, 2), 1e-4f);
                assertEquals((float) (e + t / 10.0), data.reward(k), 0f);
                assertEquals(t == lengths[e] - 1 && e != 1, data.isTerminal(k));
                assertEquals(t == lengths[e] - 1, data.isEpisodeEnd(k));
            }
        }
    }

    @Test
    void minariDiscreteSpaceIsRefusedByTheContinuousLoader() {
        Path file = file("minari-discrete.hdf5");
        refused(file, null, () -> DatasetLoader.load(file),
                "declares a Discrete(6) in root attribute 'action_space' (minari_version ~=0.4) action space",
                "DatasetLoader.load reads continuous actions only", "DatasetLoader.loadDiscrete(file, 6)");
    }

    @Test
    void minariDeclaredNMustMatchTheAskedN() {
        Path file = file("minari-discrete.hdf5");
        refused(file, null, () -> DatasetLoader.loadDiscrete(file, 5), "declares a Discrete(6)",
                "but 5 actions were asked for", "must match");
    }

    @Test
    void minariActionOutsideTheDeclaredSpaceIsRefused() {
        Path file = file("minari-discrete-out-of-range.hdf5");
        refused(file, "episode_1/actions", () -> DatasetLoader.loadDiscrete(file, 6), "has value 6 at [3]",
                "an index in [0, 6) for 6 actions");
    }

    @Test
    void minariNonIntegralFloatActionIsRefused() {
        Path file = file("minari-discrete-float.hdf5");
        refused(file, "episode_2/actions", () -> DatasetLoader.loadDiscrete(file, 6),
                "has value 1.5 at [1] in a float32 column", "integral index");
    }

    @Test
    void minariBoxSpaceIsContinuous() throws IOException {
        Path file = file("minari-box-space.hdf5");
        assertEquals(new DatasetActions.Continuous(2), DatasetLoader.inspect(file));
        OfflineDataset data = DatasetLoader.load(file);
        assertEquals(2, data.actionDim());
        assertEquals(5, data.size());
        assertEquals(-2f, data.action(1, 1), 0f);
        refused(file, null, () -> DatasetLoader.loadDiscrete(file, 5), "declares a Box in root attribute "
                + "'action_space' (minari_version ~=0.4) action space (continuous) but discrete actions were asked for");
    }

    @Test
    void minariUndeclaredIntegerActionsAreInferred() throws IOException {
        // episode groups whose actions are int64 vectors and no declared space: n is the largest index + 1
        TestFiles files = TestFiles.hdf5();
        int[][] actions = {{0, 3, 1}, {2, 2}};
        for (int e = 0; e < 2; e++) {
            int steps = actions[e].length;
            files.put("episode_" + e + "/observations", TestFiles.matrix(steps + 1, 2, (t, j) -> t))
                    .put("episode_" + e + "/actions", java.util.Arrays.stream(actions[e]).asLongStream().toArray())
                    .put("episode_" + e + "/rewards", new float[steps])
                    .put("episode_" + e + "/terminations", new boolean[steps])
                    .put("episode_" + e + "/truncations", new boolean[steps]);
        }
        Path file = files.write(dir.resolve("undeclared.hdf5"));
        assertEquals(new DatasetActions.Discrete(4, 0, true), DatasetLoader.inspect(file));
        OfflineDataset data = DatasetLoader.loadDiscrete(file, 4);
        float[] got = new float[data.size()];
        data.actionsView().get(got);
        assertArrayEquals(new float[] {0, 3, 1, 2, 2}, got);
        refused(file, "episode_0/actions", () -> DatasetLoader.load(file), "holds discrete action indices (int64, "
                + "shape [3])", "DatasetLoader.loadDiscrete(file, n)");
        refused(file, "episode_0/actions", () -> DatasetLoader.loadDiscrete(file, 3), "has value 3 at [1]");
    }

    @Test
    void malformedOrUnsupportedMinariSpacesAreRefusedByEveryEntryPoint() {
        Path badJson = file("minari-discrete-bad-json.hdf5");
        Path badN = file("minari-discrete-bad-n.hdf5");
        Path dict = file("minari-dict-space.hdf5");
        for (Path file : new Path[] {badJson, badN, dict}) {
            for (Load load : new Load[] {() -> DatasetLoader.inspect(file), () -> DatasetLoader.load(file),
                () -> DatasetLoader.loadDiscrete(file, 6)}) {
                if (file == badJson) {
                    refused(file, null, load, "has a Minari root attribute 'action_space' that is not valid JSON: "
                            + "expected '}' at character 27");
                } else if (file == badN) {
                    refused(file, null, load, "whose Discrete 'n' is 'six'; Minari writes an integer");
                } else {
                    refused(file, null, load, "declares a Dict in root attribute 'action_space'",
                            "calql reads Box (continuous) and Discrete action spaces only");
                }
            }
        }
    }

    // ---- Minari 0.5: the space in metadata.json beside main_data.hdf5

    @Test
    void minariDiscreteSpaceFromMetadataJsonWithAStart() throws IOException {
        Path file = file("minari-0.5/data/main_data.hdf5");
        assertEquals(new DatasetActions.Discrete(4, 1, false), DatasetLoader.inspect(file));
        OfflineDataset data = DatasetLoader.loadDiscrete(file, 4);
        assertEquals(8, data.size());
        assertArrayEquals(new int[] {5, 3}, data.episodeLengths());
        assertEquals(1, data.terminalCount());
        int[] lengths = {5, 3};
        int k = 0;
        for (int e = 0; e < 2; e++) {
            for (int t = 0; t < lengths[e]; t++, k++) {
                // stored 1 + (e + t) % 4 from Discrete(4, start=1): index (e + t) % 4
                assertEquals((e + t) % 4, data.action(k, 0), 0f);
            }
        }
        String where = file.toAbsolutePath().resolveSibling("metadata.json").toString();
        refused(file, null, () -> DatasetLoader.load(file), "declares a Discrete(4, start=1) in 'action_space' of "
                + where + " (minari_version 0.5.3) action space", "DatasetLoader.loadDiscrete(file, 4)");
    }

    @Test
    void metadataJsonIsReadOnlyBesideAMainDataFile() throws IOException {
        // the same file under another name: no declared space, so its int64 actions 1..4 give n = 5 inferred
        Path copy = Files.copy(file("minari-0.5/data/main_data.hdf5"), dir.resolve("episodes.hdf5"));
        Files.copy(file("minari-0.5/data/metadata.json"), dir.resolve("metadata.json"));
        assertEquals(new DatasetActions.Discrete(5, 0, true), DatasetLoader.inspect(copy));
    }

    @Test
    void aStartShiftedValueBelowTheStartIsRefusedNamingBoth() throws IOException {
        Path data = dir.resolve("main_data.hdf5");
        Files.copy(file("minari-0.5/data/main_data.hdf5"), data);
        Files.writeString(dir.resolve("metadata.json"), "{\"action_space\": \"{\\\"type\\\": \\\"Discrete\\\", "
                + "\\\"n\\\": 4, \\\"start\\\": 2}\", \"minari_version\": \"0.5.3\"}", StandardCharsets.UTF_8);
        // episode 0 step 0 stores 1: index 1 - 2 = -1
        refused(data, "episode_0/actions", () -> DatasetLoader.loadDiscrete(data, 4), "has value 1 at [0] (index -1 "
                + "after subtracting the space's start 2)", "must not be negative");
    }

    @Test
    void corruptMetadataJsonEndsInDatasetFormatExceptionOrALoad() throws IOException {
        Path data = dir.resolve("main_data.hdf5");
        Files.copy(file("minari-0.5/data/main_data.hdf5"), data);
        byte[] pristine = Files.readAllBytes(file("minari-0.5/data/metadata.json"));
        SplittableRandom random = new SplittableRandom(10);
        int refused = 0;
        int loaded = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bytes = pristine.clone();
            int corruptions = 1 + random.nextInt(3);
            for (int c = 0; c < corruptions; c++) {
                bytes[random.nextInt(bytes.length)] = (byte) JSON_BYTES.charAt(random.nextInt(JSON_BYTES.length()));
            }
            if (random.nextInt(10) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Files.write(dir.resolve("metadata.json"), bytes);
            try {
                DatasetLoader.inspect(data);
                DatasetLoader.loadDiscrete(data, 4);
                loaded++;
            } catch (DatasetFormatException e) {
                assertTrue(e.getMessage().startsWith(data.toString()), e::getMessage);
                refused++;
            }
        }
        System.out.println("metadata.json corruptions: loaded " + loaded + ", refused " + refused);
        assertEquals(300, loaded + refused);
        assertTrue(refused > 150, "the corruptions reach the checks: refused " + refused);
    }

    // ---- continuous files, and fuzzing

    @Test
    void continuousFilesInspectAsContinuous() throws IOException {
        assertEquals(new DatasetActions.Continuous(2),
                DatasetLoader.inspect(ConformanceDatasetsTest.resource("d4rl-dense.hdf5")));
        // the conformance Minari file declares no action space; its actions are float32 [T, 1]
        assertEquals(new DatasetActions.Continuous(1),
                DatasetLoader.inspect(ConformanceDatasetsTest.resource("minari-main_data.hdf5")));
        assertEquals("continuous, 2 dimensions", new DatasetActions.Continuous(2).toString());
        assertEquals("discrete, 6 actions (declared)", new DatasetActions.Discrete(6, 0, false).toString());
        assertEquals("discrete, 4 actions (start 1) (inferred: largest index + 1)",
                new DatasetActions.Discrete(4, 1, true).toString());
        assertThrows(IllegalArgumentException.class, () -> new DatasetActions.Discrete(0, 0, true));
        assertFalse(new DatasetActions.Discrete(3, 0, false).inferred());
    }

    @Test
    void metadataFuzzingOfTheDiscreteFilesEndsOnlyInLoadsOrDatasetFormatExceptionsInA96MbHeap() throws Exception {
        List<String> args = new ArrayList<>(List.of("29", "120", dir.resolve("fuzz").toString()));
        args.add(file("d4rl-discrete.hdf5") + "@5");
        args.add(file("minari-discrete.hdf5") + "@6");
        ForkedJvm.Result result = ForkedJvm.run(HdfFuzzMain.class, "96m", 300, args.toArray(new String[0]));
        System.out.println(result.output);
        assertEquals(0, result.exitCode, result.output);
        Matcher m = FUZZ.matcher(result.output);
        assertTrue(m.find(), result.output);
        int tried = Integer.parseInt(m.group(1));
        int loaded = Integer.parseInt(m.group(2));
        int refused = Integer.parseInt(m.group(3));
        int io = Integer.parseInt(m.group(4));
        assertEquals(240, tried);
        assertEquals(0, Integer.parseInt(m.group(5)), result.output);
        assertEquals(tried, loaded + refused + io);
        assertTrue(refused > tried / 10, () -> "the corruptions reach the checks: " + m.group(0));
    }
}
