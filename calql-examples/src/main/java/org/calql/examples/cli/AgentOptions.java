package org.calql.examples.cli;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.calql.aca.AcaConfig;
import org.calql.config.CalQlConfig;
import org.calql.config.Presets;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Precision;
import org.calql.train.TrainingConfig;
import org.calql.train.UpdateSchedule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The agent and training flags that {@code demo} and {@code train} share, with the demo's defaults. */
final class AgentOptions {
    @Option(names = "--backend", converter = Converters.BackendName.class,
            description = "Network backend: java or nd4j (default: the best on the class path, now ${DEFAULT-VALUE}).")
    String backend = Backends.available().isEmpty() ? "java" : Backends.available().get(0);

    @Option(names = "--precision", paramLabel = "fp32|bf16",
            description = "Precision of the networks' matrix products in the Cal-QL and CQL updates: fp32, or bf16 "
                    + "(bfloat16 inputs, float32 accumulation; needs --backend nd4j on a CPU with AMX-BF16 or "
                    + "AVX512-BF16; not for ACA or the discrete agents) (default: fp32).")
    Precision precision = Precision.FP32;

    @Option(names = "--hidden", converter = Converters.Widths.class, paramLabel = "W,W",
            description = "Hidden layer widths of the critics and the policy (default: ${DEFAULT-VALUE}).")
    Converters.LayerWidths hidden = new Converters.LayerWidths(new int[] {64, 64});

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--critics", description = "Critics in the ensemble (default: ${DEFAULT-VALUE}).")
    int critics = 2;

    @Option(names = "--n-actions", description = "Sampled actions N per state in the CQL term (default: ${DEFAULT-VALUE}).")
    int nActions = 10;

    @Option(names = "--cql-alpha", description = "CQL weight α (default: ${DEFAULT-VALUE}).")
    double cqlAlpha = 20.0;

    @Option(names = "--online-cql-alpha", description = "CQL weight during fine-tuning (default: same as --cql-alpha).")
    double onlineCqlAlpha = Double.NaN;

    @Option(names = "--discount", description = "Discount γ (default: ${DEFAULT-VALUE}).")
    double discount = 0.97;

    @Option(names = "--tau", description = "Soft target update rate (default: ${DEFAULT-VALUE}).")
    double tau = 0.05;

    @Option(names = "--qf-lr", description = "Critic learning rate (default: ${DEFAULT-VALUE}).")
    double qfLr = 1e-3;

    @Option(names = "--policy-lr", description = "Policy learning rate (default: ${DEFAULT-VALUE}).")
    double policyLr = 3e-4;

    @Option(names = "--mixing-ratio", description = "Fraction of each fine-tuning batch from the offline data "
            + "(default: ${DEFAULT-VALUE}).")
    double mixingRatio = 0.5;

    @Option(names = "--utd", description = "Updates per environment step in fine-tuning (default: ${DEFAULT-VALUE}).")
    int utd = 1;

    @Option(names = "--update-schedule", description = "When fine-tuning updates run: per_step (UTD updates after "
            + "every environment step) or per_episode (none until an episode ends, then its length × UTD, as the "
            + "Cal-QL authors' loop) (default: ${DEFAULT-VALUE}).")
    UpdateSchedule updateSchedule = UpdateSchedule.PER_STEP;

    @Option(names = "--reset-critic-optimizer", description = "Reset the critics' Adam moments when fine-tuning "
            + "starts (default: keep them).")
    boolean resetCriticOptimizer;

    @Option(names = "--calibrate-online", negatable = true, fallbackValue = "true",
            description = "Keep Cal-QL's calibration on during fine-tuning (default: ${DEFAULT-VALUE}).")
    boolean calibrateOnline = true;

    @Option(names = "--eval-episodes", description = "Episodes per evaluation (default: ${DEFAULT-VALUE}).")
    int evalEpisodes = 10;

    @Option(names = "--eval-every", description = "Evaluate every this many pre-training updates and fine-tuning "
            + "steps (default: a tenth of the pre-training and a twentieth of the fine-tuning steps).")
    Integer evalEvery;

    @Option(names = "--preset", description = "Take the agent and loop settings of a published preset: antmaze,"
            + " adroit or kitchen (org.calql.config.Presets; replaces the network, CQL, optimizer and reward options;"
            + " --seed, --backend, --eval-* and the step counts still apply).")
    String preset;

    /** The backend chosen by name. */
    Backend backend() {
        return Backends.named(backend);
    }

