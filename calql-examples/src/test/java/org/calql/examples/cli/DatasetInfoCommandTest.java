package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeLayout;
import org.calql.examples.env.PointMaze;
import org.calql.io.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetInfoCommandTest {
    @TempDir
    Path dir;

    /**
     * Writes generated maze data in D4RL's layout: one row per step, the rows of an episode consecutive,
     * {@code terminals} at goal steps, {@code timeouts} at the last step of a truncated episode.
     */
    static Path writeD4rl(OfflineDataset d, Path file) {
        int n = d.size();
        float[][] obs = new float[n][d.observationDim()];
        float[][] act = new float[n][d.actionDim()];
        float[] rew = new float[n];
        boolean[] term = new boolean[n];
        boolean[] timeouts = new boolean[n];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d.observationDim(); j++) {
                obs[t][j] = d.observation(t, j);
            }
            for (int j = 0; j < d.actionDim(); j++) {
                act[t][j] = d.action(t, j);
            }
            rew[t] = d.reward(t);
            term[t] = d.isTerminal(t);
            timeouts[t] = d.isEpisodeEnd(t) && !d.isTerminal(t);
        }
        try (WritableHdfFile out = HdfFile.write(file)) {
            out.putDataset("observations", obs);
            out.putDataset("actions", act);
            out.putDataset("rewards", rew);
            out.putDataset("terminals", term);
            out.putDataset("timeouts", timeouts);
        }
        return file;
    }

    @Test
    void jsonDescribesTheFileAsTheLoaderReadsIt() throws Exception {
        OfflineDataset generated = DatasetGenerator.pointMaze(new PointMaze(MazeLayout.uMaze(), 60), 6, 3);
        Path file = writeD4rl(generated, dir.resolve("maze.hdf5"));

        CliTest.Result r = CliTest.run("dataset-info", file.toString(), "--format", "d4rl", "--discount", "0.9",
                "--reward-scale", "10", "--reward-bias", "-5", "--sparse-failure-reward", "-5", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();

        // D4RL's qlearning_dataset rules drop every timeout row (here the last row of each truncated episode)
        int truncated = generated.episodeCount() - generated.terminalCount();
        int expectedTransitions = generated.size() - truncated - (generated.isTerminal(generated.size() - 1) ? 1 : 0);
        assertEquals(expectedTransitions, json.get("transitions").getAsInt());
        assertEquals(generated.terminalCount(), json.get("terminals").getAsInt());

        OfflineDataset loaded = DatasetLoader.load(file);
        assertEquals(loaded.size(), json.get("transitions").getAsInt());
        assertEquals(loaded.episodeCount(), json.get("episodes").getAsInt());
        assertEquals(loaded.rewardSum(), json.get("rewardSum").getAsDouble(), 1e-9);
        JsonArray lengths = json.get("episodeLengths").getAsJsonArray();
        assertEquals(loaded.episodeCount(), lengths.size());
        int sum = 0;
        for (int i = 0; i < lengths.size(); i++) {
            assertEquals(loaded.episodeLengths()[i], lengths.get(i).getAsInt());
            sum += lengths.get(i).getAsInt();
        }
        assertEquals(loaded.size(), sum);

        PreparedDataset p = PreparedDataset.prepare(loaded, new RewardTransform(10, -5), 0.9, OptionalDouble.of(-5));
        double rtg = 0;
        for (double g : p.returnsToGo()) {
            rtg += g;
        }
        assertEquals(rtg, json.get("returnToGoSum").getAsDouble(), 1e-6 * Math.abs(rtg));
        assertTrue(rtg < 0, "mostly failures: negative returns");
        assertEquals("d4rl", json.get("format").getAsString());
    }

    @Test
    void plainTextByDefault() throws Exception {
        OfflineDataset generated = DatasetGenerator.pointMaze(new PointMaze(MazeLayout.uMaze(), 40), 3, 1);
        Path file = writeD4rl(generated, dir.resolve("small.hdf5"));
        CliTest.Result r = CliTest.run("dataset-info", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("transitions") && r.out().contains("(d4rl)"), r.out());
    }

    /** A hostile file from calql-core's test resources (made by its make_hostile_files.py). */
    private static Path coreDataset(String name) {
        return Path.of("..", "calql-core", "src", "test", "resources", "datasets", name).toAbsolutePath().normalize();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "d4rl-huge-declared.hdf5 | key 'rewards' has 1999999 of its 2000000 chunks missing",
        "d4rl-huge-declared-v4.hdf5 | key 'rewards' has 1999999 of its 2000000 chunks missing",
        "d4rl-external-link.hdf5 | key 'rewards' is an external link",
        "d4rl-unwritten-chunks.hdf5 | key 'observations' has 6 of its 10 chunks missing"})
    void hostileFilesEndInOneLineOnStderrForDatasetInfoAndTrain(String name, String reason) {
        Path file = coreDataset(name);
        assertTrue(java.nio.file.Files.isRegularFile(file), file::toString);
        CliTest.Result info = CliTest.run("dataset-info", file.toString());
        CliTest.Result train = CliTest.run("train", "--dataset", file.toString(), "--offline-steps", "0",
                "--online-steps", "0");
        for (CliTest.Result r : new CliTest.Result[] {info, train}) {
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(": error: " + file) && r.err().contains(reason), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void discreteD4rlDataReportsItsInferredActionCount() {
        CliTest.Result r = CliTest.run("dataset-info", coreDataset("discrete/d4rl-discrete.hdf5").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("discrete", json.get("actionKind").getAsString());
        assertEquals(5, json.get("numActions").getAsInt());
        assertTrue(json.get("numActionsInferred").getAsBoolean());
        assertEquals(0, json.get("actionStart").getAsLong());
        assertEquals(1, json.get("actionDim").getAsInt());
        assertEquals(37, json.get("transitions").getAsInt());
        assertEquals(5, json.get("episodes").getAsInt());
        assertEquals(2, json.get("terminals").getAsInt());

        CliTest.Result text = CliTest.run("dataset-info", coreDataset("discrete/d4rl-discrete.hdf5").toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("actions         discrete, 5 actions (inferred: largest index + 1)"),
                text.out());
    }

    @Test
    void discreteMinariDataReportsItsDeclaredSpace() {
        CliTest.Result r = CliTest.run("dataset-info", coreDataset("discrete/minari-discrete.hdf5").toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("minari", json.get("format").getAsString());
        assertEquals("discrete", json.get("actionKind").getAsString());
        assertEquals(6, json.get("numActions").getAsInt());
        assertFalse(json.get("numActionsInferred").getAsBoolean());
        assertEquals(15, json.get("transitions").getAsInt());

        Path v05 = coreDataset("discrete/minari-0.5/data/main_data.hdf5");
        CliTest.Result text = CliTest.run("dataset-info", v05.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("actions         discrete, 4 actions (start 1) (declared)"), text.out());
        assertTrue(text.out().contains("transitions     8"), text.out());
    }

    @Test
    void continuousDataReportsItsDimension() {
        CliTest.Result r = CliTest.run("dataset-info", coreDataset("d4rl-dense.hdf5").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("continuous", json.get("actionKind").getAsString());
        assertFalse(json.has("numActions"), r.out());
        CliTest.Result text = CliTest.run("dataset-info", coreDataset("d4rl-dense.hdf5").toString());
        assertTrue(text.out().contains("actions         continuous, 2 dimensions"), text.out());
    }

    @Test
    void aBadDiscreteFileEndsInOneLineNamingKeyAndValue() {
        Path file = coreDataset("discrete/d4rl-discrete-negative.hdf5");
        CliTest.Result r = CliTest.run("dataset-info", file.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(": error: " + file) && r.err().contains("key 'actions' has value -1 at [12]"),
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingChunksLoadWhenAllowed() {
        CliTest.Result r = CliTest.run("dataset-info", coreDataset("d4rl-unwritten-chunks.hdf5").toString(),
                "--allow-missing-chunks", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(39, JsonParser.parseString(r.out()).getAsJsonObject().get("transitions").getAsInt(), r.out());
    }
}
