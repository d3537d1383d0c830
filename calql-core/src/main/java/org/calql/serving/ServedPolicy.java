package org.calql.serving;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.agent.Agent;
import org.calql.data.ObservationNormalizer;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.policy.Policy;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.nn.JavaBackend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;

/**
 * The deterministic action of a trained tanh-Gaussian actor, for serving: {@code a = maxAction·tanh(mean(n(s)))}
 * with {@code n(s) = (s − mean)/std} the saved observation normaliser and {@code mean} the first {@code actionDim}
 * outputs of the actor network, then, when the policy knows the environment's action box, the affine map of
 * {@link ActionScaling#toEnvironment} into that box. It is what {@code agent.policy().act} computes followed by the
 * agent's action mapper, frozen: a snapshot of the parameters, independent of later training.
 *
 * <p><b>Host path.</b> The forward pass runs on the plain-Java backend's network ({@link JavaBackend}) in
 * {@code double}, whatever backend trained the agent, so one observation costs microseconds rather than the per-call
 * overhead of a native backend; on a policy trained on the Java backend the actions agree with
 * {@code agent.policy().act} to the bit, on a float32 backend (ND4J) within float rounding. Every layer a
 * {@link NetworkSpec} allows is supported. The host path is for small batches: it runs on the calling thread, so for
 * hundreds of rows at once a native backend's multi-threaded batched forward is faster (one full bench run,
 * 2026-12-01: 46 µs against 158 µs for one antmaze observation, 13.6 ms against 1.1 ms for 256; see calql-bench's
 * {@code ServingBenchmark} and RESULTS.md).
 *
 * <p><b>Loading.</b> {@link #load(Path)} reads a policy artifact ({@link PolicyArtifact}) with calql-core alone on
 * the class path: no trainer, no replay, no ND4J.
 *
 * <p><b>Threads.</b> Immutable and thread-safe; each calling thread gets its own buffers (grown once, for at most
 * {@value #CHUNK_ROWS} rows at a time), so an {@code act} into a caller's array allocates nothing once warm.
 */
public final class ServedPolicy {
    /** Rows a thread's buffers hold; larger batches are computed in chunks of this many rows. */
    public static final int CHUNK_ROWS = 64;

    private final NetworkSpec spec;
    private final double[][] parameters;
    private final int observationDim;
    private final int actionDim;
    private final double maxAction;
    private final ObservationNormalizer normalizer;
    private final ActionScaling scaling;
    private final Network network;
    private final ThreadLocal<Buffers> buffers;

