package org.calql.agent;

import org.calql.data.ObservationNormalizer;
import org.calql.policy.PolicyPass;
import org.calql.policy.Policy;

/**
 * The deterministic action of an agent's {@link Policy} for a raw observation ({@code Policy.deterministicActions}
 * after the saved normaliser; for the tanh-Gaussian policy {@code a = maxAction·tanh(mean(normalise(s)))}), for
 * deployment. Thread-safe:
 * each calling thread gets its own buffers; the observation normaliser saved with the agent is applied
 * here exactly as in training. Training concurrently with acting is not supported.
 *
 * <p><b>Serving.</b> This policy runs on the agent's training backend and follows its training. On ND4J one
 * observation pays the backend's per-call overhead (about 145 µs against about 5 µs on the plain-Java host path,
 * measured for issue 15). To serve, take a host snapshot instead: {@code org.calql.serving.ServedPolicy.of(agent)}
 * (plain Java whatever the backend, the same actions within float rounding, bit for bit when the agent trains on the
 * plain-Java backend), or write it with {@code PolicyArtifact.write(agent, path)} and load it elsewhere with
 * {@code ServedPolicy.load(path)}. Take a new snapshot after further training.
 */
public final class InferencePolicy {
    private final Policy policy;
    private volatile ObservationNormalizer normalizer;
    private final ThreadLocal<Buffers> buffers;

    InferencePolicy(Policy policy, ObservationNormalizer normalizer) {
        this.policy = policy;
        this.normalizer = normalizer;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(policy));
    }

    void setNormalizer(ObservationNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** Width of an observation. */
    public int observationDim() {
        return policy.observationDim();
    }

    /** Width of an action. */
    public int actionDim() {
        return policy.actionDim();
    }

    /** Actions lie in {@code [−maxAction, maxAction]}. */
    public double maxAction() {
        return policy.maxAction();
    }

    /**
     * The deterministic action for a raw (unnormalised) observation.
     *
     * @throws IllegalArgumentException if the observation has the wrong length or a non-finite value
     */
    public double[] act(double[] observation) {
        return act(observation, new double[policy.actionDim()]);
    }

    /** As {@link #act(double[])}, into {@code out}; returns {@code out}. */
    public double[] act(double[] observation, double[] out) {
        check(observation);
        if (out == null || out.length != policy.actionDim()) {
            throw new IllegalArgumentException("out must have length " + policy.actionDim() + ", found "
                    + (out == null ? "null" : out.length));
        }
        Buffers b = buffers.get();
        System.arraycopy(observation, 0, b.observation, 0, observation.length);
        normalizer.normalizeInPlace(b.observation);
        policy.forward(b.pass, b.observation, 1);
        policy.deterministicActions(b.pass, out);
        return out;
    }

    /** As {@link #act(double[])} for a float observation. */
    public double[] act(float[] observation) {
        if (observation == null) {
            throw new IllegalArgumentException("observation must not be null");
        }
        double[] d = new double[observation.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = observation[i];
        }
        return act(d);
    }

    private void check(double[] observation) {
        if (observation == null) {
            throw new IllegalArgumentException("observation must not be null");
        }
        if (observation.length != policy.observationDim()) {
            throw new IllegalArgumentException("observation must have length " + policy.observationDim()
                    + ", found " + observation.length);
        }
        for (int i = 0; i < observation.length; i++) {
            if (!Double.isFinite(observation[i])) {
                throw new IllegalArgumentException("observation[" + i + "] must be finite, found " + observation[i]);
            }
        }
    }

    private static final class Buffers {
        final PolicyPass pass;
        final double[] observation;

        Buffers(Policy policy) {
            pass = policy.newPass(1);
            observation = new double[policy.observationDim()];
        }
    }
}
