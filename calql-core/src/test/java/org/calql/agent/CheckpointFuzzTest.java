package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.update.ModelParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of a format-2 checkpoint: random single-byte corruptions and truncations never load and only ever
 * fail with an {@link IOException}; corruptions with the checksum recomputed (forgeries of random bytes) either
 * load an agent whose every value is valid or are refused with an {@link IOException}, quickly, and never escape as
 * another throwable.
 */
class CheckpointFuzzTest {
    private static final Backend JAVA = Backends.named("java");
    private static byte[] good;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveOne(@TempDir Path saved) throws IOException {
        Agent agent = Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
        agent.pretrain(LineWorld.randomData(20, 4), 6, null);
        agent.finetune(new LineWorld(), 2 * LineWorld.LENGTH, null);
        agent.save(saved);
        good = Files.readAllBytes(saved.resolve(Checkpoints.FILE_NAME));
    }

    /**
     * Loads {@code bytes}; returns null if it loaded (after checking that what loaded is valid), else the
     * IOException; fails on any other throwable.
     */
    private IOException tryLoad(byte[] bytes, String what) {
        Agent agent;
        try {
            Files.write(dir.resolve(Checkpoints.FILE_NAME), bytes);
            agent = Agent.load(dir, JAVA);
        } catch (IOException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError(what + " escaped as " + t, t);
        }
        assertValid(agent, what);
        return null;
    }

    /** Every learned value finite, counters consistent, actions finite and in range. */
    private static void assertValid(Agent agent, String what) {
        ModelParameters p = agent.updateStep().exportParameters();
        for (double[][][] networks : new double[][][][] {p.critics(), p.targetCritics()}) {
            for (double[][] network : networks) {
                assertFinite(network, what);
            }
        }
        assertFinite(p.policy(), what);
        assertTrue(Double.isFinite(p.logAlpha()) && Double.isFinite(p.logAlphaPrime()), what);
        TrainingStateCheck.assertConsistent(agent.trainingState(), what);
        for (double a : agent.act(new double[] {0.5, -0.25})) {
            assertTrue(Double.isFinite(a) && Math.abs(a) <= agent.config().maxAction(), what + ": action " + a);
        }
    }

    private static void assertFinite(double[][] arrays, String what) {
        for (double[] a : arrays) {
            for (double x : a) {
                assertTrue(Double.isFinite(x), what + ": loaded a non-finite value " + x);
            }
        }
    }

    /** The rules a restored training state must satisfy. */
    static final class TrainingStateCheck {
        static void assertConsistent(org.calql.train.TrainingState s, String what) {
            for (long c : s.counters()) {
                assertTrue(c >= 0, what + ": counter " + c);
            }
            assertTrue(s.finetuneFailures() <= s.finetuneEpisodes(), what);
            if (s.replay() != null) {
                assertTrue(s.replay().size() <= s.replay().capacity(), what);
            }
        }
    }

    private static String kind(IOException e) {
        String m = e.getMessage();
        if (m.contains("not a calql checkpoint")) {
            return "not a calql checkpoint";
        }
        if (m.contains("format version")) {
            return "format version";
        }
        if (m.contains("truncated")) {
            return "truncated";
        }
        if (m.contains("corrupt")) {
            return "corrupt";
        }
        return "other: " + m;
    }

    @Test
    void singleByteCorruptionsNeverLoad() {
        SplittableRandom random = new SplittableRandom(13);
        Map<String, Integer> kinds = new TreeMap<>();
        int tries = 1000;
        long start = System.nanoTime();
        for (int i = 0; i < tries; i++) {
            byte[] bytes = good.clone();
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 + random.nextInt(255));
            IOException e = tryLoad(bytes, "byte " + at);
            if (e == null) {
                fail("a corruption of byte " + at + " loaded");
            }
            kinds.merge(kind(e), 1, Integer::sum);
        }
        System.out.printf("corruptions: %d tried, 0 loaded, %s, %.2f s%n", tries, kinds,
                (System.nanoTime() - start) / 1e9);
        assertTrue(kinds.keySet().stream().noneMatch(k -> k.startsWith("other")), kinds.toString());
    }

    @Test
    void truncationsNeverLoad() {
        SplittableRandom random = new SplittableRandom(17);
        int[] cuts = new int[200];
        for (int i = 0; i < 50; i++) {
            cuts[i] = i; // inside the header
            cuts[50 + i] = good.length - 1 - i; // inside the checksum and the last section
        }
        for (int i = 100; i < cuts.length; i++) {
            cuts[i] = random.nextInt(good.length);
        }
        Map<String, Integer> kinds = new TreeMap<>();
        for (int cut : cuts) {
            IOException e = tryLoad(Arrays.copyOf(good, cut), "cut at " + cut);
            if (e == null) {
                fail("a truncation to " + cut + " bytes loaded");
            }
            kinds.merge(kind(e), 1, Integer::sum);
            if (cut >= Checkpoints.V2_HEADER) {
                assertEquals("truncated", kind(e), e.getMessage());
            }
        }
        System.out.printf("truncations: %d tried, 0 loaded, %s%n", cuts.length, kinds);
        IOException appended = tryLoad(Arrays.copyOf(good, good.length + 5), "appended bytes");
        assertTrue(appended != null && kind(appended).equals("corrupt"), String.valueOf(appended));
    }

    /**
     * A random byte changed and the checksum recomputed: the parser, not the checksum, must hold. A changed weight
     * may load (it is a valid value); everything else is refused with an IOException naming the problem.
     */
    @Test
    void forgedRandomBytesLoadOnlyValidStateAndFailOnlyWithIOException() {
        SplittableRandom random = new SplittableRandom(19);
        int tries = 600;
        int loaded = 0;
        int wrapped = 0;
        double slowest = 0;
        long start = System.nanoTime();
        for (int i = 0; i < tries; i++) {
            byte[] bytes = good.clone();
            int at = random.nextInt(bytes.length - 8);
            bytes[at] ^= (byte) (1 + random.nextInt(255));
            long t0 = System.nanoTime();
            IOException e = tryLoad(CheckpointBytes.rechecksum(bytes), "forged byte " + at);
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1e9);
            if (e == null) {
                loaded++;
            } else if (e.getMessage().contains("cannot be loaded")) {
                wrapped++;
            }
        }
        System.out.printf("forged random bytes: %d tried, %d loaded (valid values), %d refused (%d by a component's"
                + " own check), slowest %.3f s, %.2f s in all%n", tries, loaded, tries - loaded, wrapped, slowest,
                (System.nanoTime() - start) / 1e9);
        assertTrue(tries - loaded > 0, "structural bytes are refused");
        // a backstop against a pathological load (the 2.6 GB allocation this guards against took 5 s), not a speed
        // claim: wall time on a shared machine varies, and allocation is bounded by the huge-length tests instead
        assertTrue(slowest < 20.0, "slowest load " + slowest + " s");
    }
}
