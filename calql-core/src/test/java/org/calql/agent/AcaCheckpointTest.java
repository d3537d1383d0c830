package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.calql.aca.AcaConfig;
import org.calql.aca.AcaUpdateState;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
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
 * ACA agents' checkpoints: bit-exact resumption offline part-way, right after alignment and online part-way, the
 * config's exact round trip, kind mismatches both ways, and the info.
 */
class AcaCheckpointTest {
    private static final Backend JAVA = Backends.named("java");
    static final List<String> SECTIONS = List.of("agent-kind", "aca-config", "training-config", "critics", "policy",
            "temperature", "z-values", "reference-policy", "aca-schedule", "update-steps", "normalizer", "replay",
            "generators", "training-counters", "offline-data");

    @TempDir
    Path dir;

    static AcaConfig config() {
        return AcaConfig.builder(3, 2, AcaConfig.Preset.MUJOCO_MEDIUM_REPLAY).seed(5).batchSize(16)
                .criticHidden(12, 12).policyHidden(12).topEpisodes(4).interpolation(1, 0.02, 0.4).build();
    }

    /** Normalised observations, a small replay, half offline data online, UTD 2, random steps first. */
    static TrainingConfig training() {
        return TrainingConfig.builder().normalizeObservations(true).replayCapacity(200).mixingRatio(0.5)
                .randomExplorationSteps(5).updatesPerEnvironmentStep(2).evaluationEpisodes(1).build();
    }

    static AcaAgent agent() {
        return AcaAgent.create(config(), training(), JAVA);
    }

    /** Every update's losses, Q, α and log π, exactly, in order. */
    private static final class Recorder implements TrainingListener {
        final List<String> updates = new ArrayList<>();

        @Override
        public void onUpdate(Phase phase, long step, UpdateResult r) {
            updates.add(phase + " " + step + " " + Arrays.toString(r.tdLoss()) + Arrays.toString(r.averageQ()) + " "
                    + r.policyLoss() + " " + r.alphaLoss() + " " + r.alpha() + " " + r.logPi() + " "
                    + r.averageTargetQ());
        }
    }

    /** Every number of the update's state, as exact text. */
    static String describe(AcaAgent agent) {
        AcaUpdateState s = agent.updateRule().exportState();
        StringBuilder b = new StringBuilder();
        b.append(s.steps()).append(' ').append(s.online()).append(' ').append(Double.toHexString(s.weight()))
                .append(' ').append(Double.toHexString(s.logAlpha().value())).append(Arrays.toString(s.logAlpha()
                        .adam())).append('\n');
        append(b, s.policy().parameters());
        append(b, s.policy().optimizer().firstMoment());
        append(b, s.policy().optimizer().secondMoment());
        for (int k = 0; k < s.critics().critics().length; k++) {
            append(b, s.critics().critics()[k]);
            append(b, s.critics().targets()[k]);
            append(b, s.critics().optimizers()[k].secondMoment());
            append(b, s.z().critics()[k]);
            append(b, s.z().optimizers()[k].firstMoment());
        }
        if (s.reference() != null) {
            append(b, s.reference().parameters());
        }
        b.append(Arrays.toString(agent.normalizer().mean())).append(agent.trainingState().finetuneSteps())
                .append(' ').append(agent.trainingState().replay() == null ? -1
                        : agent.trainingState().replay().size());
        return b.toString();
    }

    private static void append(StringBuilder b, double[][] arrays) {
        for (double[] a : arrays) {
            for (double x : a) {
                b.append(Long.toHexString(Double.doubleToRawLongBits(x))).append(',');
            }
            b.append('\n');
        }
    }

