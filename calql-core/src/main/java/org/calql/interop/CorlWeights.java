package org.calql.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.spi.Backend;
import org.calql.spi.NetworkSpec;
import org.calql.update.ModelParameters;

/**
 * An agent's weights under the {@code state_dict} key names of CORL's {@code algorithms/finetune/cal_ql.py}, in
 * safetensors or NPZ, and back.
 *
 * <p><b>Key layout.</b> CORL's {@code CalQL.state_dict()} is a nested dict ({@code "actor"}, {@code "critic1"},
 * {@code "critic2"}, {@code "critic1_target"}, {@code "critic2_target"}, {@code "sac_log_alpha"},
 * {@code "cql_log_alpha"}, optimizer states, {@code "total_it"}), which safetensors cannot hold; a file here is
 * that dict flattened with {@code "."}, the optimizer states and counters left out ({@code L} linear layers,
 * Sequential index {@code 2i} because each {@code Linear} is followed by a {@code ReLU}):
 * <pre>
 * actor.base_network.{2i}.weight      [out_i, in_i]   TanhGaussianPolicy.base_network, output [mean(A), log_std(A)]
 * actor.base_network.{2i}.bias        [out_i]
 * actor.log_std_multiplier.constant   []              Scalar
 * actor.log_std_offset.constant       []              Scalar
 * critic{k}.network.{2i}.weight       [out_i, in_i]   FullyConnectedQFunction k = 1..K, input [obs, action]
 * critic{k}.network.{2i}.bias         [out_i]
 * critic{k}_target.network.{2i}.*                     target_critic_k
 * sac_log_alpha.constant              []              log α (only with automatic entropy tuning, as in CORL)
 * cql_log_alpha.constant              []              log α′
 * obs_mean, obs_std                   [obsDim]        calql's observation normaliser (absent when identity)
 * __metadata__ {"format": "calql-corl-1", "maxAction": "1.0", "actionLow": "[..]", "actionHigh": "[..]"}
 * </pre>
 * Weights are row-major {@code [out, in]}, PyTorch's {@code Linear} layout. {@code actionLow}/{@code actionHigh}
 * (JSON arrays) appear only when the environment's box, given in {@link ExportOptions}, differs from
 * {@code [−maxAction, maxAction]}. An import also accepts the trainer's attribute names ({@code critic_1.},
 * {@code target_critic_1.}, {@code log_alpha.}, {@code log_alpha_prime.}) and scalars of shape {@code [1]}.
 * Load a file in PyTorch with {@code safetensors.torch.load_file} and split the keys at the first {@code "."}
 * (see {@code make_corl_files.py} beside the tests).
 *
 * <p><b>What an import checks</b>, each as an {@link IOException} naming the file and the key: every key the
 * config needs is present and no other is; each shape equals the config's (both shapes named); scalars are
 * finite; {@code obs_mean} and {@code obs_std} come together and {@code obs_std > 0}; the metadata
 * {@code maxAction} (when present) equals the config's; plus every rule of {@link Safetensors#read}. Only the
 * tanh-Gaussian policy and plain ReLU networks without LayerNorm have CORL counterparts; others are refused.
 */
public final class CorlWeights {
    /** The {@code __metadata__} value of {@code format}. */
    public static final String FORMAT = "calql-corl-1";
    /** Metadata key of the action scale. */
    public static final String MAX_ACTION = "maxAction";
    /** Metadata key of the box's lower bounds (a JSON array). */
    public static final String ACTION_LOW = "actionLow";
    /** Metadata key of the box's upper bounds (a JSON array). */
    public static final String ACTION_HIGH = "actionHigh";
    /** Tensor of the normaliser's means. */
    public static final String OBS_MEAN = "obs_mean";
    /** Tensor of the normaliser's standard deviations. */
    public static final String OBS_STD = "obs_std";
    /** log α. */
    public static final String LOG_ALPHA = "sac_log_alpha.constant";
    /** log α′. */
    public static final String LOG_ALPHA_PRIME = "cql_log_alpha.constant";
    /** The actor's log-std multiplier. */
    public static final String LOG_STD_MULTIPLIER = "actor.log_std_multiplier.constant";
    /** The actor's log-std offset. */
    public static final String LOG_STD_OFFSET = "actor.log_std_offset.constant";

