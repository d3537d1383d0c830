package org.calql.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.nn.JavaBackend;
import org.calql.regularizer.Regularizers;
import org.calql.train.EpisodeResult;
import org.calql.train.TrainingConfig;

/**
 * Writes the frozen format-v1 checkpoint {@code checkpoint/v1/agent.calql} and its {@code expected.properties}
 * (test resources of calql-core), which {@link CheckpointCompatTest} checks.
 *
 * <p><b>Run once, on the code of commit a6ff9bb (checkpoint format version 1), and never again after the
 * checkpoint format or the training code changes</b>: the point of the resource is a file written by that
 * code, which later code must keep loading and must keep continuing with the same bits. The test suite
 * does not run it. How it was run (from the repository root):
 *
 * <pre>
 * mvn -pl calql-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp calql-core/target/test-classes:calql-core/target/classes:$(cat /tmp/cp.txt) \
 *     org.calql.agent.CheckpointV1Generator calql-core/src/test/resources/checkpoint/v1
 * </pre>
 *
 * <p>On that code the output is deterministic: re-running it gave byte-identical files, with
 * {@code -Dcalql.threads=1} and {@code 4} alike.
 *
 * <p>The recipe (also used by the test to resume the loaded agent): the config of {@link #config()} and
 * {@link #training()}; {@value #PRETRAIN_UPDATES} pre-training updates on {@link #dataset()}; then
 * {@value #FINETUNE_STEPS} fine-tuning steps on a new {@link PlaneWorld} with that dataset (the last episode is
 * unfinished and {@code finetune} closes it as a data break, as today's code does at the end of every call);
 * then {@code save}. The expected values come from the agent <em>loaded</em> from the written file; the
 * resumed fingerprints come from loading it again and continuing as in {@link Resume}.
 */
public final class CheckpointV1Generator {
    static final int PRETRAIN_UPDATES = 20;
    static final int FINETUNE_STEPS = 65;
    static final String RESOURCE_DIR = "/checkpoint/v1/";
    static final String FILE = "agent.calql";
    static final String EXPECTED = "expected.properties";

    private CheckpointV1Generator() {
    }

    static CalQlConfig config() {
        return CalQlConfig.builder().observationDim(3).actionDim(2).batchSize(16).criticEnsembleSize(2)
                .qHidden(16, 16).policyHidden(16, 16).cqlNActions(4).lagrange(true).maxTargetBackup(true)
                .backupEntropy(true).bcSteps(2).autoEntropy(true).regularizer(Regularizers.calQl()).seed(11)
                .build();
    }

    static TrainingConfig training() {
        return TrainingConfig.builder().normalizeObservations(true).rewardScale(10).rewardBias(-5)
                .sparseFailureReward(-5).replayCapacity(300).mixingRatio(0.5).randomExplorationSteps(8)
                .updatesPerEnvironmentStep(1).onlineCqlAlpha(2.0).evaluationEpisodes(2).build();
    }

    /** The offline data: 30 random-action episodes of {@link PlaneWorld}, seed 5. */
    static OfflineDataset dataset() {
        return PlaneWorld.randomData(30, 5);
    }

    /** Raw observations on which {@code act} is pinned. */
    static double[][] observations() {
        return new double[][] {{0.5, -0.25, 0.0}, {-0.8, 0.6, 0.5}, {0.1, 0.05, 11.0 / 12.0}};
    }

    /** The ways the test continues the loaded agent, as a user would. */
    enum Resume {
        /** {@code finetune(dataset(), new PlaneWorld(), 40, listener)}. */
        FINETUNE_40 {
            @Override
            void run(Agent a, StateFingerprint.Updates l) {
                a.finetune(dataset(), new PlaneWorld(), 40, l);
            }
        },
        /** {@code pretrain(dataset(), 10, listener)} (after fine-tuning: the online settings stay). */
        PRETRAIN_10 {
            @Override
            void run(Agent a, StateFingerprint.Updates l) {
                a.pretrain(dataset(), 10, l);
            }
        },
        /**
         * {@code finetune(new PlaneWorld(), 40, listener)}, the overload without a dataset: a checkpoint does not
         * hold the offline data, so the loaded agent trains on its replay only.
         */
        FINETUNE_40_WITHOUT_DATASET {
            @Override
            void run(Agent a, StateFingerprint.Updates l) {
                a.finetune(new PlaneWorld(), 40, l);
            }
        };

