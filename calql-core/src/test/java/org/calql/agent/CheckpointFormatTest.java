package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.calql.config.CalQlConfig;
import org.calql.policy.Policy;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format 2's layout, its exact round trip, format 1 read and rewritten as 2, a user's policy, and the info. */
class CheckpointFormatTest {
    private static final Backend JAVA = Backends.named("java");
    private static final List<String> SECTIONS = List.of("config", "training-config", "critics", "policy",
            "temperature", "lagrange", "update-steps", "normalizer", "replay", "generators", "training-counters",
            "offline-data");

    @TempDir
    Path dir;

    private static Agent trained() {
        Agent agent = Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
        agent.pretrain(LineWorld.randomData(20, 5), 6, null);
        agent.finetune(new LineWorld(), 2 * LineWorld.LENGTH, null);
        return agent;
    }

    @Test
    void writesFormat2WithEveryNamedSectionOnceInOrder() throws IOException {
        trained().save(dir);
        CheckpointInfo info = CheckpointInfo.read(dir);
        assertEquals(2, info.formatVersion());
        assertEquals(SECTIONS, info.sections().stream().map(CheckpointInfo.Section::name).toList());
        assertTrue(info.sections().stream().allMatch(s -> s.version() == 1));
        long end = Checkpoints.V2_HEADER;
        for (CheckpointInfo.Section s : info.sections()) {
            end = s.offset() + s.bytes();
        }
        assertEquals(Files.size(dir.resolve(Checkpoints.FILE_NAME)) - 8, end, "the checksum follows the last section");
        assertEquals(Files.size(dir.resolve(Checkpoints.FILE_NAME)), info.bytes());
        assertTrue(info.fullyVerified());
        assertEquals("2", info.config().get("observationDim"));
        assertEquals("500", info.trainingConfig().get("replayCapacity"));
        assertEquals(2L * LineWorld.LENGTH, info.counters().get("finetuneSteps"));
        assertEquals(6L, info.counters().get("pretrainUpdates"));
        assertTrue(info.onlinePhase());
        assertEquals(2L * LineWorld.LENGTH, info.replaySize());
    }

    @Test
    void loadThenSaveWritesTheSameBytes() throws IOException {
        trained().save(dir);
        byte[] first = Files.readAllBytes(dir.resolve(Checkpoints.FILE_NAME));
        Path again = dir.resolve("again");
        Agent.load(dir, JAVA).save(again);
        assertArrayEquals(first, Files.readAllBytes(again.resolve(Checkpoints.FILE_NAME)));
    }

    @Test
    void formatOneLoadsAndIsRewrittenAsFormatTwoWithTheSameState() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(CheckpointV1Generator.RESOURCE_DIR
                + CheckpointV1Generator.FILE)) {
            Files.write(dir.resolve(Checkpoints.FILE_NAME), in.readAllBytes());
        }
        CheckpointInfo v1 = CheckpointInfo.read(dir);
        assertEquals(1, v1.formatVersion());
        assertEquals(List.of(), v1.sections());
        assertTrue(v1.fullyVerified());
        Agent fromV1 = Agent.load(dir, JAVA);
        Path v2 = dir.resolve("v2");
        fromV1.save(v2);
        assertEquals(2, CheckpointInfo.read(v2).formatVersion());
        assertEquals(v1.counters(), CheckpointInfo.read(v2).counters());
        assertEquals(StateFingerprint.of(fromV1), StateFingerprint.of(Agent.load(v2, JAVA)));
    }

    /** A user's own policy (here a proxy around a tanh-Gaussian, so the factory is not the built-in one). */
    private static CalQlConfig userPolicyConfig() {
        return AgentCheckpointTest.config().toBuilder().policy(context -> {
            Policy real = TanhGaussianPolicy.factory(new int[] {16, 8}, 1.0, -1.0).create(context);
            return (Policy) Proxy.newProxyInstance(Policy.class.getClassLoader(), new Class<?>[] {Policy.class},
                    (proxy, method, args) -> {
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }).build();
    }

    @Test
    void aUsersPolicyRoundTripsThroughTheGenericPolicySection() throws IOException {
        Agent agent = Agent.create(userPolicyConfig(), AgentCheckpointTest.training(), JAVA);
        agent.pretrain(LineWorld.randomData(20, 6), 5, null);
        agent.save(dir);
        IOException needsConfig = assertThrows(IOException.class, () -> Agent.load(dir, JAVA));
        assertTrue(needsConfig.getMessage().contains("custom policy"), needsConfig.getMessage());
        Agent loaded = Agent.load(dir, JAVA, userPolicyConfig());
        double[] observation = {0.3, -1.2};
        assertArrayEquals(agent.act(observation), loaded.act(observation));
        AgentCheckpointTest.assertSameParameters(agent, loaded);

        CheckpointInfo info = CheckpointInfo.read(dir);
        assertFalse(info.fullyVerified());
        assertTrue(info.note().contains("custom policy"), info.note());
        assertEquals(5L, info.counters().get("pretrainUpdates"));
    }

    @Test
    void infoOfABadFileFailsLikeALoad() throws IOException {
        trained().save(dir);
        Path file = dir.resolve(Checkpoints.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        IOException info = assertThrows(IOException.class, () -> CheckpointInfo.read(dir));
        IOException load = assertThrows(IOException.class, () -> Agent.load(dir, JAVA));
        assertEquals(load.getMessage(), info.getMessage());
        assertTrue(info.getMessage().contains("is corrupt: checksum"), info.getMessage());
    }
}
