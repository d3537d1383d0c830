package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.calql.critic.CriticSpec;
import org.calql.data.OfflineDataset;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.TdLoss;
import org.calql.policy.LinearDecay;
import org.calql.random.Rng;
import org.calql.regularizer.Calibration;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.CqlRegularizer;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Activation;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Initialization;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discrete agents' checkpoints: bit-exact resumption through {@code load} then {@code pretrain} / {@code finetune}
 * as a user calls them, acting after a load, the config's exact round trip, the caller's config, kind mismatches
 * and the info.
 */
class DiscreteCheckpointTest {
    private static final Backend JAVA = Backends.named("java");
    static final List<String> SECTIONS = List.of("agent-kind", "discrete-config", "training-config", "epsilon",
            "critics", "update-steps", "normalizer", "replay", "generators", "training-counters", "offline-data");

    @TempDir
    Path dir;

    static DiscreteConfig config() {
        return DiscreteConfig.builder().observationDim(2).numActions(3).batchSize(16).criticHidden(16, 16)
                .criticCount(2).lr(1e-3).discount(0.9).targetUpdatePeriod(3).tau(0.05).cqlAlpha(1.0).seed(11)
                .build();
    }

    /** Normalised observations, a small replay, random steps then ε-greedy, UTD 2, online CQL α and calibration off. */
    static TrainingConfig training() {
        return TrainingConfig.builder().normalizeObservations(true).replayCapacity(300).mixingRatio(0.5)
                .randomExplorationSteps(8).updatesPerEnvironmentStep(2).onlineCqlAlpha(0.5).calibrateOnline(false)
                .evaluationEpisodes(2).build();
    }

    static DiscreteAgent agent() {
        return DiscreteAgent.create(config(), training(), new LinearDecay(0.6, 0.05, 40), JAVA);
    }

    /** Every update's TD losses, conservative terms and mean Q, exactly, in order. */
    private static final class Recorder implements TrainingListener {
        final List<String> updates = new ArrayList<>();

        @Override
        public void onUpdate(Phase phase, long step, UpdateResult r) {
            updates.add(phase + " " + step + " " + Arrays.toString(r.tdLoss()) + Arrays.toString(r.conservativeGap())
                    + Arrays.toString(r.averageQ()));
        }
    }

    @Test
    void resumedPretrainingAndFinetuningMatchUninterruptedBitForBit() throws IOException {
        OfflineDataset data = DiscreteAgentTest.behaviour(20, 0.4, 21);
        Recorder straightLog = new Recorder();
        DiscreteAgent straight = agent();
        straight.pretrain(data, 30, straightLog);
        straight.finetune(data, new DiscreteAgentTest.Chain(), 50, straightLog);
        straight.finetune(data, new DiscreteAgentTest.Chain(), 50, straightLog);

        Recorder resumedLog = new Recorder();
        DiscreteAgent first = agent();
        first.pretrain(data, 12, resumedLog);
        first.save(dir.resolve("offline"));
        DiscreteAgent second = DiscreteAgent.load(dir.resolve("offline"), JAVA);
        second.pretrain(data, 18, resumedLog);
        second.finetune(data, new DiscreteAgentTest.Chain(), 50, resumedLog);
        second.save(dir.resolve("online"));
        DiscreteAgent resumed = DiscreteAgent.load(dir.resolve("online"), JAVA);
        assertEquals(describe(second), describe(resumed), "the loaded agent is the saved one");
        resumed.finetune(data, new DiscreteAgentTest.Chain(), 50, resumedLog);

        assertEquals(straightLog.updates, resumedLog.updates, "every update's metrics");
        assertEquals(describe(straight), describe(resumed));
        assertTrue(resumed.trainingState().onlinePhase());
        assertEquals(100, resumed.trainingState().finetuneSteps());
        assertEquals(30 + 2 * 100, resumed.updateStep().exportState().steps(), "UTD 2 online");
        assertTrue(resumed.trainingState().replay().size() > 0);
        assertEquals(0.5, resumed.updateStep().config().cqlAlpha(), "online settings restored with the phase");
        assertEquals(Calibration.none(), ((CqlRegularizer) resumed.updateStep().config().regularizer()).calibration());
    }

