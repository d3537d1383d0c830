package org.calql.agent;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.calql.aca.AcaConfig;
import org.calql.config.CalQlConfig;
import org.calql.config.ConfigStructure;
import org.calql.critic.CriticSpec;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.TdLoss;
import org.calql.regularizer.Calibration;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.CqlRegularizer;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Activation;
import org.calql.spi.Initialization;
import org.calql.spi.Precision;
import org.calql.train.DivergenceAction;
import org.calql.train.TrainingConfig;
import org.calql.train.UpdateSchedule;

/** Writes configs as sorted {@code key=value} lines and reads them back, exactly (doubles round-trip). */
final class ConfigCodec {
    static final String CUSTOM = "custom:";
    static final String TANH_GAUSSIAN = "tanhGaussian";

    private ConfigCodec() {
    }

    static String encode(CalQlConfig c) {
        Map<String, String> m = new TreeMap<>();
        m.put("observationDim", Integer.toString(c.observationDim()));
        m.put("actionDim", Integer.toString(c.actionDim()));
        m.put("batchSize", Integer.toString(c.batchSize()));
        m.put("criticEnsembleSize", Integer.toString(c.criticEnsembleSize()));
        m.put("qHidden", ints(c.qHidden()));
        m.put("criticActivation", c.critic().activation().name());
        m.put("criticLayerNorm", Boolean.toString(c.critic().layerNorm()));
        m.put("criticLayerNormEpsilon", Double.toString(c.critic().layerNormEpsilon()));
        m.put("policyHidden", ints(c.policyHidden()));
        m.put("initialization", c.initialization().name());
        m.put("maxAction", Double.toString(c.maxAction()));
        m.put("discount", Double.toString(c.discount()));
        m.put("tau", Double.toString(c.tau()));
        m.put("targetUpdatePeriod", Integer.toString(c.targetUpdatePeriod()));
        m.put("qfLr", Double.toString(c.qfLr()));
        m.put("policyLr", Double.toString(c.policyLr()));
        m.put("alphaMultiplier", Double.toString(c.alphaMultiplier()));
        m.put("autoEntropy", Boolean.toString(c.autoEntropy()));
        m.put("targetEntropy", Double.toString(c.targetEntropy()));
        m.put("initLogAlpha", Double.toString(c.initLogAlpha()));
        m.put("backupEntropy", Boolean.toString(c.backupEntropy()));
        m.put("logStdMultiplier", Double.toString(c.logStdMultiplier()));
        m.put("logStdOffset", Double.toString(c.logStdOffset()));
        m.put("cqlAlpha", Double.toString(c.cqlAlpha()));
        m.put("cqlNActions", Integer.toString(c.cqlNActions()));
        m.put("lagrange", Boolean.toString(c.lagrange()));
        m.put("targetActionGap", Double.toString(c.targetActionGap()));
        m.put("initLogAlphaPrime", Double.toString(c.initLogAlphaPrime()));
        m.put("maxTargetBackup", Boolean.toString(c.maxTargetBackup()));
        m.put("bcSteps", Integer.toString(c.bcSteps()));
        m.put("seed", Long.toString(c.seed()));
        m.put("regularizer", regularizer(c.regularizer()));
        m.put("referenceValues", referenceValues(c.referenceValues()));
        m.put("policy", c.structure().policy());
        if (c.precision() != Precision.FP32) {
            m.put("precision", c.precision().name()); // only when set, so FP32 checkpoints keep their bytes
        }
        return lines(m);
    }

    private static String regularizer(ConservativeRegularizer regularizer) {
        if (regularizer instanceof CqlRegularizer r
                && (r.calibration() == Calibration.none() || r.calibration() == Calibration.lowerBound())) {
            return "cql," + r.temperature() + "," + r.importanceSampling() + "," + r.clipDiffMin() + ","
                    + r.clipDiffMax() + "," + (r.calibration() == Calibration.none() ? "none" : "lowerBound");
        }
        return CUSTOM + regularizer.getClass().getName();
    }

