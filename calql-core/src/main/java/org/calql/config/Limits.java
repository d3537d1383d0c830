package org.calql.config;

import java.util.Locale;

/**
 * The bounds that {@link CalQlConfig}, {@link org.calql.discrete.DiscreteConfig} and
 * {@link org.calql.train.TrainingConfig} enforce beyond each field's own rule, so that a config that builds also
 * runs: its arrays fit Java arrays, its networks and buffers fit a documented ceiling (and, at agent creation, the
 * heap), and its numbers stay in ranges where update 1 is finite. Every bound is far above any published setting.
 *
 * <table>
 *   <caption>Bounds</caption>
 *   <tr><th>bound</th><th>value</th><th>why</th></tr>
 *   <tr><td>{@link #MAX_ARRAY_LENGTH}</td><td>2<sup>31</sup> − 9</td>
 *       <td>the longest Java array; every buffer size (rows × width) must fit, or the config names the field</td></tr>
 *   <tr><td>{@link #MAX_FOOTPRINT_BYTES}</td><td>32 GiB</td>
 *       <td>fixed ceiling of an agent's estimated networks and update buffers, checked in {@code build()}: it does
 *       not depend on the machine, so a config that builds here builds everywhere; the heap is checked when an
 *       agent is created ({@link CalQlConfig#requireFitsHeap}), where the heap that matters is known</td></tr>
 *   <tr><td>{@link #MAX_ENSEMBLE}</td><td>64</td><td>critics K (REDQ uses 10, EDAC at most 50)</td></tr>
 *   <tr><td>{@link #MAX_HIDDEN_LAYERS}</td><td>64</td><td>hidden layers of a critic or policy</td></tr>
 *   <tr><td>{@link #MAX_ACTION_SCALE}</td><td>10<sup>6</sup></td><td>{@code maxAction}</td></tr>
 *   <tr><td>{@link #MAX_LEARNING_RATE}</td><td>1</td><td>Adam moves each parameter by about lr per step; the
 *       references use 1e-4 to 3e-4</td></tr>
 *   <tr><td>{@link #MAX_LOG_MULTIPLIER}</td><td>20</td><td>|{@code initLogAlpha}|, |{@code initLogAlphaPrime}|:
 *       {@code exp(20)} ≈ 4.9e8 is a temperature no loss survives, and {@code exp} must not overflow</td></tr>
 *   <tr><td>{@link #MAX_LOG_STD_PARAMETER}</td><td>100</td><td>|{@code logStdMultiplier}|, |{@code logStdOffset}|:
 *       the log-std is clamped to [−20, 2], so larger values only freeze it</td></tr>
 *   <tr><td>{@link #MAX_WEIGHT}</td><td>10<sup>6</sup></td><td>{@code cqlAlpha}, {@code alphaMultiplier},
 *       {@code onlineCqlAlpha} (the references use 0.1 to 10)</td></tr>
 *   <tr><td>{@link #MAX_TARGET_MAGNITUDE}</td><td>10<sup>9</sup></td><td>|{@code targetEntropy}|,
 *       |{@code targetActionGap}|</td></tr>
 *   <tr><td>{@link #MAX_REWARD_MAGNITUDE}</td><td>10<sup>6</sup></td><td>|{@code rewardScale}|, |{@code rewardBias}|,
 *       |{@code sparseFailureReward}|</td></tr>
 *   <tr><td>{@link #MAX_UPDATES_PER_STEP}</td><td>1000</td><td>UTD ratio (RLPD and REDQ use 20)</td></tr>
 *   <tr><td>{@link #MAX_REPLAY_CAPACITY}</td><td>10<sup>8</sup></td><td>replay transitions; at agent creation its
 *       columns must also fit Java arrays and the heap</td></tr>
 * </table>
 *
 * <p>The footprint is an estimate from above of what the Java backend allocates: each network's parameters, their
 * transposed copy, gradients and two Adam moments (and, for critics, a target network with its copy), each
 * critic's workspaces for the update's {@code B}, stacked {@code B·(1 + 3N)} and target {@code B·T} rows
 * ({@code T = N} with {@code maxTargetBackup}, else 1), the policy's passes and samples and the update's own
 * arrays, and with {@code ORTHOGONAL} initialisation the transient QR factors of the widest layer
 * ({@link #orthogonalPeak}; a layer of width 100,000 alone needs 75 GiB there). A custom policy is not counted.
 */