    /** The agent config for an environment's dimensions. */
    CalQlConfig config(int observationDim, int actionDim, ConservativeRegularizer regularizer, long seed) {
        if (preset != null) {
            return Presets.named(preset, observationDim, actionDim).agent().regularizer(regularizer).seed(seed)
                    .precision(precision).build();
        }
        return CalQlConfig.builder().observationDim(observationDim).actionDim(actionDim).batchSize(batchSize)
                .criticEnsembleSize(critics).qHidden(hidden.widths()).policyHidden(hidden.widths()).cqlNActions(nActions)
                .cqlAlpha(cqlAlpha).discount(discount).tau(tau).qfLr(qfLr).policyLr(policyLr)
                .regularizer(regularizer).seed(seed).precision(precision).build();
    }

    /**
     * Refuses a {@code --precision} that this run cannot honour, as a usage error (exit code 2): anything but fp32
     * for the discrete agents ({@code discreteActions}) or with ACA among {@code methods} (their configs have no
     * precision), and a precision the chosen backend refuses, with the backend's own message
     * ({@link Backend#withPrecision}).
     */
    void checkPrecision(CommandSpec spec, boolean discreteActions, Collection<Method> methods) {
        if (precision == Precision.FP32) {
            return;
        }
        String flag = "--precision " + precision.name().toLowerCase(Locale.ROOT);
        if (discreteActions) {
            throw new ParameterException(spec.commandLine(), flag + " applies to the continuous Cal-QL and CQL "
                    + "agents only; the discrete agents (--env mountaincar, discrete datasets) run fp32");
        }
        if (methods.contains(Method.ACA)) {
            throw new ParameterException(spec.commandLine(), flag + " applies to Cal-QL and CQL only; ACA runs fp32:"
                    + " leave aca out of the methods or drop " + flag);
        }
        try {
            backend().withPrecision(precision);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage(), e);
        }
    }

    /**
     * The ACA config for an environment's dimensions: the shared network, batch, discount, τ and learning rates
     * ({@code --qf-lr} for the critics and the {@code Z_i}, {@code --policy-lr} for the actor), the authors'
     * defaults otherwise ({@link AcaConfig}). With {@code --preset antmaze} it is {@link AcaConfig.Preset#ANTMAZE}
     * on the authors' networks, with any other preset the authors' defaults.
     */
    AcaConfig acaConfig(int observationDim, int actionDim, long seed) {
        if (preset != null) {
            AcaConfig.Builder b = preset.equalsIgnoreCase("antmaze")
                    ? AcaConfig.builder(observationDim, actionDim, AcaConfig.Preset.ANTMAZE)
                    : AcaConfig.builder(observationDim, actionDim);
            return b.seed(seed).build();
        }
        return AcaConfig.builder(observationDim, actionDim).batchSize(batchSize).criticCount(critics)
                .criticHidden(hidden.widths()).policyHidden(hidden.widths()).discount(discount).tau(tau)
                .criticLr(qfLr).zLr(qfLr).actorLr(policyLr).seed(seed).build();
    }

    /** Evaluation interval for a pre-training of {@code steps} updates. */
    int offlineEvalInterval(long steps) {
        return evalEvery != null ? evalEvery : (int) Math.max(1, steps / 10);
    }

    /** Evaluation interval for a fine-tuning of {@code steps} environment steps. */
    int onlineEvalInterval(long steps) {
        return evalEvery != null ? evalEvery : (int) Math.max(1, steps / 20);
    }

    /** The training settings with the given reward transform and evaluation intervals. */
    TrainingConfig training(double rewardScale, double rewardBias, double sparseFailureReward, int offlineInterval,
                            int onlineInterval) {
        if (evalEvery != null && evalEvery < 1) {
            throw new IllegalArgumentException("--eval-every must be at least 1, found " + evalEvery);
        }
        if (preset != null) {
            return Presets.named(preset, 1, 1).training().evaluationEpisodes(evalEpisodes)
                    .pretrainEvaluationInterval(offlineInterval).finetuneEvaluationInterval(onlineInterval).build();
        }
        return TrainingConfig.builder().rewardScale(rewardScale).rewardBias(rewardBias)
                .sparseFailureReward(sparseFailureReward).mixingRatio(mixingRatio).updatesPerEnvironmentStep(utd)
                .onlineCqlAlpha(onlineCqlAlpha).calibrateOnline(calibrateOnline).updateSchedule(updateSchedule)
                .resetCriticOptimizerOnline(resetCriticOptimizer).evaluationEpisodes(evalEpisodes)
                .pretrainEvaluationInterval(offlineInterval).finetuneEvaluationInterval(onlineInterval).build();
    }

    /** The rows of {@link #describe()} that only Cal-QL and CQL use. */
    static final Set<String> CONSERVATIVE_ONLY = Set.of("sampled actions N", "CQL α",
            "CQL α online", "calibration online");

    /**
     * ACA's settings ({@link #acaConfig}) as name → value for reports, every name starting with {@code ACA}: the
     * values its runs use, preset included.
     */
    Map<String, String> describeAca(int observationDim, int actionDim) {
        AcaConfig c = acaConfig(observationDim, actionDim, 0L);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ACA networks", c.criticCount() + " critics R_i and " + c.criticCount() + " state values Z_i of "
                + Arrays.toString(c.criticHidden()) + ", policy " + Arrays.toString(
                c.policyHidden()) + " " + c.policy().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + (preset != null ? " (preset " + preset + ")" : ""));
        m.put("ACA batch size", Integer.toString(c.batchSize()));
        m.put("ACA discount, tau", num(c.discount()) + ", " + num(c.tau()));
        m.put("ACA learning rates", "actor " + num(c.actorLr()) + ", critics " + num(c.criticLr()) + ", Z_i "
                + num(c.zLr()) + ", temperature " + num(c.temperatureLr()));
        m.put("ACA temperature", "α₀ " + num(c.initialTemperature()) + ", target entropy "
                + num(c.targetEntropy()) + " (−" + num(c.targetEntropyCoef()) + "·actionDim)");
        m.put("ACA offline actor", "SAC + maximum likelihood, w_ML " + num(c.likelihoodWeight())
                + " (λ = w_ML / mean|Q|)");
        m.put("ACA alignment floor β", num(c.beta()));
        m.put("ACA interpolation w", "from " + num(c.interpolationStart()) + " over " + num(c.interpolationEpochs())
                + " epochs of " + c.stepsPerEpoch() + " updates, floor " + num(c.interpolationFloor()));
        m.put("ACA online", "actor gradient clip " + num(c.actorGradClip()) + ", reward shift "
                + num(c.onlineRewardShift()) + ", top offline episodes seeding the replay " + c.topEpisodes());
        return m;
    }

    /** The settings as name → value for reports. */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backend", backend);
        if (precision != Precision.FP32) {
            m.put("precision", precision.name().toLowerCase(Locale.ROOT) + " (matrix products of the updates)");
        }
        if (preset != null) {
            m.put("preset", preset + " (its settings replace the ones below but backend and evaluation episodes)");
        }
        m.put("hidden", hidden.toString());
        m.put("batch size", Integer.toString(batchSize));
        m.put("critics", Integer.toString(critics));
        m.put("sampled actions N", Integer.toString(nActions));
        m.put("CQL α", num(cqlAlpha));
        m.put("CQL α online", Double.isNaN(onlineCqlAlpha) ? "same" : num(onlineCqlAlpha));
        m.put("discount", num(discount));
        m.put("tau", num(tau));
        m.put("critic lr", num(qfLr));
        m.put("policy lr", num(policyLr));
        m.put("mixing ratio", num(mixingRatio));
        m.put("UTD", Integer.toString(utd));
        m.put("calibration online", Boolean.toString(calibrateOnline));
        m.put("update schedule", updateSchedule.name().toLowerCase(Locale.ROOT)
                + (resetCriticOptimizer ? ", critic optimizer reset online" : ""));
        m.put("evaluation episodes", Integer.toString(evalEpisodes));
        return m;
    }

    /**
     * The line printed when a command starts: this command line's own defaults (tuned for the small example
     * environments) differ from the library's, so they are shown, with the library's value beside each that
     * differs.
     */
    String settingsLine() {
        if (preset != null) {
            return "settings: preset " + preset + " (org.calql.config.Presets), backend " + backend + precisionNote();
        }
        CalQlConfig api = CalQlConfig.builder().observationDim(1).actionDim(1).build();
        return "settings: " + differs("discount", discount, api.discount()) + ", " + differs("CQL α", cqlAlpha,
                api.cqlAlpha()) + ", " + differs("tau", tau, api.tau()) + ", " + differs("critic lr", qfLr,
                api.qfLr()) + ", " + differs("policy lr", policyLr, api.policyLr()) + ", hidden " + hidden
                + ", batch " + batchSize + ", mixing " + num(mixingRatio) + ", UTD " + utd + ", backend " + backend
                + precisionNote();
    }

    private String precisionNote() {
        return precision == Precision.FP32 ? "" : ", precision " + precision.name().toLowerCase(Locale.ROOT);
    }

    private static String differs(String name, double value, double library) {
        return name + " " + num(value) + (value == library ? "" : " (library default " + num(library) + ")");
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
