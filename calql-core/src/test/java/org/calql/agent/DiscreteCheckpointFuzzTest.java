package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.calql.agent.CheckpointBytes.Section;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.OfflineDataset;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A discrete agent's checkpoint under seeded corruption, truncation and forgery: corruptions and truncations never
 * load and fail only with an {@link IOException}; forgeries with the checksum recomputed either load a valid agent
 * or are refused with an {@link IOException}; targeted forgeries are refused naming the problem.
 */
class DiscreteCheckpointFuzzTest {
    private static final Backend JAVA = Backends.named("java");
    private static byte[] good;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveOne(@TempDir Path saved) throws IOException {
        DiscreteAgent agent = DiscreteCheckpointTest.agent();
        OfflineDataset data = DiscreteAgentTest.behaviour(10, 0.4, 2);
        agent.pretrain(data, 6, null);
        agent.finetune(data, new DiscreteAgentTest.Chain(), 30, null);
        agent.save(saved);
        good = Files.readAllBytes(saved.resolve(Checkpoints.FILE_NAME));
    }

    /** Loads {@code bytes}: null if it loaded a valid agent, else the IOException; fails on any other throwable. */
    private IOException tryLoad(byte[] bytes, String what) {
        DiscreteAgent agent;
        try {
            Files.write(dir.resolve(Checkpoints.FILE_NAME), bytes);
            agent = DiscreteAgent.load(dir, JAVA);
        } catch (IOException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError(what + " escaped as " + t, t);
        }
        CriticEnsembleState s = agent.updateStep().exportState().critics();
        for (double[][][] networks : new double[][][][] {s.critics(), s.targets()}) {
            for (double[][] network : networks) {
                for (double[] a : network) {
                    for (double x : a) {
                        assertTrue(Double.isFinite(x), what + ": loaded a non-finite value " + x);
                    }
                }
            }
        }
        CheckpointFuzzTest.TrainingStateCheck.assertConsistent(agent.trainingState(), what);
        int action = agent.act(new double[] {0.5, -0.25});
        assertTrue(action >= 0 && action < agent.config().numActions(), what + ": action " + action);
        return null;
    }

    private static String kind(IOException e) {
        String m = e.getMessage();
        for (String k : new String[] {"not a calql checkpoint", "format version", "truncated", "corrupt"}) {
            if (m.contains(k)) {
                return k;
            }
        }
        return "other: " + m;
    }