    private static final String ACTOR_NET = "actor.base_network.";
    private static final Pattern[] ALIASES = {
        Pattern.compile("^critic_(\\d+)\\.(.*)$"), Pattern.compile("^target_critic_(\\d+)\\.(.*)$"),
        Pattern.compile("^log_alpha\\.(.*)$"), Pattern.compile("^log_alpha_prime\\.(.*)$")};

    private CorlWeights() {
    }

    /** The prefix of critic {@code k} (0-based): {@code critic{k+1}.network.}. */
    static String criticPrefix(int k) {
        return "critic" + (k + 1) + ".network.";
    }

    /** The prefix of target {@code k} (0-based): {@code critic{k+1}_target.network.}. */
    static String targetPrefix(int k) {
        return "critic" + (k + 1) + "_target.network.";
    }

    // ---------------------------------------------------------------- export

    /**
     * The agent's tensors under the key layout of the class comment, in that order.
     *
     * @throws IllegalArgumentException if the agent's policy or networks have no CORL counterpart
     */
    public static Map<String, TensorData> tensors(Agent agent) {
        CalQlConfig config = agent.config();
        TanhGaussianPolicy policy = tanhGaussian(agent);
        NetworkSpec policySpec = policy.network().spec();
        NetworkSpec criticSpec = agent.critics().spec();
        checkPlain("policy", policySpec);
        checkPlain("critic", criticSpec);
        ModelParameters p = agent.exportParameters();
        Map<String, TensorData> t = new LinkedHashMap<>();
        putNetwork(t, ACTOR_NET, policySpec, p.policy());
        int n = 2 * policySpec.layerCount();
        t.put(LOG_STD_MULTIPLIER, TensorData.scalar(p.policy()[n][0]));
        t.put(LOG_STD_OFFSET, TensorData.scalar(p.policy()[n + 1][0]));
        for (int k = 0; k < p.critics().length; k++) {
            putNetwork(t, criticPrefix(k), criticSpec, p.critics()[k]);
        }
        for (int k = 0; k < p.targetCritics().length; k++) {
            putNetwork(t, targetPrefix(k), criticSpec, p.targetCritics()[k]);
        }
        if (config.autoEntropy()) {
            t.put(LOG_ALPHA, TensorData.scalar(p.logAlpha()));
        }
        t.put(LOG_ALPHA_PRIME, TensorData.scalar(p.logAlphaPrime()));
        ObservationNormalizer normalizer = agent.normalizer();
        if (!normalizer.isIdentity()) {
            t.put(OBS_MEAN, TensorData.vector(normalizer.mean()));
            t.put(OBS_STD, TensorData.vector(normalizer.std()));
        }
        return t;
    }

    /**
     * The {@code __metadata__} strings: {@code format}, {@code maxAction}, and the box when it differs from
     * {@code [−maxAction, maxAction]}.
     *
     * @throws IllegalArgumentException if the box's width is not the action's
     */
    public static Map<String, String> metadata(Agent agent, ExportOptions options) {
        double maxAction = agent.config().maxAction();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put(MAX_ACTION, Double.toString(maxAction));
        double[] low = options.actionLow();
        double[] high = options.actionHigh();
        if (low != null) {
            int a = agent.config().actionDim();
            if (low.length != a) {
                throw new IllegalArgumentException("action box has width " + low.length + ", the agent's actions "
                        + a);
            }
            boolean symmetric = true;
            for (int i = 0; i < a; i++) {
                symmetric &= low[i] == -maxAction && high[i] == maxAction;
            }
            if (!symmetric) {
                m.put(ACTION_LOW, jsonArray(low));
                m.put(ACTION_HIGH, jsonArray(high));
            }
        }
        return m;
    }

    /** Writes the agent's weights as safetensors (see the class comment). */
    public static void exportSafetensors(Agent agent, Path file, ExportOptions options) throws IOException {
        Safetensors.write(file, tensors(agent), metadata(agent, options), options.dtype());
    }