public final class Limits {
    /** The longest Java array. */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Ceiling of an agent's estimated footprint that {@code build()} enforces: 32 GiB. */
    public static final long MAX_FOOTPRINT_BYTES = 32L << 30;
    /** Most critics in an ensemble. */
    public static final int MAX_ENSEMBLE = 64;
    /** Most hidden layers of a network. */
    public static final int MAX_HIDDEN_LAYERS = 64;
    /** Largest {@code maxAction}. */
    public static final double MAX_ACTION_SCALE = 1e6;
    /** Largest learning rate. */
    public static final double MAX_LEARNING_RATE = 1.0;
    /** Largest magnitude of an initial log-multiplier ({@code initLogAlpha}, {@code initLogAlphaPrime}). */
    public static final double MAX_LOG_MULTIPLIER = 20.0;
    /** Largest magnitude of the default policy's initial log-std multiplier and offset. */
    public static final double MAX_LOG_STD_PARAMETER = 100.0;
    /** Largest loss weight ({@code cqlAlpha}, {@code alphaMultiplier}, {@code onlineCqlAlpha}). */
    public static final double MAX_WEIGHT = 1e6;
    /** Largest magnitude of a target ({@code targetEntropy}, {@code targetActionGap}). */
    public static final double MAX_TARGET_MAGNITUDE = 1e9;
    /** Largest magnitude of a reward transform's scale, bias or sparse failure reward. */
    public static final double MAX_REWARD_MAGNITUDE = 1e6;
    /** Largest UTD ratio. */
    public static final int MAX_UPDATES_PER_STEP = 1000;
    /** Largest replay capacity. */
    public static final int MAX_REPLAY_CAPACITY = 100_000_000;

    private Limits() {
    }

    /**
     * Checks that an array of {@code length} elements can exist.
     *
     * @param fields what sets the length, named for the message (e.g. {@code "cqlNActions = 5 and batchSize = 3"})
     * @param what   the array and its formula
     * @throws IllegalArgumentException naming the fields, the length and the rule
     */
    public static void requireArray(String fields, double length, String what) {
        if (length > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(fields + " is too large: " + what + " = " + count(length)
                    + " values, more than a Java array holds (" + MAX_ARRAY_LENGTH + ")");
        }
    }

    /**
     * Checks an estimated footprint against {@link #MAX_FOOTPRINT_BYTES}.
     *
     * @param fields the fields that drive the size, named for the message
     * @throws IllegalArgumentException naming the fields, the estimate and the ceiling
     */
    public static void requireCeiling(String fields, double bytes) {
        if (bytes > MAX_FOOTPRINT_BYTES) {
            throw new IllegalArgumentException(fields + " are too large: the agent's networks and update buffers"
                    + " would take about " + gib(bytes) + ", more than the ceiling of " + gib(MAX_FOOTPRINT_BYTES)
                    + " (Limits.MAX_FOOTPRINT_BYTES)");
        }
    }

    /**
     * Checks an estimated footprint against a heap of {@code heapBytes} ({@code Runtime.maxMemory()}).
     *
     * @param fields the fields that drive the size, named for the message
     * @throws IllegalArgumentException naming the fields, the estimate and the heap
     */
    public static void requireHeap(String fields, double bytes, long heapBytes) {
        if (bytes > heapBytes) {
            throw new IllegalArgumentException(fields + " are too large for this JVM: the agent would allocate"
                    + " about " + gib(bytes) + ", more than the heap's maximum of " + gib(heapBytes)
                    + " (raise -Xmx or lower them)");
        }
    }

