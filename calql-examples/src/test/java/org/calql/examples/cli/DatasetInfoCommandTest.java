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
    void missingChunksLoadWhenAllowed() {
        CliTest.Result r = CliTest.run("dataset-info", coreDataset("d4rl-unwritten-chunks.hdf5").toString(),
                "--allow-missing-chunks", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(39, JsonParser.parseString(r.out()).getAsJsonObject().get("transitions").getAsInt(), r.out());
    }
}