    ServedPolicy(NetworkSpec spec, double[][] parameters, int actionDim, double maxAction,
                 ObservationNormalizer normalizer, BoxSpace box) {
        if (spec.outputDim() != 2 * actionDim) {
            throw new IllegalArgumentException("actor network must output 2·actionDim = " + 2 * actionDim
                    + " values ([mean, rawLogStd]), found outputDim " + spec.outputDim());
        }
        if (!(maxAction > 0) || Double.isInfinite(maxAction)) {
            throw new IllegalArgumentException("maxAction must be positive and finite, found " + maxAction);
        }
        spec.checkParameterLayout(parameters);
        for (int i = 0; i < parameters.length; i++) {
            double[] p = parameters[i];
            for (int j = 0; j < p.length; j++) {
                if (!Double.isFinite(p[j])) {
                    throw new IllegalArgumentException("actor parameter array " + i + " [" + j
                            + "] must be finite, found " + p[j]);
                }
            }
        }
        if (normalizer != null && normalizer.observationDim() != spec.inputDim()) {
            throw new IllegalArgumentException("normalizer has observationDim " + normalizer.observationDim()
                    + " but the actor takes " + spec.inputDim());
        }
        if (box != null && box.dim() != actionDim) {
            throw new IllegalArgumentException("action box has dim " + box.dim() + " but the policy has actionDim "
                    + actionDim);
        }
        this.spec = spec;
        this.parameters = copy(parameters);
        this.observationDim = spec.inputDim();
        this.actionDim = actionDim;
        this.maxAction = maxAction;
        this.normalizer = normalizer == null || normalizer.isIdentity()
                ? ObservationNormalizer.identity(observationDim) : normalizer;
        this.scaling = box == null ? null : new ActionScaling(box, maxAction);
        this.network = new JavaBackend().createNetwork(spec);
        this.network.importParameters(this.parameters);
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(network.newWorkspace(CHUNK_ROWS), observationDim,
                actionDim));
    }

    /**
     * A snapshot of an agent's deterministic policy, acting in the policy's range {@code [−maxAction, maxAction]}
     * (the agent does not know its environment's box; see {@link #of(Agent, BoxSpace)}).
     *
     * @throws IllegalArgumentException if the agent's policy is not a {@link TanhGaussianPolicy}
     */
    public static ServedPolicy of(Agent agent) {
        return of(agent, null);
    }

    /**
     * A snapshot of an agent's deterministic policy whose actions are mapped into {@code box} (the environment's
     * action space) as {@link Agent#actionMapper} maps them; {@code null} keeps the policy's range.
     *
     * @throws IllegalArgumentException if the agent's policy is not a {@link TanhGaussianPolicy} or the box's
     *                                  dimension is not the agent's {@code actionDim}
     */
    public static ServedPolicy of(Agent agent, BoxSpace box) {
        if (agent == null) {
            throw new IllegalArgumentException("agent must not be null");
        }
        return of(agent.trainedPolicy(), agent.normalizer(), box);
    }

    /**
     * A snapshot of a tanh-Gaussian policy with its observation normaliser ({@code null} for none) and the
     * environment's action box ({@code null} to act in {@code [−maxAction, maxAction]}).
     *
     * @throws IllegalArgumentException if {@code policy} is not a {@link TanhGaussianPolicy} (whose deterministic
     *                                  action this class knows), or a dimension disagrees
     */
    public static ServedPolicy of(Policy policy, ObservationNormalizer normalizer, BoxSpace box) {
        if (!(policy instanceof TanhGaussianPolicy)) {
            throw new IllegalArgumentException("a served policy needs a TanhGaussianPolicy (network output [mean, "
                    + "rawLogStd], action maxAction·tanh(mean)), found "
                    + (policy == null ? "null" : policy.getClass().getName()));
        }
        TanhGaussianPolicy tg = (TanhGaussianPolicy) policy;
        return new ServedPolicy(tg.network().spec(), tg.network().exportParameters(), tg.actionDim(),
                tg.maxAction(), normalizer, box);
    }

    /**
     * Loads a policy artifact written by {@link PolicyArtifact#write}; needs only calql-core.
     *
     * @throws IOException naming the file if it cannot be read, is not a calql policy, is of an unknown version,
     *                     fails its checksum or holds an invalid value
     */
    public static ServedPolicy load(Path file) throws IOException {
        return PolicyArtifact.read(file);
    }

    /**
     * This policy with its actions mapped into {@code box}, the environment's action space ({@code null}: the
     * policy's range {@code [−maxAction, maxAction]}).
     *
     * @throws IllegalArgumentException if the box's dimension is not {@code actionDim}
     */
    public ServedPolicy withActionBox(BoxSpace box) {
        return new ServedPolicy(spec, parameters, actionDim, maxAction, normalizer, box);
    }

    /** Writes this policy as an artifact (see {@link PolicyArtifact}), atomically. */
    public void save(Path file) throws IOException {
        PolicyArtifact.write(this, file);
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return actionDim;
    }

    /** The policy's action bound: before the box map, actions lie in {@code [−maxAction, maxAction]}. */
    public double maxAction() {
        return maxAction;
    }

    /** The actor network's shape (output {@code [mean, rawLogStd]}, {@code 2·actionDim} wide). */
    public NetworkSpec spec() {
        return spec;
    }

    /** A copy of the actor network's parameters in the spec's layout (see {@link NetworkSpec}). */
    public double[][] parameters() {
        return copy(parameters);
    }

    /** The observation normaliser ({@link ObservationNormalizer#isIdentity() identity} when there is none). */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    /** The environment's action box the actions are mapped into, or {@code null} for the policy's range. */
    public BoxSpace actionBox() {
        return scaling == null ? null : scaling.box();
    }

    /**
     * The action for one raw observation; allocates the result.
     *
     * @throws IllegalArgumentException if the observation has the wrong length or a non-finite value
     */
    public double[] act(double[] observation) {
        return act(observation, new double[actionDim]);
    }

    /**
     * The action for one raw observation into {@code out} ({@code actionDim} long); allocates nothing once warm.
     *
     * @return {@code out}
     * @throws IllegalArgumentException if an array has the wrong length or the observation a non-finite value
     */
    public double[] act(double[] observation, double[] out) {
        if (observation == null || observation.length != observationDim) {
            throw new IllegalArgumentException("observation must have length " + observationDim + ", found "
                    + (observation == null ? "null" : observation.length));
        }
        if (out == null || out.length != actionDim) {
            throw new IllegalArgumentException("out must have length " + actionDim + ", found "
                    + (out == null ? "null" : out.length));
        }
        return act(observation, 1, out);
    }

    /**
     * The actions for {@code rows} raw observations ({@code [rows, observationDim]}, row-major; the array may be
     * longer) into {@code out} ({@code [rows, actionDim]}); allocates nothing once warm. Batches larger than
     * {@value #CHUNK_ROWS} rows are computed in chunks; every row's result is the same as acting on it alone.
     *
     * @return {@code out}
     * @throws IllegalArgumentException if {@code rows} is negative, an array is too short, or an observation has a
     *                                  non-finite value (naming its row and column); {@code out} is untouched then
     */
    public double[] act(double[] observations, int rows, double[] out) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative, found " + rows);
        }
        if (observations == null || (long) rows * observationDim > observations.length) {
            throw new IllegalArgumentException("observations must hold rows x observationDim = " + rows + " x "
                    + observationDim + " values, found " + (observations == null ? "null" : observations.length));
        }
        if (out == null || (long) rows * actionDim > out.length) {
            throw new IllegalArgumentException("out must hold rows x actionDim = " + rows + " x " + actionDim
                    + " values, found " + (out == null ? "null" : out.length));
        }
        int n = rows * observationDim;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(observations[i])) {
                throw new IllegalArgumentException("observation row " + i / observationDim + " [" + i % observationDim
                        + "] must be finite, found " + observations[i]);
            }
        }
        Buffers b = buffers.get();
        int width = 2 * actionDim;
        for (int r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
            int chunk = Math.min(CHUNK_ROWS, rows - r0);
            System.arraycopy(observations, r0 * observationDim, b.input, 0, chunk * observationDim);
            normalizer.normalizeInPlace(b.input, 0, chunk);
            network.forward(b.workspace, b.input, chunk, b.output);
            int base = r0 * actionDim;
            double[] output = b.output; // per row [mean (A), rawLogStd (A)]
            if (scaling == null) {
                for (int r = 0; r < chunk; r++) {
                    for (int a = 0; a < actionDim; a++) {
                        out[base + r * actionDim + a] = maxAction * Math.tanh(output[r * width + a]);
                    }
                }
            } else {
                for (int r = 0; r < chunk; r++) {
                    for (int a = 0; a < actionDim; a++) {
                        b.policyAction[a] = maxAction * Math.tanh(output[r * width + a]);
                    }
                    scaling.toEnvironment(b.policyAction, b.environmentAction);
                    System.arraycopy(b.environmentAction, 0, out, base + r * actionDim, actionDim);
                }
            }
        }
        return out;
    }

    /** One thread's buffers: the plain-Java network's workspace and the chunk's rows. */
    private static final class Buffers {
        final Workspace workspace;
        final double[] input;
        final double[] output;
        final double[] policyAction;
        final double[] environmentAction;

        Buffers(Workspace workspace, int observationDim, int actionDim) {
            this.workspace = workspace;
            this.input = new double[CHUNK_ROWS * observationDim];
            this.output = new double[CHUNK_ROWS * 2 * actionDim];
            this.policyAction = new double[actionDim];
            this.environmentAction = new double[actionDim];
        }
    }

    private static double[][] copy(double[][] arrays) {
        double[][] c = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            c[i] = arrays[i].clone();
        }
        return c;
    }

    @Override
    public String toString() {
        return "ServedPolicy[observationDim=" + observationDim + ", actionDim=" + actionDim + ", maxAction="
                + maxAction + ", hidden=" + java.util.Arrays.toString(spec.hidden()) + ", activation="
                + spec.activation() + ", layerNorm=" + spec.layerNorm() + ", normalizer="
                + (normalizer.isIdentity() ? "none" : "mean/std") + ", box=" + (scaling == null ? "none"
                : scaling.box()) + "]";
    }
}