    /**
     * Writes the agent's weights as an NPZ archive with the same key names ({@code name.npy} each); NPZ has no
     * metadata, so the action scaling is not in it.
     */
    public static void exportNpz(Agent agent, Path file, ExportOptions options) throws IOException {
        Npz.write(file, tensors(agent), options.dtype());
    }

    private static void putNetwork(Map<String, TensorData> t, String prefix, NetworkSpec spec, double[][] params) {
        for (int i = 0; i < spec.layerCount(); i++) {
            int out = spec.layerOutput(i);
            int in = spec.layerInput(i);
            t.put(prefix + (2 * i) + ".weight", new TensorData(new int[] {out, in},
                    params[spec.weightArray(i)].clone()));
            t.put(prefix + (2 * i) + ".bias", new TensorData(new int[] {out}, params[spec.biasArray(i)].clone()));
        }
    }

    private static TanhGaussianPolicy tanhGaussian(Agent agent) {
        if (!(agent.trainedPolicy() instanceof TanhGaussianPolicy p)) {
            throw new IllegalArgumentException("only the tanh-Gaussian policy has a CORL counterpart, found "
                    + agent.trainedPolicy().getClass().getName());
        }
        return p;
    }

    private static void checkPlain(String what, NetworkSpec spec) {
        if (!spec.isPlainRelu()) {
            throw new IllegalArgumentException(what + " network " + spec + " has no CORL counterpart: CORL's are "
                    + "ReLU MLPs without LayerNorm");
        }
    }

    // ---------------------------------------------------------------- import