    @Test
    void loadedAgentActsLikeTheSavedOneAndSavesTheSameBytes() throws IOException {
        DiscreteAgent agent = agent();
        agent.pretrain(DiscreteAgentTest.behaviour(15, 0.3, 5), 10, null);
        assertFalse(agent.normalizer().isIdentity(), "the normaliser was fitted");
        agent.save(dir);
        DiscreteAgent loaded = DiscreteAgent.load(dir, JAVA);
        SplittableRandom random = new SplittableRandom(3);
        int differentFromZero = 0;
        for (int i = 0; i < 200; i++) {
            double[] obs = {random.nextDouble(-0.5, 1.5), random.nextDouble(-0.5, 1.5)};
            assertEquals(agent.act(obs), loaded.act(obs), Arrays.toString(obs));
            differentFromZero += agent.act(obs) != 0 ? 1 : 0;
        }
        assertTrue(differentFromZero > 0, "the probe observations see more than one action");
        assertArrayEquals(agent.normalizer().mean(), loaded.normalizer().mean(), 0.0);
        assertArrayEquals(agent.normalizer().std(), loaded.normalizer().std(), 0.0);
        assertEquals(agent.config(), loaded.config());
        assertEquals(agent.epsilon(), loaded.epsilon());
        assertEquals(ConfigCodec.encode(agent.trainingConfig()), ConfigCodec.encode(loaded.trainingConfig()));
        byte[] saved = Files.readAllBytes(dir.resolve(Checkpoints.FILE_NAME));
        loaded.save(dir.resolve("again"));
        assertArrayEquals(saved, Files.readAllBytes(dir.resolve("again").resolve(Checkpoints.FILE_NAME)));
    }

    @Test
    void everyConfigFieldRoundTripsExactly() {
        List<DiscreteConfig> configs = List.of(
                config(),
                DiscreteConfig.builder().observationDim(5).numActions(7).build(),
                config().toBuilder().critic(CriticSpec.builder().hidden(8, 4, 3).activation(Activation.TANH)
                        .layerNorm(true).layerNormEpsilon(1e-3).build()).build(),
                config().toBuilder().tdLoss(TdLoss.MSE).doubleDqn(false).targetUpdatePeriod(8000).tau(1.0)
                        .initialization(Initialization.values()[Initialization.values().length - 1])
                        .discount(0.0).lr(0.1 + 0.2).cqlAlpha(0.0).seed(-123456789012345L).build(),
                config().toBuilder().regularizer(Regularizers.cql()).build(),
                config().toBuilder().regularizer(CqlRegularizer.builder().temperature(0.7).importanceSampling(true)
                        .clipDiff(-3.5, 1e300).calibration(Calibration.lowerBound()).build()).build());
        for (DiscreteConfig c : configs) {
            String text = ConfigCodec.encode(c);
            DiscreteConfig back = ConfigCodec.decodeDiscrete(ConfigCodec.discreteEntries(ConfigCodec.parse(text)));
            assertEquals(c, back, text);
            assertEquals(text, ConfigCodec.encode(back));
        }
        assertEquals(ConfigCodec.DISCRETE_KEYS.size(), ConfigCodec.parse(ConfigCodec.encode(config())).size(),
                "every entry is written");
    }

    @Test
    void kindMismatchesNameTheKindAndTheLoader() throws IOException {
        agent().save(dir.resolve("discrete"));
        IOException asContinuous = assertThrows(IOException.class, () -> Agent.load(dir.resolve("discrete"), JAVA));
        assertTrue(asContinuous.getMessage().contains("holds a calql-discrete agent, not a calql-continuous one; "
                + "load it with DiscreteAgent.load"), asContinuous.getMessage());
        IOException withConfig = assertThrows(IOException.class,
                () -> Agent.load(dir.resolve("discrete"), JAVA, AgentCheckpointTest.config()));
        assertEquals(asContinuous.getMessage(), withConfig.getMessage());

        Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA).save(dir.resolve("box"));
        IOException asDiscrete = assertThrows(IOException.class, () -> DiscreteAgent.load(dir.resolve("box"), JAVA));
        assertTrue(asDiscrete.getMessage().contains("holds a calql-continuous agent, not a calql-discrete one; "
                + "load it with Agent.load"), asDiscrete.getMessage());
        assertEquals(asDiscrete.getMessage(), assertThrows(IOException.class,
                () -> DiscreteAgent.load(dir.resolve("box"), JAVA, config())).getMessage());