    @Test
    void resumedOfflineAlignedAndOnlineMatchUninterruptedBitForBit() throws IOException {
        OfflineDataset data = PlaneWorld.randomData(12, 7);
        Recorder straightLog = new Recorder();
        AcaAgent straight = agent();
        straight.pretrain(data, 30, straightLog);
        straight.finetune(data, new PlaneWorld(), 20, straightLog);
        straight.finetune(data, new PlaneWorld(), 20, straightLog);

        Recorder resumedLog = new Recorder();
        AcaAgent first = agent();
        first.pretrain(data, 11, resumedLog);
        first.save(dir.resolve("offline"));
        AcaAgent second = AcaAgent.load(dir.resolve("offline"), JAVA);
        assertEquals(describe(first), describe(second), "the loaded offline agent is the saved one");
        assertFalse(second.updateRule().online());
        second.pretrain(data, 19, resumedLog);
        second.finetune(data, new PlaneWorld(), 0, resumedLog);
        assertTrue(second.updateRule().online(), "finetune aligned");
        second.save(dir.resolve("aligned"));
        AcaAgent third = AcaAgent.load(dir.resolve("aligned"), JAVA);
        assertEquals(describe(second), describe(third), "the loaded aligned agent is the saved one");
        assertTrue(third.trainingState().replay().size() > 0, "the top episodes seeded the replay");
        third.finetune(data, new PlaneWorld(), 20, resumedLog);
        third.save(dir.resolve("online"));
        AcaAgent resumed = AcaAgent.load(dir.resolve("online"), JAVA);
        assertEquals(describe(third), describe(resumed), "the loaded online agent is the saved one");
        resumed.finetune(data, new PlaneWorld(), 20, resumedLog);

        assertEquals(straightLog.updates, resumedLog.updates, "every update's metrics");
        assertEquals(describe(straight), describe(resumed));
        assertEquals(30 + 2 * 40, resumed.updateRule().steps(), "UTD 2 online");
        assertTrue(resumed.updateRule().weight() < config().interpolationStart(), "w fell online");
        assertEquals(config().interpolationFloor(), resumed.updateRule().weight(), 0.0, "w reached its floor");
    }