    /**
     * An agent built from {@code config} whose actor, critics, targets, α, α′ and normaliser are the file's.
     * Optimizer states start fresh (CORL's are not in the file); the step count is 0.
     *
     * @throws IOException              if the file breaks a rule of the class comment (naming file and key)
     * @throws IllegalArgumentException if the config's policy or networks have no CORL counterpart
     */
    public static Agent importSafetensors(Path file, CalQlConfig config, Backend backend) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        return importTensors(file.toString(), f.tensors(), f.metadata(), config, backend);
    }

    /**
     * As {@link #importSafetensors}, from one {@code module.state_dict()} file per module, as
     * {@code safetensors.torch.save_file(actor.state_dict(), path)} writes them: the actor's keys
     * ({@code base_network.0.weight}, …, {@code log_std_offset.constant}), each critic's ({@code network.0.weight},
     * …). α and α′ then take the config's initial values.
     *
     * @param targets the target critics' files, or {@code null} to start them as copies of the critics (as CORL
     *                does at construction)
     */
    public static Agent importModules(Path actor, List<Path> critics, List<Path> targets, CalQlConfig config,
                                      Backend backend) throws IOException {
        if (critics.size() != config.criticEnsembleSize()) {
            throw new IOException(critics.size() + " critic files given, the config has criticEnsembleSize "
                    + config.criticEnsembleSize());
        }
        if (targets != null && targets.size() != critics.size()) {
            throw new IOException(targets.size() + " target files given for " + critics.size() + " critics");
        }
        Map<String, TensorData> all = new LinkedHashMap<>();
        addModule(all, actor, "actor.");
        for (int k = 0; k < critics.size(); k++) {
            addModule(all, critics.get(k), "critic" + (k + 1) + ".");
            addModule(all, targets == null ? critics.get(k) : targets.get(k), "critic" + (k + 1) + "_target.");
        }
        CalQlConfig c = config;
        Map<String, TensorData> withScalars = new LinkedHashMap<>(all);
        if (c.autoEntropy()) {
            withScalars.put(LOG_ALPHA, TensorData.scalar(c.initLogAlpha()));
        }
        withScalars.put(LOG_ALPHA_PRIME, TensorData.scalar(c.initLogAlphaPrime()));
        return importTensors(actor + " and " + critics, withScalars, Map.of(), config, backend);
    }

    private static void addModule(Map<String, TensorData> all, Path file, String prefix) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        for (Map.Entry<String, TensorData> e : f.tensors().entrySet()) {
            all.put(prefix + e.getKey(), e.getValue());
        }
    }

    /**
     * The core of every import: named tensors (key layout of the class comment) and metadata into a new agent.
     *
     * @param source names the file(s) in messages
     */
    public static Agent importTensors(String source, Map<String, TensorData> tensors, Map<String, String> metadata,
                                      CalQlConfig config, Backend backend) throws IOException {
        Map<String, TensorData> t = canonical(source, tensors);
        Agent agent = Agent.create(config, backend);
        TanhGaussianPolicy policy = tanhGaussian(agent);
        NetworkSpec policySpec = policy.network().spec();
        NetworkSpec criticSpec = agent.critics().spec();
        checkPlain("policy", policySpec);
        checkPlain("critic", criticSpec);
        checkMaxAction(source, metadata, config.maxAction());
        actionBox(source, metadata, config.actionDim());

        TreeSet<String> unused = new TreeSet<>(t.keySet());
        ModelParameters current = agent.exportParameters();
        int n = 2 * policySpec.layerCount();
        double[][] policyParams = new double[n + 2][];
        takeNetwork(source, t, unused, ACTOR_NET, policySpec, policyParams);
        policyParams[n] = new double[] {scalar(source, t, unused, LOG_STD_MULTIPLIER, true, 0)};
        policyParams[n + 1] = new double[] {scalar(source, t, unused, LOG_STD_OFFSET, true, 0)};
        int count = config.criticEnsembleSize();
        double[][][] critics = new double[count][][];
        double[][][] targets = new double[count][][];
        for (int k = 0; k < count; k++) {
            critics[k] = new double[criticSpec.parameterArrayCount()][];
            targets[k] = new double[criticSpec.parameterArrayCount()][];
            takeNetwork(source, t, unused, criticPrefix(k), criticSpec, critics[k]);
            takeNetwork(source, t, unused, targetPrefix(k), criticSpec, targets[k]);
        }
        double logAlpha = scalar(source, t, unused, LOG_ALPHA, config.autoEntropy(), current.logAlpha());
        double logAlphaPrime = scalar(source, t, unused, LOG_ALPHA_PRIME, config.lagrange(), current.logAlphaPrime());
        ObservationNormalizer normalizer = normalizer(source, t, unused, config.observationDim());
        if (!unused.isEmpty()) {
            throw new IOException(source + ": key " + unused.first() + " is not part of this config's layout ("
                    + unused.size() + " unknown key(s): " + abbreviate(unused) + "); policyHidden "
                    + Arrays.toString(config.policyHidden()) + ", qHidden " + Arrays.toString(config.qHidden())
                    + ", criticEnsembleSize " + count);
        }
        try {
            agent.importParameters(new ModelParameters(critics, targets, policyParams, logAlpha, logAlphaPrime),
                    normalizer);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return agent;
    }

    /**
     * The architecture a file implies, for a config matching it: observation and action widths, the actor's and
     * critics' hidden widths, the number of critics, and {@code autoEntropy} (whether {@code sac_log_alpha} is
     * there), on top of {@code base}.
     *
     * @throws IOException if the actor's or the first critic's layers are missing or do not chain
     */
    public static CalQlConfig.Builder architecture(String source, Map<String, TensorData> tensors,
                                                   CalQlConfig.Builder base) throws IOException {
        Map<String, TensorData> t = canonical(source, tensors);
        int[] actor = widths(source, t, ACTOR_NET);
        int[] critic = widths(source, t, criticPrefix(0));
        int obs = actor[0];
        int out = actor[actor.length - 1];
        if (out % 2 != 0) {
            throw new IOException(source + ": key " + ACTOR_NET + (2 * (actor.length - 2)) + ".weight has "
                    + out + " outputs; a tanh-Gaussian actor has 2·actionDim");
        }
        int act = out / 2;
        if (critic[0] != obs + act || critic[critic.length - 1] != 1) {
            throw new IOException(source + ": key " + criticPrefix(0) + "0.weight has input " + critic[0]
                    + " and the critic output " + critic[critic.length - 1] + "; expected obsDim + actionDim = "
                    + (obs + act) + " and 1");
        }
        int count = 0;
        while (t.containsKey(criticPrefix(count) + "0.weight")) {
            count++;
        }
        return base.observationDim(obs).actionDim(act)
                .policyHidden(Arrays.copyOfRange(actor, 1, actor.length - 1))
                .qHidden(Arrays.copyOfRange(critic, 1, critic.length - 1)).criticEnsembleSize(count)
                .autoEntropy(t.containsKey(LOG_ALPHA));
    }

    /** The box in a file's metadata as {@code {low, high}}, or {@code null} when it holds none. */
    public static double[][] actionBox(String source, Map<String, String> metadata, int actionDim) throws IOException {
        String low = metadata.get(ACTION_LOW);
        String high = metadata.get(ACTION_HIGH);
        if (low == null && high == null) {
            return null;
        }
        if (low == null || high == null) {
            throw new IOException(source + ": metadata holds only one of " + ACTION_LOW + " and " + ACTION_HIGH);
        }
        double[] l = parseArray(source, ACTION_LOW, low, actionDim);
        double[] h = parseArray(source, ACTION_HIGH, high, actionDim);
        try {
            checkBox("metadata " + ACTION_LOW + "/" + ACTION_HIGH, l, h);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return new double[][] {l, h};
    }

    /** The metadata's {@code maxAction}, or {@code NaN} when absent. */
    public static double maxAction(String source, Map<String, String> metadata) throws IOException {
        String v = metadata.get(MAX_ACTION);
        if (v == null) {
            return Double.NaN;
        }
        double m;
        try {
            m = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IOException(source + ": metadata " + MAX_ACTION + " = \"" + v + "\" is not a number");
        }
        if (!(m > 0) || Double.isInfinite(m)) {
            throw new IOException(source + ": metadata " + MAX_ACTION + " = " + v + " must be positive and finite");
        }
        return m;
    }

    private static void checkMaxAction(String source, Map<String, String> metadata, double configured)
            throws IOException {
        double m = maxAction(source, metadata);
        if (!Double.isNaN(m) && m != configured) {
            throw new IOException(source + ": metadata " + MAX_ACTION + " = " + m + ", the config has maxAction "
                    + configured + "; they must agree");
        }
    }

    static void checkBox(String what, double[] low, double[] high) {
        if (low.length == 0 || low.length != high.length) {
            throw new IllegalArgumentException(what + " must have the same positive length, found " + low.length
                    + " and " + high.length);
        }
        for (int i = 0; i < low.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || !(low[i] < high[i])) {
                throw new IllegalArgumentException(what + " [" + i + "] must be finite with low < high, found "
                        + low[i] + " and " + high[i]);
            }
        }
    }

    private static double[] parseArray(String source, String key, String text, int width) throws IOException {
        String s = text.trim();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IOException(source + ": metadata " + key + " = " + text + " is not a JSON array");
        }
        String body = s.substring(1, s.length() - 1).trim();
        String[] parts = body.isEmpty() ? new String[0] : body.split(",");
        if (parts.length != width) {
            throw new IOException(source + ": metadata " + key + " holds " + parts.length + " values, the actions "
                    + "have " + width);
        }
        double[] v = new double[width];
        for (int i = 0; i < width; i++) {
            String p = parts[i].trim();
            try {
                if (!p.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                    throw new NumberFormatException(p);
                }
                v[i] = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw new IOException(source + ": metadata " + key + " [" + i + "] = \"" + p + "\" is not a JSON "
                        + "number");
            }
        }
        return v;
    }

    private static String jsonArray(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%s", v[i]).replace('E', 'e'));
        }
        return b.append(']').toString();
    }

    /** The file's keys with the trainer's attribute-name aliases renamed to the layout's names. */
    private static Map<String, TensorData> canonical(String source, Map<String, TensorData> tensors)
            throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String key = canonicalKey(e.getKey());
            String before = from.put(key, e.getKey());
            if (before != null) {
                throw new IOException(source + ": keys " + before + " and " + e.getKey() + " both name " + key);
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    static String canonicalKey(String key) {
        Matcher m;
        if ((m = ALIASES[0].matcher(key)).matches()) {
            return "critic" + m.group(1) + "." + m.group(2);
        }
        if ((m = ALIASES[1].matcher(key)).matches()) {
            return "critic" + m.group(1) + "_target." + m.group(2);
        }
        if ((m = ALIASES[2].matcher(key)).matches()) {
            return "sac_log_alpha." + m.group(1);
        }
        if ((m = ALIASES[3].matcher(key)).matches()) {
            return "cql_log_alpha." + m.group(1);
        }
        return key;
    }

    private static void takeNetwork(String source, Map<String, TensorData> t, TreeSet<String> unused, String prefix,
                                    NetworkSpec spec, double[][] into) throws IOException {
        for (int i = 0; i < spec.layerCount(); i++) {
            into[spec.weightArray(i)] = take(source, t, unused, prefix + (2 * i) + ".weight",
                    new int[] {spec.layerOutput(i), spec.layerInput(i)});
            into[spec.biasArray(i)] = take(source, t, unused, prefix + (2 * i) + ".bias",
                    new int[] {spec.layerOutput(i)});
        }
    }

    private static double[] take(String source, Map<String, TensorData> t, TreeSet<String> unused, String key,
                                 int[] shape) throws IOException {
        TensorData d = t.get(key);
        if (d == null) {
            throw new IOException(source + ": missing key " + key + " (shape " + Arrays.toString(shape)
                    + " expected by the config)");
        }
        if (!Arrays.equals(d.shape(), shape)) {
            throw new IOException(source + ": key " + key + " has shape " + d.shapeString() + ", the config expects "
                    + Arrays.toString(shape));
        }
        unused.remove(key);
        return d.values().clone();
    }

    private static double scalar(String source, Map<String, TensorData> t, TreeSet<String> unused, String key,
                                 boolean required, double fallback) throws IOException {
        TensorData d = t.get(key);
        if (d == null) {
            if (required) {
                throw new IOException(source + ": missing key " + key + " (a scalar the config needs)");
            }
            return fallback;
        }
        int[] s = d.shape();
        if (!(s.length == 0 || (s.length == 1 && s[0] == 1))) {
            throw new IOException(source + ": key " + key + " has shape " + d.shapeString() + ", a scalar needs [] "
                    + "or [1]");
        }
        double v = d.values()[0];
        if (!Double.isFinite(v)) {
            throw new IOException(source + ": key " + key + " = " + v + " must be finite");
        }
        unused.remove(key);
        return v;
    }

    private static ObservationNormalizer normalizer(String source, Map<String, TensorData> t, TreeSet<String> unused,
                                                    int obs) throws IOException {
        boolean hasMean = t.containsKey(OBS_MEAN);
        boolean hasStd = t.containsKey(OBS_STD);
        if (!hasMean && !hasStd) {
            return ObservationNormalizer.identity(obs);
        }
        if (!hasMean || !hasStd) {
            throw new IOException(source + ": missing key " + (hasMean ? OBS_STD : OBS_MEAN) + " ("
                    + OBS_MEAN + " and " + OBS_STD + " come together)");
        }
        double[] mean = take(source, t, unused, OBS_MEAN, new int[] {obs});
        double[] std = take(source, t, unused, OBS_STD, new int[] {obs});
        for (int j = 0; j < obs; j++) {
            if (!(std[j] > 0)) {
                throw new IOException(source + ": key " + OBS_STD + " [" + j + "] = " + std[j] + " must be positive");
            }
        }
        return ObservationNormalizer.of(mean, std);
    }

    private static int[] widths(String source, Map<String, TensorData> t, String prefix) throws IOException {
        List<Integer> w = new ArrayList<>();
        for (int i = 0; t.containsKey(prefix + (2 * i) + ".weight"); i++) {
            int[] s = t.get(prefix + (2 * i) + ".weight").shape();
            if (s.length != 2) {
                throw new IOException(source + ": key " + prefix + (2 * i) + ".weight has shape "
                        + Arrays.toString(s) + ", a weight needs [out, in]");
            }
            if (i == 0) {
                w.add(s[1]);
            } else if (s[1] != w.get(w.size() - 1)) {
                throw new IOException(source + ": key " + prefix + (2 * i) + ".weight has input " + s[1]
                        + ", the layer before outputs " + w.get(w.size() - 1));
            }
            w.add(s[0]);
        }
        if (w.isEmpty()) {
            throw new IOException(source + ": missing key " + prefix + "0.weight");
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String abbreviate(TreeSet<String> keys) {
        List<String> l = new ArrayList<>(keys);
        return l.size() <= 5 ? l.toString() : l.subList(0, 5) + " …";
    }
}