        Path v1 = dir.resolve("v1");
        Files.createDirectories(v1);
        try (InputStream in = getClass().getResourceAsStream(CheckpointV1Generator.RESOURCE_DIR
                + CheckpointV1Generator.FILE)) {
            Files.write(v1.resolve(Checkpoints.FILE_NAME), in.readAllBytes());
        }
        IOException oldFile = assertThrows(IOException.class, () -> DiscreteAgent.load(v1, JAVA));
        assertTrue(oldFile.getMessage().contains("holds a calql-continuous agent"), oldFile.getMessage());
        assertEquals("calql-continuous", CheckpointInfo.read(v1).agentKind());
    }

    @Test
    void continuousFilesHaveNoKindSection() throws IOException {
        Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA).save(dir);
        CheckpointInfo info = CheckpointInfo.read(dir);
        assertEquals("calql-continuous", info.agentKind());
        assertTrue(info.sections().stream().noneMatch(s -> s.name().equals("agent-kind")));
    }

    @Test
    void aStructurallyDifferentConfigIsRefusedNamingTheField() throws IOException {
        agent().save(dir);
        String[][] cases = {
            {"numActions is saved as 3, found 4"},
            {"criticHidden is saved as 16 16, found 32 16"},
            {"criticCount is saved as 2, found 3"},
            {"criticActivation is saved as RELU, found TANH"},
            {"criticLayerNorm is saved as false, found true"},
            {"doubleDqn is saved as true, found false"},
            {"targetUpdatePeriod is saved as 3, found 4"},
            {"tau is saved as 0.05, found 0.5"},
            {"seed is saved as 11, found 12"},
            {"batchSize is saved as 16, found 8"},
        };
        List<DiscreteConfig> given = List.of(config().toBuilder().numActions(4).build(),
                config().toBuilder().criticHidden(32, 16).build(), config().toBuilder().criticCount(3).build(),
                config().toBuilder().critic(CriticSpec.builder().hidden(16, 16).activation(Activation.TANH).build())
                        .build(),
                config().toBuilder().critic(CriticSpec.builder().hidden(16, 16).layerNorm(true).build()).build(),
                config().toBuilder().doubleDqn(false).build(), config().toBuilder().targetUpdatePeriod(4).build(),
                config().toBuilder().tau(0.5).build(), config().toBuilder().seed(12).build(),
                config().toBuilder().batchSize(8).build());
        for (int i = 0; i < cases.length; i++) {
            DiscreteConfig c = given.get(i);
            IOException e = assertThrows(IOException.class, () -> DiscreteAgent.load(dir, JAVA, c));
            assertTrue(e.getMessage().contains("the given config does not fit the checkpoint: " + cases[i][0]),
                    e.getMessage());
        }
        DiscreteConfig newSettings = config().toBuilder().lr(5e-4).cqlAlpha(2.0).tdLoss(TdLoss.MSE).build();
        DiscreteAgent loaded = DiscreteAgent.load(dir, JAVA, newSettings);
        assertEquals(newSettings, loaded.config(), "training settings come from the given config");
    }

    /** A regularizer calql cannot name, so the file needs the caller's config. */
    private static final class Custom implements ConservativeRegularizer {
        private final CqlRegularizer inner = Regularizers.calQl();

        @Override
        public double evaluate(org.calql.regularizer.PenaltyInputs inputs, double[] q, double[] gradQ) {
            return inner.evaluate(inputs, q, gradQ);
        }
    }

    @Test
    void aCustomRegularizerNeedsTheCallersConfig() throws IOException {
        DiscreteConfig custom = config().toBuilder().regularizer(new Custom()).build();
        DiscreteAgent agent = DiscreteAgent.create(custom, training(), new LinearDecay(0.6, 0.05, 40), JAVA);
        agent.pretrain(DiscreteAgentTest.behaviour(10, 0.3, 8), 5, null);
        agent.save(dir);
        IOException e = assertThrows(IOException.class, () -> DiscreteAgent.load(dir, JAVA));
        assertTrue(e.getMessage().contains("section 'discrete-config': the checkpoint used a custom regularizer "
                + Custom.class.getName() + "; load it with DiscreteAgent.load(dir, backend, config)"), e.getMessage());
        DiscreteAgent loaded = DiscreteAgent.load(dir, JAVA, custom);
        assertEquals(describe(agent), describe(loaded));
        CheckpointInfo info = CheckpointInfo.read(dir);
        assertFalse(info.fullyVerified());
        assertTrue(info.note().contains("custom regularizer"), info.note());
        assertEquals(5L, info.counters().get("pretrainUpdates"));
    }

    @Test
    void infoDescribesADiscreteFile() throws IOException {
        DiscreteAgent agent = agent();
        OfflineDataset data = DiscreteAgentTest.behaviour(10, 0.3, 9);
        agent.pretrain(data, 7, null);
        agent.finetune(data, new DiscreteAgentTest.Chain(), 30, null);
        agent.save(dir);
        CheckpointInfo info = CheckpointInfo.read(dir);
        assertEquals("calql-discrete", info.agentKind());
        assertEquals(2, info.formatVersion());
        assertEquals(SECTIONS, info.sections().stream().map(CheckpointInfo.Section::name).toList());
        assertTrue(info.fullyVerified());
        assertEquals("3", info.config().get("numActions"));
        assertEquals("300", info.trainingConfig().get("replayCapacity"));
        assertEquals(7L, info.counters().get("pretrainUpdates"));
        assertEquals(30L, info.counters().get("finetuneSteps"));
        assertTrue(info.onlinePhase());
        assertEquals(7 + 2 * 30, info.updateSteps());
        assertEquals(agent.trainingState().replay().size(), info.replaySize());
        assertNotEquals(-1, info.replaySize());
    }

    /** Everything a resume depends on, exactly (doubles by their bits through their shortest decimal form). */
    static String describe(DiscreteAgent a) {
        StringBuilder b = new StringBuilder();
        b.append("config ").append(a.config()).append('\n');
        b.append("update config ").append(a.updateStep().config()).append('\n');
        b.append("epsilon ").append(a.epsilon()).append('\n');
        b.append("state ").append(value(a.updateStep().exportState())).append('\n');
        b.append("counters ").append(Arrays.toString(a.trainingState().counters())).append(' ')
                .append(a.trainingState().onlinePhase()).append('\n');
        b.append("offline ").append(a.trainingState().offlineDataFingerprint()).append('\n');
        b.append("normalizer ").append(a.normalizer().isIdentity()).append(' ')
                .append(Arrays.toString(a.normalizer().mean())).append(Arrays.toString(a.normalizer().std()));
        b.append("\nreplay ").append(a.trainingState().replay() == null ? "none"
                : value(a.trainingState().replay().exportState()));
        for (Rng g : a.generators()) {
            b.append("\ngenerator ").append(Arrays.toString(g.snapshot()));
        }
        return b.toString();
    }

    private static String value(Object o) {
        if (o == null) {
            return "null";
        }
        if (o.getClass().isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(o); i++) {
                b.append(i == 0 ? "" : ", ").append(value(Array.get(o, i)));
            }
            return b.append(']').toString();
        }
        if (o.getClass().isRecord()) {
            StringBuilder b = new StringBuilder(o.getClass().getSimpleName()).append('(');
            for (RecordComponent c : o.getClass().getRecordComponents()) {
                try {
                    b.append(c.getName()).append('=').append(value(c.getAccessor().invoke(o))).append(' ');
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return b.append(')').toString();
        }
        return String.valueOf(o);
    }
}