    /**
     * {@code monteCarlo}; {@code saved} for a fitted reference the {@code reference} section holds (decoded as the
     * Monte-Carlo default, which the section then replaces); else the custom class.
     */
    private static String referenceValues(ReferenceValues referenceValues) {
        if (referenceValues == ReferenceValues.monteCarlo()) {
            return "monteCarlo";
        }
        return ReferenceSection.savable(referenceValues) ? SAVED : CUSTOM + referenceValues.getClass().getName();
    }

    /** The entry of a reference saved in the {@code reference} section. */
    static final String SAVED = "saved";

    /** A built-in regularizer's entry {@code cql,temperature,importanceSampling,clipMin,clipMax,calibration}. */
    private static CqlRegularizer decodeRegularizer(String reg) {
        String[] r = reg.split(",", -1);
        if (r.length != 6 || !r[0].equals("cql") || !(r[5].equals("none") || r[5].equals("lowerBound"))) {
            throw new IllegalArgumentException("unknown regularizer entry '" + reg + "'");
        }
        return CqlRegularizer.builder().temperature(Double.parseDouble(r[1]))
                .importanceSampling(boolValue("regularizer", r[2]))
                .clipDiff(Double.parseDouble(r[3]), Double.parseDouble(r[4]))
                .calibration(r[5].equals("none") ? Calibration.none() : Calibration.lowerBound()).build();
    }

    /** The saved config; custom regularizers or references cannot be rebuilt and need a config from the caller. */
    static CalQlConfig decodeConfig(Map<String, String> m) {
        String reg = get(m, "regularizer");
        String ref = get(m, "referenceValues");
        String policy = m.getOrDefault("policy", TANH_GAUSSIAN);
        if (!policy.equals(TANH_GAUSSIAN)) {
            throw new IllegalArgumentException("the checkpoint used a custom policy " + policy
                    + "; load it with Agent.load(dir, backend, config) passing a config that holds its factory");
        }
        if (reg.startsWith(CUSTOM) || ref.startsWith(CUSTOM)) {
            throw new IllegalArgumentException("the checkpoint used a custom " + (reg.startsWith(CUSTOM)
                    ? "regularizer " + reg.substring(CUSTOM.length()) : "reference " + ref.substring(CUSTOM.length()))
                    + "; load it with Agent.load(dir, backend, config) passing a config that holds it");
        }
        CqlRegularizer regularizer = decodeRegularizer(reg);
        return CalQlConfig.builder()
                .observationDim(integer(m, "observationDim")).actionDim(integer(m, "actionDim"))
                .batchSize(integer(m, "batchSize")).criticEnsembleSize(integer(m, "criticEnsembleSize"))
                .critic(critic(m)).policyHidden(intArray(get(m, "policyHidden")))
                .initialization(Initialization.valueOf(get(m, "initialization")))
                .maxAction(real(m, "maxAction")).discount(real(m, "discount")).tau(real(m, "tau"))
                .targetUpdatePeriod(integer(m, "targetUpdatePeriod")).qfLr(real(m, "qfLr"))
                .policyLr(real(m, "policyLr")).alphaMultiplier(real(m, "alphaMultiplier"))
                .autoEntropy(bool(m, "autoEntropy")).targetEntropy(real(m, "targetEntropy"))
                .initLogAlpha(real(m, "initLogAlpha")).backupEntropy(bool(m, "backupEntropy"))
                .logStdMultiplier(real(m, "logStdMultiplier")).logStdOffset(real(m, "logStdOffset"))
                .cqlAlpha(real(m, "cqlAlpha")).cqlNActions(integer(m, "cqlNActions")).lagrange(bool(m, "lagrange"))
                .targetActionGap(real(m, "targetActionGap")).initLogAlphaPrime(real(m, "initLogAlphaPrime"))
                .maxTargetBackup(bool(m, "maxTargetBackup")).bcSteps(integer(m, "bcSteps"))
                .seed(Long.parseLong(get(m, "seed")))
                .precision(precision(m.getOrDefault("precision", Precision.FP32.name())))
                .regularizer(regularizer).referenceValues(ReferenceValues.monteCarlo())
                .build();
    }

