package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.calql.nn.JavaBackend;
import org.calql.testing.RecordedMath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A checkpoint written by the code of commit a6ff9bb (format version 1, resource {@code checkpoint/v1/agent.calql},
 * made by {@link CheckpointV1Generator}) keeps loading into the same agent, and training continued from it gives
 * the same bits: config, counters, {@code act} values, the full-state fingerprint ({@link StateFingerprint}) and
 * the fingerprints after resuming, all against {@code checkpoint/v1/expected.properties}. The bits of acting and
 * training hold where {@code Math}'s functions give the recording JVM's bits; elsewhere those tests skip, saying why
 * ({@link RecordedMath}).
 */
class CheckpointCompatTest {
    private static byte[] file;
    private static Properties expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void readResources() throws IOException {
        try (InputStream in = CheckpointCompatTest.class.getResourceAsStream(
                CheckpointV1Generator.RESOURCE_DIR + CheckpointV1Generator.FILE)) {
            assertNotNull(in, "v1 checkpoint resource missing");
            file = in.readAllBytes();
        }
        expected = new Properties();
        try (InputStream in = CheckpointCompatTest.class.getResourceAsStream(
                CheckpointV1Generator.RESOURCE_DIR + CheckpointV1Generator.EXPECTED)) {
            assertNotNull(in, "expected values missing");
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                expected.load(r);
            }
        }
    }

    private Agent load() throws IOException {
        Files.write(dir.resolve(CheckpointV1Generator.FILE), file);
        return Agent.load(dir, new JavaBackend());
    }

    private static String want(String key) {
        String v = expected.getProperty(key);
        assertNotNull(v, "expected.properties lacks " + key);
        return v;
    }

    @Test
    void resourceIsTheFrozenVersion1File() {
        assertEquals(want("file.sha256"), CheckpointV1Generator.sha256(file),
                "the resource changed (regenerated, or mangled by git line-ending conversion?)");
        ByteBuffer b = ByteBuffer.wrap(file);
        int magicLength = b.getShort();
        assertEquals("CALQL-CHECKPOINT", new String(file, 2, magicLength, StandardCharsets.UTF_8));
        b.position(2 + magicLength);
        assertEquals(1, b.getInt(), "format version");
    }

    @Test
    void configAndTrainingSettingsAreAsSaved() throws IOException {
        Agent agent = load();
        Map<String, String> actual = CheckpointV1Generator.configFields(agent.config(), agent.trainingConfig());
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : actual.entrySet()) {
            checks.add(() -> assertEquals(want(e.getKey()), e.getValue(), e.getKey()));
        }
        assertAll(checks);
        long fields = expected.stringPropertyNames().stream()
                .filter(k -> k.startsWith("config.") || k.startsWith("training.")).count();
        assertEquals(fields, actual.size(), "every recorded setting is checked");
    }

    @Test
    void countersReplayAndNormaliserAreAsSaved() throws IOException {
        Agent agent = load();
        assertAll(
                () -> assertEquals(Long.parseLong(want("counters.pretrainUpdates")), agent.pretrainUpdates()),
                () -> assertEquals(Long.parseLong(want("counters.finetuneSteps")), agent.finetuneSteps()),
                () -> assertEquals(want("counters.cumulativeRegret"),
                        CheckpointV1Generator.bits(new double[] {agent.cumulativeRegret()})),
                () -> assertEquals(want("counters.all"), Arrays.toString(agent.trainingState().counters())),
                () -> assertEquals(want("counters.onlinePhase"), String.valueOf(agent.trainingState().onlinePhase())),
                () -> assertEquals(Integer.parseInt(want("replay.size")), agent.trainingState().replay().size()),
                () -> assertEquals(Integer.parseInt(want("replay.pendingSize")), agent.trainingState().replay().pendingSize()),
                () -> assertEquals(want("normalizer.mean"), CheckpointV1Generator.bits(agent.normalizer().mean())),
                () -> assertEquals(want("normalizer.std"), CheckpointV1Generator.bits(agent.normalizer().std())));
    }

    @Test
    void actionsAreBitForBitAsSaved() throws IOException {
        Assumptions.assumeTrue(RecordedMath.differs() == null, RecordedMath::differs);
        Agent agent = load();
        double[][] obs = CheckpointV1Generator.observations();
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < obs.length; i++) {
            int k = i;
            checks.add(() -> assertEquals(want("act." + k + ".observation"), Arrays.toString(obs[k])));
            checks.add(() -> assertEquals(want("act." + k), CheckpointV1Generator.bits(agent.act(obs[k])),
                    "act on " + Arrays.toString(obs[k]) + ", expected " + want("act." + k + ".decimal")));
        }
        assertAll(checks);
    }

    @Test
    void loadedStateHasTheSavedFingerprint() throws IOException {
        Agent agent = load();
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : StateFingerprint.sections(agent).entrySet()) {
            checks.add(() -> assertEquals(want("fingerprint." + e.getKey()), e.getValue(), "section " + e.getKey()));
        }
        checks.add(() -> assertEquals(want("fingerprint"), StateFingerprint.of(agent), "full state"));
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(CheckpointV1Generator.Resume.class)
    void resumedTrainingContinuesWithTheSameBits(CheckpointV1Generator.Resume resume) throws IOException {
        Assumptions.assumeTrue(RecordedMath.differs() == null, RecordedMath::differs);
        Agent agent = load();
        StateFingerprint.Updates updates = new StateFingerprint.Updates();
        resume.run(agent, updates);
        String p = "resume." + resume.key() + ".";
        assertAll(
                () -> assertEquals(Long.parseLong(want(p + "updateCount")), updates.count(), "updates"),
                () -> assertEquals(Long.parseLong(want(p + "finetuneSteps")), agent.finetuneSteps(), "steps"),
                () -> assertEquals(want(p + "updates"), updates.hex(), "update results"),
                () -> assertEquals(want(p + "act.0"),
                        CheckpointV1Generator.bits(agent.act(CheckpointV1Generator.observations()[0])), "act"),
                () -> assertEquals(want(p + "fingerprint"), StateFingerprint.of(agent), "full state"));
    }
}
