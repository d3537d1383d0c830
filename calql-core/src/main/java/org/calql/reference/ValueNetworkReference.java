package org.calql.reference;

import org.calql.data.ObservationNormalizer;
import org.calql.data.TransitionBatch;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;

/**
 * {@code V_ref(s)} from a fitted state-value network {@code observationDim → hidden → 1}: the result of
 * {@link FittedValue} (the paper's neural reference on Monte-Carlo returns), of {@link FittedQEvaluation#reference}
 * (μ's value by FQE) and of {@link RolloutEstimator#reference}. Its output is in {@link CriticUnits}: the units the
 * critic learns. It reads the batch's observations, which are normalised by the agent's normaliser, the one
 * {@link #normalizer()} holds (the estimator fitted it on that normaliser's outputs); the agent checks they agree
 * when it is given this reference, and saves it in its checkpoint's {@code reference} section, so a loaded agent
 * calibrates against it with nothing to re-inject.
 *
 * <p>One batch forward per update ({@link #compute}); not thread-safe.
 */
public final class ValueNetworkReference implements ReferenceValues {
    private final String name;
    private final NetworkSpec spec;
    private final ObservationNormalizer normalizer;
    private final Network network;
    private Workspace workspace;
    private int workspaceRows;
    private double[] single;

    private ValueNetworkReference(String name, NetworkSpec spec, double[][] parameters,
                                  ObservationNormalizer normalizer, Backend backend) {
        this.name = name;
        this.spec = spec;
        this.normalizer = normalizer;
        this.network = backend.createNetwork(spec);
        network.importParameters(parameters);
    }

    /**
     * A reference from a value network's parameters (as {@link #parameters()} exports them), e.g. read from a
     * checkpoint.
     *
     * @param name       what the reference is, e.g. {@code "fqe"}, {@code "fitted-mc"} (non-empty)
     * @param spec       the network: input {@code observationDim}, output 1
     * @param parameters in the spec's layout, finite
     * @param normalizer the normaliser of the observations the network reads
     * @throws IllegalArgumentException if a field is missing, the spec is not {@code observationDim → 1}, the layout
     *                                  does not fit or a value is not finite
     */
    public static ValueNetworkReference of(String name, NetworkSpec spec, double[][] parameters,
                                           ObservationNormalizer normalizer, Backend backend) {
        if (name == null || name.isEmpty() || spec == null || normalizer == null || backend == null) {
            throw new IllegalArgumentException("name, spec, normalizer and backend must be given");
        }
        if (spec.outputDim() != 1 || spec.inputDim() != normalizer.observationDim()) {
            throw new IllegalArgumentException("a value network must map observationDim = "
                    + normalizer.observationDim() + " to 1, found " + spec);
        }
        spec.checkParameterLayout(parameters);
        for (int i = 0; i < parameters.length; i++) {
            for (double v : parameters[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("value network " + spec.parameterArrayName(i)
                            + " must be finite, found " + v);
                }
            }
        }
        return new ValueNetworkReference(name, spec, parameters, normalizer, backend);
    }

    /** What the reference is ({@code "fqe"}, {@code "fitted-mc"}, {@code "rollouts"} or the user's name). */
    public String name() {
        return name;
    }

    /** The network's shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /** A copy of the parameters, in the spec's layout. */
    public double[][] parameters() {
        return network.exportParameters();
    }

    /** The normaliser of the observations the network reads. */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    /** Writes {@code V_ref(s_i)} for the batch's (normalised) observations. */
    @Override
    public void compute(TransitionBatch batch, double[] out) {
        evaluate(batch.observations(), batch.size(), out);
    }

    /** {@code V_ref(s)} of one raw observation, in critic units. */
    public double value(double[] rawObservation) {
        if (rawObservation == null || rawObservation.length != spec.inputDim()) {
            throw new IllegalArgumentException("observation must have length " + spec.inputDim() + ", found "
                    + (rawObservation == null ? "null" : rawObservation.length));
        }
        double[] s = rawObservation.clone();
        normalizer.normalizeInPlace(s);
        if (single == null) {
            single = new double[1];
        }
        evaluate(s, 1, single);
        return single[0];
    }

    /** Values of {@code rows} normalised observations into {@code out}. */
    void evaluate(double[] normalizedObservations, int rows, double[] out) {
        if (rows > Chunks.ROWS) {
            Chunks.forward(network, normalizedObservations, rows, out);
            return;
        }
        if (workspace == null || workspaceRows < rows) {
            workspaceRows = Math.max(rows, 256);
            workspace = network.newWorkspace(workspaceRows);
        }
        network.forward(workspace, normalizedObservations, rows, out);
    }

    Network network() {
        return network;
    }

    @Override
    public String toString() {
        return name;
    }
}
