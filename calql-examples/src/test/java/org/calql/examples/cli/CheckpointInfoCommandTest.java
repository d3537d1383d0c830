package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.calql.agent.Agent;
import org.calql.agent.DiscreteAgent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.discrete.DiscreteConfig;
import org.calql.nn.JavaBackend;
import org.calql.policy.LinearDecay;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointInfoCommandTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void save() throws IOException {
        CalQlConfig config = CalQlConfig.builder().observationDim(2).actionDim(1).batchSize(8).cqlNActions(2)
                .qHidden(8, 8).policyHidden(8).seed(3).build();
        Agent agent = Agent.create(config, TrainingConfig.builder().replayCapacity(64).build(), new JavaBackend());
        OfflineDataset.Builder data = OfflineDataset.builder(2, 1);
        for (int t = 0; t < 20; t++) {
            data.step(new double[] {t, -t}, new double[] {0.1}, 1.0, new double[] {t + 1, -t - 1}, t == 19, false);
        }
        agent.pretrain(data.build(), 4, null);
        agent.save(dir);
        file = dir.resolve("agent.calql");
    }

    @Test
    void describesAGoodCheckpoint() {
        CliTest.Result r = CliTest.run("checkpoint-info", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("format          2"), r.out());
        assertTrue(r.out().contains("agent           calql-continuous (load with Agent.load)"), r.out());
        assertTrue(r.out().contains("verified        checksum, layout and every value"), r.out());
        assertTrue(r.out().contains("pretrainUpdates 4"), r.out());
        assertTrue(r.out().contains("  critics "), r.out());
        assertTrue(r.out().contains("  qHidden = 8 8"), r.out());
        assertTrue(r.out().contains("  replayCapacity = 64"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void jsonIsOneObjectWithEverySection() throws IOException {
        CliTest.Result r = CliTest.run("checkpoint-info", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(2, json.get("formatVersion").getAsInt());
        assertEquals("calql-continuous", json.get("agentKind").getAsString());
        assertEquals(Files.size(file), json.get("bytes").getAsLong());
        assertTrue(json.get("fullyVerified").getAsBoolean());
        assertEquals(4, json.getAsJsonObject("counters").get("pretrainUpdates").getAsLong());
        assertEquals("2", json.getAsJsonObject("config").get("observationDim").getAsString());
        assertEquals("64", json.getAsJsonObject("trainingConfig").get("replayCapacity").getAsString());
        JsonArray sections = json.getAsJsonArray("sections");
        assertEquals(12, sections.size());
        long total = 0;
        for (int i = 0; i < sections.size(); i++) {
            total = sections.get(i).getAsJsonObject().get("offset").getAsLong()
                    + sections.get(i).getAsJsonObject().get("bytes").getAsLong();
        }
        assertEquals(Files.size(file) - 8, total, "the sections end where the checksum starts");
        assertEquals(-1, json.get("replaySize").getAsLong());
    }

    private static Path saveDiscrete(Path where) throws IOException {
        DiscreteConfig config = DiscreteConfig.builder().observationDim(2).numActions(3).batchSize(8)
                .criticHidden(8, 8).seed(5).build();
        DiscreteAgent agent = DiscreteAgent.create(config, TrainingConfig.builder().replayCapacity(64).build(),
                new LinearDecay(0.5, 0.1, 10), new JavaBackend());
        OfflineDataset.Builder data = OfflineDataset.builder(2, 1);
        for (int t = 0; t < 20; t++) {
            data.step(new double[] {t, -t}, new double[] {t % 3}, 1.0, new double[] {t + 1, -t - 1}, t == 19, false);
        }
        agent.pretrain(data.build(), 5, null);
        agent.save(where);
        return where;
    }

    @Test
    void describesADiscreteCheckpoint() throws IOException {
        Path discrete = saveDiscrete(dir.resolve("discrete"));
        CliTest.Result r = CliTest.run("checkpoint-info", discrete.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("agent           calql-discrete (load with DiscreteAgent.load)"), r.out());
        assertTrue(r.out().contains("verified        checksum, layout and every value"), r.out());
        assertTrue(r.out().contains("pretrainUpdates 5"), r.out());
        assertTrue(r.out().contains("  agent-kind "), r.out());
        assertTrue(r.out().contains("  epsilon "), r.out());
        assertTrue(r.out().contains("  numActions = 3"), r.out());
        assertTrue(r.out().contains("  criticHidden = 8 8"), r.out());
        assertEquals("", r.err());

        CliTest.Result j = CliTest.run("checkpoint-info", discrete.toString(), "--json");
        assertEquals(0, j.code(), j.err());
        JsonObject json = JsonParser.parseString(j.out()).getAsJsonObject();
        assertEquals("calql-discrete", json.get("agentKind").getAsString());
        assertEquals(11, json.getAsJsonArray("sections").size());
        assertEquals("3", json.getAsJsonObject("config").get("numActions").getAsString());
        assertEquals(5, json.get("updateSteps").getAsLong());
    }

    @Test
    void aCorruptDiscreteCheckpointFailsInOneLine() throws IOException {
        Path discrete = saveDiscrete(dir.resolve("discrete"));
        Path f = discrete.resolve("agent.calql");
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 4;
        Files.write(f, bytes);
        CliTest.Result r = CliTest.run("checkpoint-info", discrete.toString());
        assertEquals(1, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("is corrupt: checksum"), r.err());
    }

    private void assertFailsInOneLine(String... expected) {
        CliTest.Result r = CliTest.run("checkpoint-info", dir.toString());
        assertEquals(1, r.code(), r.out());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("calql checkpoint-info: error: "), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), r.err());
        }
    }

    @Test
    void aCorruptedByteFailsWithTheReason() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x10;
        Files.write(file, bytes);
        assertFailsInOneLine(file.toString(), "is corrupt: checksum");
    }

    @Test
    void aTruncatedFileFailsWithTheReason() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertFailsInOneLine("is truncated or corrupt: its header declares");
    }

    @Test
    void aForgedValueFailsNamingTheSection() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] name = "update-steps".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, name) + name.length + 4 + 8;
        ByteBuffer.wrap(bytes).putLong(at, -5);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
        Files.write(file, bytes);
        assertFailsInOneLine("section 'update-steps': update steps must not be negative, found -5");
    }

    @Test
    void aMissingCheckpointFails() throws IOException {
        Files.delete(file);
        assertFailsInOneLine(file.toString());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