        abstract void run(Agent agent, StateFingerprint.Updates listener);

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        }
    }

    /** Every config and training setting, by public accessor, as text ({@code Double.toString} round-trips). */
    static Map<String, String> configFields(CalQlConfig c, TrainingConfig t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("config.observationDim", String.valueOf(c.observationDim()));
        m.put("config.actionDim", String.valueOf(c.actionDim()));
        m.put("config.batchSize", String.valueOf(c.batchSize()));
        m.put("config.criticEnsembleSize", String.valueOf(c.criticEnsembleSize()));
        m.put("config.qHidden", Arrays.toString(c.qHidden()));
        m.put("config.policyHidden", Arrays.toString(c.policyHidden()));
        m.put("config.initialization", String.valueOf(c.initialization()));
        m.put("config.maxAction", String.valueOf(c.maxAction()));
        m.put("config.discount", String.valueOf(c.discount()));
        m.put("config.tau", String.valueOf(c.tau()));
        m.put("config.targetUpdatePeriod", String.valueOf(c.targetUpdatePeriod()));
        m.put("config.qfLr", String.valueOf(c.qfLr()));
        m.put("config.policyLr", String.valueOf(c.policyLr()));
        m.put("config.alphaMultiplier", String.valueOf(c.alphaMultiplier()));
        m.put("config.autoEntropy", String.valueOf(c.autoEntropy()));
        m.put("config.targetEntropy", String.valueOf(c.targetEntropy()));
        m.put("config.initLogAlpha", String.valueOf(c.initLogAlpha()));
        m.put("config.backupEntropy", String.valueOf(c.backupEntropy()));
        m.put("config.logStdMultiplier", String.valueOf(c.logStdMultiplier()));
        m.put("config.logStdOffset", String.valueOf(c.logStdOffset()));
        m.put("config.cqlAlpha", String.valueOf(c.cqlAlpha()));
        m.put("config.cqlNActions", String.valueOf(c.cqlNActions()));
        m.put("config.lagrange", String.valueOf(c.lagrange()));
        m.put("config.targetActionGap", String.valueOf(c.targetActionGap()));
        m.put("config.initLogAlphaPrime", String.valueOf(c.initLogAlphaPrime()));
        m.put("config.maxTargetBackup", String.valueOf(c.maxTargetBackup()));
        m.put("config.bcSteps", String.valueOf(c.bcSteps()));
        m.put("config.seed", String.valueOf(c.seed()));
        m.put("config.regularizer", String.valueOf(c.regularizer()));
        m.put("config.referenceValues", String.valueOf(c.referenceValues()));
        m.put("training.rewardScale", String.valueOf(t.rewardScale()));
        m.put("training.rewardBias", String.valueOf(t.rewardBias()));
        m.put("training.sparseFailureReward", String.valueOf(t.sparseFailureReward()));
        m.put("training.normalizeObservations", String.valueOf(t.normalizeObservations()));
        m.put("training.replayCapacity", String.valueOf(t.replayCapacity()));
        m.put("training.mixingRatio", String.valueOf(t.mixingRatio()));
        m.put("training.updatesPerEnvironmentStep", String.valueOf(t.updatesPerEnvironmentStep()));
        m.put("training.onlineCqlAlpha", String.valueOf(t.onlineCqlAlpha()));
        m.put("training.calibrateOnline", String.valueOf(t.calibrateOnline()));
        m.put("training.randomExplorationSteps", String.valueOf(t.randomExplorationSteps()));
        m.put("training.evaluationEpisodes", String.valueOf(t.evaluationEpisodes()));
        m.put("training.pretrainEvaluationInterval", String.valueOf(t.pretrainEvaluationInterval()));
        m.put("training.finetuneEvaluationInterval", String.valueOf(t.finetuneEvaluationInterval()));
        return m;
    }

    /** Doubles as their raw bits in hex, comma-separated: exact and still readable next to the decimals. */
    static String bits(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(Long.toHexString(Double.doubleToRawLongBits(v[i])));
        }
        return b.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Rewrites the resource and the expected values in {@code args[0]} (default
     * {@code calql-core/src/test/resources/checkpoint/v1}). See the class doc: not to be re-run.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "calql-core/src/test/resources/checkpoint/v1");
        OfflineDataset data = dataset();
        Agent agent = Agent.create(config(), training(), new JavaBackend());
        agent.pretrain(data, PRETRAIN_UPDATES, null);
        long[] lastEpisodeEnd = {0};
        agent.finetune(data, new PlaneWorld(), FINETUNE_STEPS, new org.calql.train.TrainingListener() {
            @Override
            public void onEpisode(EpisodeResult r) {
                lastEpisodeEnd[0] = r.environmentStep();
            }
        });
        if (lastEpisodeEnd[0] >= FINETUNE_STEPS) {
            throw new IllegalStateException("the last fine-tuning episode ended by itself; want an unfinished one");
        }
        agent.save(dir);
        String savedFingerprint = StateFingerprint.of(agent);

        Agent loaded = Agent.load(dir, new JavaBackend());
        Map<String, String> out = new LinkedHashMap<>();
        out.put("file.sha256", sha256(Files.readAllBytes(dir.resolve(FILE))));
        out.putAll(configFields(loaded.config(), loaded.trainingConfig()));
        out.put("counters.pretrainUpdates", String.valueOf(loaded.pretrainUpdates()));
        out.put("counters.finetuneSteps", String.valueOf(loaded.finetuneSteps()));
        out.put("counters.cumulativeRegret", bits(new double[] {loaded.cumulativeRegret()}));
        out.put("counters.all", Arrays.toString(loaded.trainingState().counters()));
        out.put("counters.onlinePhase", String.valueOf(loaded.trainingState().onlinePhase()));
        out.put("finetune.lastEpisodeEndStep", String.valueOf(lastEpisodeEnd[0]));
        out.put("replay.size", String.valueOf(loaded.trainingState().replay().size()));
        out.put("replay.pendingSize", String.valueOf(loaded.trainingState().replay().pendingSize()));
        out.put("normalizer.mean", bits(loaded.normalizer().mean()));
        out.put("normalizer.std", bits(loaded.normalizer().std()));
        double[][] obs = observations();
        for (int i = 0; i < obs.length; i++) {
            double[] a = loaded.act(obs[i]);
            out.put("act." + i + ".observation", Arrays.toString(obs[i]));
            out.put("act." + i, bits(a));
            out.put("act." + i + ".decimal", Arrays.toString(a));
        }
        String fingerprint = StateFingerprint.of(loaded);
        if (!fingerprint.equals(savedFingerprint)) {
            throw new IllegalStateException("loaded agent differs from the saved one");
        }
        out.put("fingerprint", fingerprint);
        for (Map.Entry<String, String> e : StateFingerprint.sections(loaded).entrySet()) {
            out.put("fingerprint." + e.getKey(), e.getValue());
        }
        for (Resume r : Resume.values()) {
            Agent resumed = Agent.load(dir, new JavaBackend());
            StateFingerprint.Updates l = new StateFingerprint.Updates();
            r.run(resumed, l);
            out.put("resume." + r.key() + ".fingerprint", StateFingerprint.of(resumed));
            out.put("resume." + r.key() + ".updates", l.hex());
            out.put("resume." + r.key() + ".updateCount", String.valueOf(l.count()));
            out.put("resume." + r.key() + ".finetuneSteps", String.valueOf(resumed.finetuneSteps()));
            out.put("resume." + r.key() + ".act.0", bits(resumed.act(obs[0])));
        }
        // The agent that never stopped, continued like Resume.FINETUNE_40: must match the loaded one.
        agent.finetune(data, new PlaneWorld(), 40, null);
        out.put("uninterrupted.finetune.40.fingerprint", StateFingerprint.of(agent));

        StringBuilder text = new StringBuilder();
        text.append("# Written by org.calql.agent.CheckpointV1Generator on the code of commit a6ff9bb (format v1).\n")
                .append("# Doubles are raw IEEE-754 bits in hex (Double.doubleToRawLongBits); fingerprints are\n")
                .append("# SHA-256 as documented in StateFingerprint. Do not regenerate: see the generator's javadoc.\n");
        for (Map.Entry<String, String> e : out.entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        Files.writeString(dir.resolve(EXPECTED), text.toString(), StandardCharsets.UTF_8);
        System.out.print(text);
    }
}
