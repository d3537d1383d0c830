package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.train.TrainingConfig;
import org.calql.update.ModelParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save / load: bitwise resumption and clear failures that leave nothing half-loaded. */
class AgentCheckpointTest {
    private static final Backend JAVA = Backends.named("java");

    static CalQlConfig config() {
        return CalQlConfig.builder().observationDim(2).actionDim(1).batchSize(16).cqlNActions(3)
                .qHidden(16, 16).policyHidden(16).seed(7).maxTargetBackup(true).lagrange(true).build();
    }

    static TrainingConfig training() {
        return TrainingConfig.builder().replayCapacity(500).mixingRatio(0.5).randomExplorationSteps(5)
                .updatesPerEnvironmentStep(2).evaluationEpisodes(2).build();
    }

    @Test
    void resumedPretrainingMatchesUninterruptedBitForBit(@TempDir Path dir) throws IOException {
        OfflineDataset data = LineWorld.randomData(20, 1);
        Agent straight = Agent.create(config(), training(), JAVA);
        straight.pretrain(data, 30, null);

        Agent first = Agent.create(config(), training(), JAVA);
        first.pretrain(data, 12, null);
        first.save(dir);
        Agent resumed = Agent.load(dir, JAVA);
        resumed.pretrain(data, 18, null);

        assertSameParameters(straight, resumed);
        assertEquals(30, resumed.pretrainUpdates());
    }

    @Test
    void resumedFinetuningMatchesUninterruptedBitForBit(@TempDir Path dir) throws IOException {
        OfflineDataset data = LineWorld.randomData(20, 2);
        Agent straight = Agent.create(config(), training(), JAVA);
        straight.pretrain(data, 10, null);
        straight.finetune(new LineWorld(), 4 * LineWorld.LENGTH, null);

        Agent first = Agent.create(config(), training(), JAVA);
        first.pretrain(data, 10, null);
        first.finetune(new LineWorld(), 2 * LineWorld.LENGTH, null);
        first.save(dir);
        Agent resumed = Agent.load(dir, JAVA);
        resumed.finetune(data, new LineWorld(), 2 * LineWorld.LENGTH, null);

        assertSameParameters(straight, resumed);
        assertEquals(straight.finetuneSteps(), resumed.finetuneSteps());
        assertEquals(straight.cumulativeRegret(), resumed.cumulativeRegret());
    }

    @Test
    void loadedAgentActsLikeTheSavedOneIncludingNormalisation(@TempDir Path dir) throws IOException {
        Agent agent = Agent.create(config(), training(), JAVA);
        agent.pretrain(LineWorld.randomData(10, 3), 5, null);
        assertFalse(agent.normalizer().isIdentity(), "normaliser fitted on the offline data");
        agent.save(dir);
        Agent loaded = Agent.load(dir, JAVA);
        double[] obs = {1.5, 0.3};
        assertArrayEquals(agent.act(obs), loaded.act(obs));
        assertArrayEquals(agent.normalizer().mean(), loaded.normalizer().mean());
        assertEquals(agent.config(), loaded.config());
    }

    @Test
    void truncatedFileFailsClearly(@TempDir Path dir) throws IOException {
        Agent agent = Agent.create(config(), training(), JAVA);
        agent.save(dir);
        Path file = dir.resolve(Checkpoints.FILE_NAME);
        long size = Files.size(file);
        for (long cut : new long[] {3, size / 2, size - 3}) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(cut);
            }
            IOException e = assertThrows(IOException.class, () -> Agent.load(dir, JAVA));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a calql checkpoint"),
                    e.getMessage());
            agent.save(dir);
        }
    }

    @Test
    void corruptedByteIsDetectedByTheChecksum(@TempDir Path dir) throws IOException {
        Agent agent = Agent.create(config(), training(), JAVA);
        agent.save(dir);
        Path file = dir.resolve(Checkpoints.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x40;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Agent.load(dir, JAVA));
        assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("cannot be loaded"), e.getMessage());
    }

    @Test
    void otherFormatVersionIsRejected(@TempDir Path dir) throws IOException {
        Agent.create(config(), training(), JAVA).save(dir);
        Path file = dir.resolve(Checkpoints.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        int versionAt = 2 + Checkpoints.MAGIC.length();
        bytes[versionAt + 3] = 9;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Agent.load(dir, JAVA));
        assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
    }

    /** With a given config, the file's learned values and counters win; the config's hyperparameters win. */
    @Test
    void aGivenConfigsHyperparametersWinAndTheLearnedValuesComeFromTheFile(@TempDir Path dir) throws IOException {
        Agent saved = Agent.create(config(), training(), JAVA);
        saved.pretrain(LineWorld.randomData(4, 3), 3, null);
        saved.save(dir);
        CalQlConfig other = config().toBuilder().cqlAlpha(1.25).qfLr(7e-4).policyLr(2e-4).discount(0.9).build();
        Agent loaded = Agent.load(dir, JAVA, other);
        assertEquals(1.25, loaded.config().cqlAlpha());
        assertEquals(7e-4, loaded.config().qfLr());
        assertEquals(0.9, loaded.config().discount());
        assertEquals(3, loaded.pretrainUpdates());
        assertTrue(Arrays.deepEquals(saved.critics().critic(0).exportParameters(),
                loaded.critics().critic(0).exportParameters()), "critic parameters come from the file");
        double[] obs = {0.3, 0.1};
        assertArrayEquals(saved.act(obs), loaded.act(obs), 0.0);
    }

    @Test
    void otherDimensionsAreRejected(@TempDir Path dir) throws IOException {
        Agent.create(config(), training(), JAVA).save(dir);
        CalQlConfig wider = config().toBuilder().qHidden(32, 16).build();
        IOException e = assertThrows(IOException.class, () -> Agent.load(dir, JAVA, wider));
        assertTrue(e.getMessage().contains("critic is saved as CriticSpec[16, 16], found CriticSpec[32, 16]"),
                e.getMessage());
    }

    @Test
    void notACheckpointAndMissingFileFailClearly(@TempDir Path dir) throws IOException {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Agent.load(dir, JAVA));
        Files.writeString(dir.resolve(Checkpoints.FILE_NAME), "hello, this is text");
        IOException e = assertThrows(IOException.class, () -> Agent.load(dir, JAVA));
        assertTrue(e.getMessage().contains("not a calql checkpoint"), e.getMessage());
    }

    @Test
    void failedSaveKeepsTheEarlierFile(@TempDir Path dir) throws IOException {
        Agent agent = Agent.create(config(), training(), JAVA);
        agent.save(dir);
        byte[] before = Files.readAllBytes(dir.resolve(Checkpoints.FILE_NAME));
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where a directory should be");
        assertThrows(IOException.class, () -> agent.save(blocked));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(Checkpoints.FILE_NAME)));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    static void assertSameParameters(Agent a, Agent b) {
        ModelParameters x = a.updateStep().exportParameters();
        ModelParameters y = b.updateStep().exportParameters();
        for (int k = 0; k < x.critics().length; k++) {
            assertTrue(Arrays.deepEquals(x.critics()[k], y.critics()[k]), "critic " + k);
            assertTrue(Arrays.deepEquals(x.targetCritics()[k], y.targetCritics()[k]), "target " + k);
        }
        assertTrue(Arrays.deepEquals(x.policy(), y.policy()), "policy");
        assertEquals(x.logAlpha(), y.logAlpha());
        assertEquals(x.logAlphaPrime(), y.logAlphaPrime());
    }
}