    private static Precision precision(String name) {
        try {
            return Precision.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be one of " + java.util.Arrays.toString(Precision.values())
                    + ", got '" + name + "'", e);
        }
    }

    /** Whether the saved config names a custom policy, regularizer or reference, which need the caller's config. */
    static boolean namesCustomComponent(Map<String, String> m) {
        return !m.getOrDefault("policy", TANH_GAUSSIAN).equals(TANH_GAUSSIAN)
                || m.getOrDefault("regularizer", "").startsWith(CUSTOM)
                || m.getOrDefault("referenceValues", "").startsWith(CUSTOM);
    }

    // ---------------------------------------------------------------- discrete

    /** Every entry of a discrete config, in the order {@link #requireSameDiscreteStructure} compares the first few. */
    static final List<String> DISCRETE_KEYS = List.of("observationDim", "numActions", "batchSize", "criticCount",
            "criticHidden", "criticActivation", "criticLayerNorm", "criticLayerNormEpsilon", "initialization", "seed",
            "doubleDqn", "targetUpdatePeriod", "tau", "discount", "lr", "cqlAlpha", "tdLoss", "regularizer",
            "referenceValues");
    /** The entries that shape networks, buffers or the target rule: a config given at load must equal them. */
    static final List<String> DISCRETE_STRUCTURE = DISCRETE_KEYS.subList(0, 13);

    static String encode(DiscreteConfig c) {
        Map<String, String> m = new TreeMap<>();
        m.put("observationDim", Integer.toString(c.observationDim()));
        m.put("numActions", Integer.toString(c.numActions()));
        m.put("batchSize", Integer.toString(c.batchSize()));
        m.put("criticCount", Integer.toString(c.criticCount()));
        m.put("criticHidden", ints(c.critic().hidden()));
        m.put("criticActivation", c.critic().activation().name());
        m.put("criticLayerNorm", Boolean.toString(c.critic().layerNorm()));
        m.put("criticLayerNormEpsilon", Double.toString(c.critic().layerNormEpsilon()));
        m.put("initialization", c.initialization().name());
        m.put("seed", Long.toString(c.seed()));
        m.put("doubleDqn", Boolean.toString(c.doubleDqn()));
        m.put("targetUpdatePeriod", Integer.toString(c.targetUpdatePeriod()));
        m.put("tau", Double.toString(c.tau()));
        m.put("discount", Double.toString(c.discount()));
        m.put("lr", Double.toString(c.lr()));
        m.put("cqlAlpha", Double.toString(c.cqlAlpha()));
        m.put("tdLoss", c.tdLoss().name());
        m.put("regularizer", regularizer(c.regularizer()));
        m.put("referenceValues", referenceValues(c.referenceValues()));
        return lines(m);
    }

    /**
     * Checks a saved discrete config's entries without building it (it may name a custom component): exactly
     * {@link #DISCRETE_KEYS}, the structural ones well-formed and the dimensions positive; returns {@code m}.
     */
    static Map<String, String> discreteEntries(Map<String, String> m) {
        for (String key : m.keySet()) {
            if (!DISCRETE_KEYS.contains(key)) {
                throw new IllegalArgumentException("config entry '" + key + "' is not a discrete config entry");
            }
        }
        for (String key : DISCRETE_KEYS) {
            get(m, key);
        }
        for (String key : List.of("observationDim", "numActions", "batchSize", "criticCount",
                "targetUpdatePeriod")) {
            if (integer(m, key) <= 0) {
                throw new IllegalArgumentException("config entry '" + key + "' must be positive, found "
                        + m.get(key));
            }
        }
        discreteCritic(m);
        Initialization.valueOf(get(m, "initialization"));
        Long.parseLong(get(m, "seed"));
        bool(m, "doubleDqn");
        real(m, "tau");
        return m;
    }

    /** The saved discrete config; custom regularizers or references need a config from the caller. */
    static DiscreteConfig decodeDiscrete(Map<String, String> m) {
        String reg = get(m, "regularizer");
        String ref = get(m, "referenceValues");
        if (reg.startsWith(CUSTOM) || ref.startsWith(CUSTOM)) {
            throw new IllegalArgumentException("the checkpoint used a custom " + (reg.startsWith(CUSTOM)
                    ? "regularizer " + reg.substring(CUSTOM.length()) : "reference " + ref.substring(CUSTOM.length()))
                    + "; load it with DiscreteAgent.load(dir, backend, config) passing a config that holds it");
        }
        if (!ref.equals("monteCarlo") && !ref.equals(SAVED)) {
            throw new IllegalArgumentException("unknown referenceValues entry '" + ref + "'");
        }
        return DiscreteConfig.builder().observationDim(integer(m, "observationDim"))
                .numActions(integer(m, "numActions")).batchSize(integer(m, "batchSize"))
                .criticCount(integer(m, "criticCount")).critic(discreteCritic(m))
                .initialization(Initialization.valueOf(get(m, "initialization")))
                .seed(Long.parseLong(get(m, "seed"))).doubleDqn(bool(m, "doubleDqn"))
                .targetUpdatePeriod(integer(m, "targetUpdatePeriod")).tau(real(m, "tau"))
                .discount(real(m, "discount")).lr(real(m, "lr")).cqlAlpha(real(m, "cqlAlpha"))
                .tdLoss(TdLoss.valueOf(get(m, "tdLoss")))
                .regularizer(decodeRegularizer(reg)).referenceValues(ReferenceValues.monteCarlo())
                .build();
    }

    /**
     * Checks that {@code given} has the saved structure ({@link #DISCRETE_STRUCTURE}).
     *
     * @throws IllegalArgumentException naming the first entry that differs, with the saved and the given value
     */
    static void requireSameDiscreteStructure(Map<String, String> saved, DiscreteConfig given) {
        Map<String, String> other = parse(encode(given));
        for (String key : DISCRETE_STRUCTURE) {
            if (!saved.get(key).equals(other.get(key))) {
                throw new IllegalArgumentException(key + " is saved as " + saved.get(key) + ", found "
                        + other.get(key));
            }
        }
    }

    private static CriticSpec discreteCritic(Map<String, String> m) {
        return CriticSpec.builder().hidden(intArray(get(m, "criticHidden")))
                .activation(Activation.valueOf(get(m, "criticActivation"))).layerNorm(bool(m, "criticLayerNorm"))
                .layerNormEpsilon(real(m, "criticLayerNormEpsilon")).build();
    }

    // ---------------------------------------------------------------- ACA

    /** Every entry of an ACA config, each written as its exact decimal ({@link Double#toString}) or integer. */
    static final List<String> ACA_KEYS = List.of("observationDim", "actionDim", "maxAction", "seed", "batchSize",
            "criticCount", "criticHidden", "policyHidden", "initialization", "actorLr", "criticLr", "zLr",
            "temperatureLr", "discount", "tau", "initialTemperature", "targetEntropyCoef", "likelihoodWeight", "beta",
            "interpolationStart", "interpolationEpochs", "interpolationFloor", "stepsPerEpoch", "actorGradClip",
            "onlineRewardShift", "topEpisodes", "policy");

    static String encode(AcaConfig c) {
        Map<String, String> m = new TreeMap<>();
        m.put("observationDim", Integer.toString(c.observationDim()));
        m.put("actionDim", Integer.toString(c.actionDim()));
        m.put("maxAction", Double.toString(c.maxAction()));
        m.put("seed", Long.toString(c.seed()));
        m.put("batchSize", Integer.toString(c.batchSize()));
        m.put("criticCount", Integer.toString(c.criticCount()));
        m.put("criticHidden", ints(c.criticHidden()));
        m.put("policyHidden", ints(c.policyHidden()));
        m.put("initialization", c.initialization().name());
        m.put("actorLr", Double.toString(c.actorLr()));
        m.put("criticLr", Double.toString(c.criticLr()));
        m.put("zLr", Double.toString(c.zLr()));
        m.put("temperatureLr", Double.toString(c.temperatureLr()));
        m.put("discount", Double.toString(c.discount()));
        m.put("tau", Double.toString(c.tau()));
        m.put("initialTemperature", Double.toString(c.initialTemperature()));
        m.put("targetEntropyCoef", Double.toString(c.targetEntropyCoef()));
        m.put("likelihoodWeight", Double.toString(c.likelihoodWeight()));
        m.put("beta", Double.toString(c.beta()));
        m.put("interpolationStart", Double.toString(c.interpolationStart()));
        m.put("interpolationEpochs", Double.toString(c.interpolationEpochs()));
        m.put("interpolationFloor", Double.toString(c.interpolationFloor()));
        m.put("stepsPerEpoch", Integer.toString(c.stepsPerEpoch()));
        m.put("actorGradClip", Double.toString(c.actorGradClip()));
        m.put("onlineRewardShift", Double.toString(c.onlineRewardShift()));
        m.put("topEpisodes", Integer.toString(c.topEpisodes()));
        m.put("policy", c.policy().name());
        return lines(m);
    }

    /**
     * The saved ACA config: exactly {@link #ACA_KEYS}, validated by its builder.
     *
     * @throws IllegalArgumentException naming the unknown, missing or malformed entry, or the builder's rule
     */
    static AcaConfig decodeAca(Map<String, String> m) {
        for (String key : m.keySet()) {
            if (!ACA_KEYS.contains(key)) {
                throw new IllegalArgumentException("config entry '" + key + "' is not an ACA config entry");
            }
        }
        for (String key : ACA_KEYS) {
            get(m, key);
        }
        try {
            return AcaConfig.builder(integer(m, "observationDim"), integer(m, "actionDim"))
                    .maxAction(real(m, "maxAction")).seed(Long.parseLong(get(m, "seed")))
                    .batchSize(integer(m, "batchSize")).criticCount(integer(m, "criticCount"))
                    .criticHidden(intArray(get(m, "criticHidden"))).policyHidden(intArray(get(m, "policyHidden")))
                    .initialization(Initialization.valueOf(get(m, "initialization")))
                    .actorLr(real(m, "actorLr")).criticLr(real(m, "criticLr")).zLr(real(m, "zLr"))
                    .temperatureLr(real(m, "temperatureLr")).discount(real(m, "discount")).tau(real(m, "tau"))
                    .initialTemperature(real(m, "initialTemperature"))
                    .targetEntropyCoef(real(m, "targetEntropyCoef")).likelihoodWeight(real(m, "likelihoodWeight"))
                    .beta(real(m, "beta"))
                    .interpolation(real(m, "interpolationStart"), real(m, "interpolationEpochs"),
                            real(m, "interpolationFloor"))
                    .stepsPerEpoch(integer(m, "stepsPerEpoch")).actorGradClip(real(m, "actorGradClip"))
                    .onlineRewardShift(real(m, "onlineRewardShift")).topEpisodes(integer(m, "topEpisodes"))
                    .policy(AcaConfig.PolicyKind.valueOf(get(m, "policy"))).build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a config entry is not a number: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- training

    static String encode(TrainingConfig t) {
        Map<String, String> m = new TreeMap<>();
        m.put("rewardScale", Double.toString(t.rewardScale()));
        m.put("rewardBias", Double.toString(t.rewardBias()));
        m.put("sparseFailureReward", Double.toString(t.sparseFailureReward()));
        m.put("normalizeObservations", Boolean.toString(t.normalizeObservations()));
        m.put("replayCapacity", Integer.toString(t.replayCapacity()));
        m.put("mixingRatio", Double.toString(t.mixingRatio()));
        m.put("updatesPerEnvironmentStep", Integer.toString(t.updatesPerEnvironmentStep()));
        m.put("onlineCqlAlpha", Double.toString(t.onlineCqlAlpha()));
        m.put("calibrateOnline", Boolean.toString(t.calibrateOnline()));
        m.put("randomExplorationSteps", Integer.toString(t.randomExplorationSteps()));
        m.put("evaluationEpisodes", Integer.toString(t.evaluationEpisodes()));
        m.put("pretrainEvaluationInterval", Integer.toString(t.pretrainEvaluationInterval()));
        m.put("finetuneEvaluationInterval", Integer.toString(t.finetuneEvaluationInterval()));
        m.put("maxEpisodeSteps", Integer.toString(t.maxEpisodeSteps()));
        m.put("updateSchedule", t.updateSchedule().name());
        m.put("onlineConservative", Boolean.toString(t.onlineConservative()));
        m.put("evaluateAtPhaseBoundaries", Boolean.toString(t.evaluateAtPhaseBoundaries()));
        m.put("resetCriticOptimizerOnline", Boolean.toString(t.resetCriticOptimizerOnline()));
        m.put("endEpisodeAtSuccess", Boolean.toString(t.endEpisodeAtSuccess()));
        m.put("divergenceThreshold", Double.toString(t.divergenceThreshold()));
        m.put("divergenceAction", t.divergenceAction().name());
        return lines(m);
    }

    static TrainingConfig decodeTraining(Map<String, String> m) {
        return TrainingConfig.builder().rewardScale(real(m, "rewardScale")).rewardBias(real(m, "rewardBias"))
                .sparseFailureReward(real(m, "sparseFailureReward"))
                .normalizeObservations(bool(m, "normalizeObservations"))
                .replayCapacity(integer(m, "replayCapacity")).mixingRatio(real(m, "mixingRatio"))
                .updatesPerEnvironmentStep(integer(m, "updatesPerEnvironmentStep"))
                .onlineCqlAlpha(real(m, "onlineCqlAlpha")).calibrateOnline(bool(m, "calibrateOnline"))
                .randomExplorationSteps(integer(m, "randomExplorationSteps"))
                .evaluationEpisodes(integer(m, "evaluationEpisodes"))
                .pretrainEvaluationInterval(integer(m, "pretrainEvaluationInterval"))
                .finetuneEvaluationInterval(integer(m, "finetuneEvaluationInterval"))
                .maxEpisodeSteps(m.containsKey("maxEpisodeSteps") ? integer(m, "maxEpisodeSteps") : 1000)
                // settings added after format 1; files without them hold the defaults of their time
                .updateSchedule(UpdateSchedule.valueOf(m.getOrDefault("updateSchedule", "PER_STEP")))
                .onlineConservative(!m.containsKey("onlineConservative") || bool(m, "onlineConservative"))
                .evaluateAtPhaseBoundaries(m.containsKey("evaluateAtPhaseBoundaries")
                        && bool(m, "evaluateAtPhaseBoundaries"))
                .resetCriticOptimizerOnline(m.containsKey("resetCriticOptimizerOnline")
                        && bool(m, "resetCriticOptimizerOnline"))
                .endEpisodeAtSuccess(m.containsKey("endEpisodeAtSuccess") && bool(m, "endEpisodeAtSuccess"))
                .divergenceThreshold(m.containsKey("divergenceThreshold") ? real(m, "divergenceThreshold") : 1e6)
                .divergenceAction(DivergenceAction.valueOf(m.getOrDefault("divergenceAction", "WARN")))
                .build();
    }

    /** The structural fields of a saved config, read without building it (a custom component may be named there). */
    static ConfigStructure decodeStructure(Map<String, String> m) {
        return new ConfigStructure(integer(m, "observationDim"), integer(m, "actionDim"), integer(m, "batchSize"),
                integer(m, "criticEnsembleSize"), integer(m, "cqlNActions"), critic(m),
                intArray(get(m, "policyHidden")), m.getOrDefault("policy", TANH_GAUSSIAN),
                bool(m, "maxTargetBackup"), real(m, "maxAction"),
                Initialization.valueOf(get(m, "initialization")), Long.parseLong(get(m, "seed")));
    }

    /** The critic spec; files written before activations and LayerNorm existed hold ReLU critics without it. */
    private static CriticSpec critic(Map<String, String> m) {
        CriticSpec.Builder b = CriticSpec.builder().hidden(intArray(get(m, "qHidden")));
        if (m.containsKey("criticActivation")) {
            b.activation(Activation.valueOf(get(m, "criticActivation"))).layerNorm(bool(m, "criticLayerNorm"))
                    .layerNormEpsilon(real(m, "criticLayerNormEpsilon"));
        }
        return b.build();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed config line '" + line + "'");
            }
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    private static String lines(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("config entry '" + key + "' is missing");
        }
        return v;
    }

    private static int integer(Map<String, String> m, String key) {
        return Integer.parseInt(get(m, key));
    }

    private static double real(Map<String, String> m, String key) {
        return Double.parseDouble(get(m, key));
    }

    private static boolean bool(Map<String, String> m, String key) {
        return boolValue(key, get(m, key));
    }

    private static boolean boolValue(String key, String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("config entry '" + key + "' must be true or false, found " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static String ints(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    private static int[] intArray(String text) {
        return Arrays.stream(text.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