    /** Parameters of a dense network {@code in → hidden… → out} (LayerNorm adds a gain and a shift per unit). */
    public static double denseParameters(int in, int[] hidden, int out, boolean layerNorm) {
        double p = 0;
        double prev = in;
        for (int h : hidden) {
            p += (prev + 1) * h + (layerNorm ? 2.0 * h : 0);
            prev = h;
        }
        return p + (prev + 1) * out;
    }

    /**
     * Values the orthogonal initialisation holds at once for the largest layer of {@code in → hidden… → out}: its
     * QR decomposition builds the full {@code m × m} factor Q of an {@code m × n} Gaussian matrix
     * ({@code m = max(in, out)}, {@code n = min(in, out)} of the layer), so one wide layer costs {@code m²}.
     */
    public static double orthogonalPeak(int in, int[] hidden, int out) {
        double peak = 0;
        double prev = in;
        for (int i = 0; i <= hidden.length; i++) {
            double next = i < hidden.length ? hidden[i] : out;
            double m = Math.max(prev, next);
            double n = Math.min(prev, next);
            peak = Math.max(peak, m * m + 3 * m * n);
            prev = next;
        }
        return peak;
    }

    /**
     * Checks the transient peak of the orthogonal initialisation ({@link #orthogonalPeak}) against
     * {@link #MAX_FOOTPRINT_BYTES}.
     *
     * @param name the network's widths field ({@code "qHidden"}, …), named with its widths in the message
     */
    public static void requireOrthogonalCeiling(String name, int[] hidden, double peakValues) {
        if (8 * peakValues > MAX_FOOTPRINT_BYTES) {
            throw new IllegalArgumentException(name + " = " + java.util.Arrays.toString(hidden) + " with"
                    + " initialization = ORTHOGONAL is too large: the QR decomposition of its widest layer would take"
                    + " about " + gib(8 * peakValues) + ", more than the ceiling of " + gib(MAX_FOOTPRINT_BYTES)
                    + " (Limits.MAX_FOOTPRINT_BYTES); use narrower layers or another initialization");
        }
    }

    /** Values of one dense network's workspace for {@code rows} rows (input, three buffers per layer, gradients). */
    public static double denseWorkspace(double rows, int in, int[] hidden, int out) {
        double sum = 0;
        int widest = out;
        for (int h : hidden) {
            sum += h;
            widest = Math.max(widest, h);
        }
        return rows * (in + 3 * sum + 2.0 * widest + hidden.length + out) + rows / 2 * hidden[0];
    }

    /**
     * Checks that every weight matrix and workspace array of a dense network fits a Java array.
     *
     * @param name the network's field for the message ({@code "qHidden"}, {@code "policyHidden"}, …)
     */
    public static void requireDenseArrays(String name, int in, String inName, int[] hidden, int out, String outName,
                                          double rows, String rowsName) {
        double prev = in;
        String prevName = inName;
        for (int i = 0; i < hidden.length; i++) {
            requireArray(name + "[" + i + "] = " + hidden[i] + " with " + prevName, prev * hidden[i],
                    "a weight matrix of " + count(prev) + " × " + hidden[i]);
            requireArray(name + "[" + i + "] = " + hidden[i] + " with " + rowsName, rows * hidden[i],
                    "the workspace's activations of " + count(rows) + " rows × " + hidden[i]);
            prev = hidden[i];
            prevName = name + "[" + i + "] = " + hidden[i];
        }
        requireArray(outName + " with " + prevName, prev * out, "the output matrix of " + count(prev) + " × " + out);
        requireArray(inName + " with " + rowsName, rows * in, "the workspace's input of " + count(rows) + " rows × "
                + in);
        requireArray(outName + " with " + rowsName, rows * out, "the output of " + count(rows) + " rows × " + out);
    }

    static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.3g GiB", bytes / (1L << 30));
    }

    static String count(double n) {
        return n < 1e15 ? String.format(Locale.ROOT, "%.0f", n) : String.format(Locale.ROOT, "%.3g", n);
    }
}