    @Test
    void loadedAgentActsLikeTheSavedOneAndSavesTheSameBytes() throws IOException {
        AcaAgent agent = agent();
        OfflineDataset data = PlaneWorld.randomData(8, 3);
        agent.pretrain(data, 6, null);
        agent.finetune(data, new PlaneWorld(), 4, null);
        agent.save(dir);
        AcaAgent loaded = AcaAgent.load(dir, JAVA);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            double[] obs = {random.nextDouble(-2, 2), random.nextDouble(-2, 2), random.nextDouble(-2, 2)};
            assertArrayEquals(agent.act(obs), loaded.act(obs), 0.0, Arrays.toString(obs));
        }
        assertEquals(ConfigCodec.encode(agent.config()), ConfigCodec.encode(loaded.config()));
        assertEquals(ConfigCodec.encode(agent.trainingConfig()), ConfigCodec.encode(loaded.trainingConfig()));
        byte[] saved = Files.readAllBytes(dir.resolve(Checkpoints.FILE_NAME));
        loaded.save(dir.resolve("again"));
        assertArrayEquals(saved, Files.readAllBytes(dir.resolve("again").resolve(Checkpoints.FILE_NAME)));
    }

    @Test
    void antMazePresetTrainsTheNonSquashedPolicyAndResumesBitForBit() throws IOException {
        AcaConfig config = AcaConfig.builder(3, 2, AcaConfig.Preset.ANTMAZE).seed(2).batchSize(8).criticHidden(8)
                .policyHidden(8).build();
        OfflineDataset data = PlaneWorld.randomData(6, 5);
        AcaAgent straight = AcaAgent.create(config, training(), JAVA);
        assertTrue(straight.updateRule().policy() instanceof org.calql.policy.NonSquashedGaussianPolicy);
        Recorder straightLog = new Recorder();
        straight.pretrain(data, 8, straightLog);
        straight.finetune(data, new PlaneWorld(), 5, straightLog);
        straight.finetune(data, new PlaneWorld(), 7, straightLog);

        Recorder resumedLog = new Recorder();
        AcaAgent first = AcaAgent.create(config, training(), JAVA);
        first.pretrain(data, 8, resumedLog);
        first.finetune(data, new PlaneWorld(), 5, resumedLog);
        first.save(dir);
        AcaAgent resumed = AcaAgent.load(dir, JAVA);
        assertEquals(describe(first), describe(resumed));
        assertEquals(AcaConfig.PolicyKind.NON_SQUASHED_GAUSSIAN, resumed.config().policy());
        resumed.finetune(data, new PlaneWorld(), 7, resumedLog);
        assertEquals(straightLog.updates, resumedLog.updates);
        assertEquals(describe(straight), describe(resumed));
        assertTrue(Double.isFinite(resumed.lastResult().actorLoss()), "online updates ran");
    }

    @Test
    void everyConfigFieldRoundTripsExactly() {
        AcaConfig odd = AcaConfig.builder(4, 3).maxAction(2.5).seed(-7).batchSize(9).criticCount(3)
                .criticHidden(5, 6, 7).policyHidden(8).initialization(Initialization.values()[0]).actorLr(1.1e-4)
                .criticLr(0.1 + 0.2).zLr(7e-5).temperatureLr(0.0).discount(0.95).tau(0.01).initialTemperature(0.3)
                .targetEntropyCoef(0.5).likelihoodWeight(12.5).beta(3.3).interpolation(0.9, 7.5, 0.25)
                .stepsPerEpoch(17).actorGradClip(Double.POSITIVE_INFINITY).onlineRewardShift(-1.0).topEpisodes(2)
                .policy(AcaConfig.PolicyKind.NON_SQUASHED_GAUSSIAN).build();
        for (AcaConfig c : List.of(config(), AcaConfig.builder(3, 2).build(), odd)) {
            AcaConfig back = ConfigCodec.decodeAca(ConfigCodec.parse(ConfigCodec.encode(c)));
            assertEquals(c.toString(), back.toString());
            assertEquals(ConfigCodec.encode(c), ConfigCodec.encode(back));
        }
        String text = ConfigCodec.encode(odd);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ConfigCodec.decodeAca(ConfigCodec.parse(text + "\nfoo=1")));
        assertTrue(unknown.getMessage().contains("'foo'"), unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ConfigCodec.decodeAca(ConfigCodec.parse(text.replace("beta=3.3", "beta=-1.0"))));
        assertTrue(bad.getMessage().contains("beta"), bad.getMessage());
    }

    @Test
    void wrongKindFailsNamingTheKindAndItsLoader() throws IOException {
        AcaAgent aca = agent();
        aca.save(dir.resolve("aca"));
        IOException asContinuous = assertThrows(IOException.class, () -> Agent.load(dir.resolve("aca"), JAVA));
        assertTrue(asContinuous.getMessage().contains("calql-aca") && asContinuous.getMessage()
                .contains("AcaAgent.load"), asContinuous.getMessage());
        IOException asDiscrete = assertThrows(IOException.class,
                () -> DiscreteAgent.load(dir.resolve("aca"), JAVA));
        assertTrue(asDiscrete.getMessage().contains("AcaAgent.load"), asDiscrete.getMessage());

        Agent continuous = Agent.create(CalQlConfig.builder().observationDim(3).actionDim(2).batchSize(8)
                .qHidden(8).policyHidden(8).build(), TrainingConfig.defaults(), JAVA);
        continuous.save(dir.resolve("continuous"));
        IOException asAca = assertThrows(IOException.class, () -> AcaAgent.load(dir.resolve("continuous"), JAVA));
        assertTrue(asAca.getMessage().contains("calql-continuous") && asAca.getMessage().contains("Agent.load"),
                asAca.getMessage());
    }

    @Test
    void infoNamesTheKindSectionsAndPhase() throws IOException {
        AcaAgent agent = agent();
        OfflineDataset data = PlaneWorld.randomData(8, 3);
        agent.pretrain(data, 5, null);
        agent.finetune(data, new PlaneWorld(), 3, null);
        agent.save(dir);
        CheckpointInfo info = CheckpointInfo.read(dir);
        assertEquals("calql-aca", info.agentKind());
        assertEquals(SECTIONS, info.sections().stream().map(CheckpointInfo.Section::name).toList());
        assertTrue(info.onlinePhase());
        assertTrue(info.fullyVerified());
        assertEquals(5 + 2 * 3, info.updateSteps());
        assertEquals("0.4", info.config().get("interpolationFloor"));
        assertEquals(3L, info.counters().get("finetuneSteps"));
    }
}