    @Test
    void singleByteCorruptionsNeverLoad() {
        SplittableRandom random = new SplittableRandom(31);
        Map<String, Integer> kinds = new TreeMap<>();
        int tries = 300;
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
        System.out.printf("discrete corruptions: %d tried, 0 loaded, %s%n", tries, kinds);
        assertEquals(tries, kinds.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(kinds.keySet().stream().noneMatch(k -> k.startsWith("other")), kinds.toString());
    }

    @Test
    void truncationsNeverLoad() {
        SplittableRandom random = new SplittableRandom(37);
        Map<String, Integer> kinds = new TreeMap<>();
        int tries = 150;
        for (int i = 0; i < tries; i++) {
            int cut = i < 40 ? i : i < 50 ? good.length - (i - 39) : random.nextInt(good.length);
            IOException e = tryLoad(java.util.Arrays.copyOf(good, cut), "cut at " + cut);
            if (e == null) {
                fail("a truncation to " + cut + " bytes loaded");
            }
            kinds.merge(kind(e), 1, Integer::sum);
        }
        System.out.printf("discrete truncations: %d tried, 0 loaded, %s%n", tries, kinds);
        assertTrue(kinds.keySet().stream().noneMatch(k -> k.startsWith("other")), kinds.toString());
    }

    @Test
    void forgedBytesWithARecomputedChecksumLoadValidOrFailWithAnIOException() {
        SplittableRandom random = new SplittableRandom(41);
        int tries = 300;
        int loaded = 0;
        for (int i = 0; i < tries; i++) {
            byte[] bytes = good.clone();
            int at = Checkpoints.V2_HEADER + random.nextInt(bytes.length - 8 - Checkpoints.V2_HEADER);
            bytes[at] ^= (byte) (1 + random.nextInt(255));
            if (tryLoad(CheckpointBytes.rechecksum(bytes), "forged byte " + at) == null) {
                loaded++;
            }
        }
        System.out.printf("discrete forgeries: %d tried, %d loaded a valid agent, the rest refused%n", tries, loaded);
        assertTrue(loaded < tries, "most forgeries hit a checked field");
    }

    private record Forgery(String name, Consumer<CheckpointBytes> change, String... expected) {
    }

    private static Consumer<CheckpointBytes> at(String section, Consumer<ByteBuffer> change) {
        return c -> change.accept(c.section(section).buffer());
    }

    private static Consumer<CheckpointBytes> text(String section, String from, String to) {
        return c -> {
            Section s = c.section(section);
            String t = new String(s.payload, StandardCharsets.UTF_8);
            if (!t.contains(from)) {
                throw new AssertionError(section + " has no '" + from + "': " + t);
            }
            s.payload = t.replace(from, to).getBytes(StandardCharsets.UTF_8);
        };
    }

    @Test
    void targetedForgeriesAreRefusedNamingTheProblem() {
        List<Forgery> f = new ArrayList<>();
        f.add(new Forgery("unknown kind", c -> c.section("agent-kind").payload = "calql-quantum".getBytes(
                StandardCharsets.US_ASCII), "section 'agent-kind'", "agent kind is 'calql-quantum'"));
        f.add(new Forgery("continuous kind written", c -> c.section("agent-kind").payload = "calql-continuous"
                .getBytes(StandardCharsets.US_ASCII), "continuous agents' files have no 'agent-kind' section"));
        f.add(new Forgery("kind section removed", c -> c.sections.remove(c.section("agent-kind")),
                "holds a calql-continuous agent, not a calql-discrete one"));
        f.add(new Forgery("a continuous section added", c -> c.sections.add(new Section("policy", 1, new byte[4])),
                "holds section 'policy', which a calql-discrete checkpoint does not have"));
        f.add(new Forgery("epsilon missing", c -> c.sections.remove(c.section("epsilon")), "lacks section 'epsilon'"));
        f.add(new Forgery("critics twice", c -> c.sections.add(c.section("critics")), "holds section 'critics' twice"));
        f.add(new Forgery("epsilon version", c -> c.section("epsilon").version = 2,
                "section 'epsilon' has version 2; this calql reads version 1"));
        f.add(new Forgery("epsilon above 1", at("epsilon", b -> b.putDouble(0, 1.5)),
                "section 'epsilon'", "epsilon start must lie in [0, 1], found 1.5"));
        f.add(new Forgery("epsilon NaN", at("epsilon", b -> b.putDouble(8, Double.NaN)),
                "epsilon end must be finite, found NaN"));
        f.add(new Forgery("epsilon negative steps", at("epsilon", b -> b.putLong(16, -4)),
                "epsilon decay steps must not be negative, found -4"));
        f.add(new Forgery("NaN critic weight", at("critics", b -> b.putDouble(CheckpointBytes.firstValue(4),
                Double.NaN)), "section 'critics'", "critic 0 array 0[0] must be finite, found NaN"));
        f.add(new Forgery("critic count", at("critics", b -> b.putInt(0, 3)),
                "critic count is 3, expected 2 (the config's criticCount)"));
        f.add(new Forgery("generator count", at("generators", b -> b.putInt(0, 3)),
                "generator count is 3, expected 2 (a discrete agent's sampling and environment generators)"));
        f.add(new Forgery("negative update steps", at("update-steps", b -> b.putLong(0, -1)),
                "update steps must not be negative, found -1"));
        f.add(new Forgery("replay action width", at("replay", b -> b.putInt(1 + 8, 2)),
                "actionDim is 2, expected 1 (a discrete agent's one action index)"));
        f.add(new Forgery("config with another number of actions", text("discrete-config", "numActions=3",
                "numActions=4"), "section 'critics'", "the config's layout has"));
        f.add(new Forgery("config with an unknown entry", text("discrete-config", "lr=", "speed=1\nlr="),
                "section 'discrete-config'", "config entry 'speed' is not a discrete config entry"));
        f.add(new Forgery("config without an entry", text("discrete-config", "doubleDqn=true\n", ""),
                "section 'discrete-config'", "config entry 'doubleDqn' is missing"));
        f.add(new Forgery("config with a bad boolean", text("discrete-config", "doubleDqn=true", "doubleDqn=yes"),
                "config entry 'doubleDqn' must be true or false, found yes"));
        f.add(new Forgery("config with an unknown loss", text("discrete-config", "tdLoss=HUBER", "tdLoss=L7"),
                "section 'discrete-config'", "L7"));
        f.add(new Forgery("config with a bad calibration", text("discrete-config", ",lowerBound", ",upperBound"),
                "unknown regularizer entry"));
        f.add(new Forgery("config with zero actions", text("discrete-config", "numActions=3", "numActions=0"),
                "config entry 'numActions' must be positive, found 0"));
        f.add(new Forgery("config with huge critics", text("discrete-config", "criticHidden=16 16",
                "criticHidden=100000 100000"), "section 'discrete-config'", "more than the heap's"));
        f.add(new Forgery("config with huge batches", text("discrete-config", "batchSize=16",
                "batchSize=2000000000"), "section 'discrete-config'", "more than the heap's"));
        for (Forgery forgery : f) {
            CheckpointBytes c = CheckpointBytes.parse(good);
            forgery.change().accept(c);
            IOException e = tryLoad(c.bytes(), forgery.name());
            if (e == null) {
                fail(forgery.name() + " loaded");
            }
            for (String part : forgery.expected()) {
                assertTrue(e.getMessage().contains(part), forgery.name() + ": expected '" + part + "' in: "
                        + e.getMessage());
            }
        }
        assertTrue(tryLoad(CheckpointBytes.parse(good).bytes(), "unforged") == null, "the unforged file loads");
    }
}
