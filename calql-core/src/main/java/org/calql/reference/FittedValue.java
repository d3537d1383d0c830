package org.calql.reference;

import java.util.SplittableRandom;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.TargetUpdate;
import org.calql.spi.Backend;
import org.calql.spi.Initialization;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;
import org.calql.train.EstimatorProgress;
import org.calql.train.TrainingListener;

/**
 * A state-value network fitted by regression, {@code min_θ mean_i (V_θ(s_i) − y_i)²} over dataset states
 * {@code s_i} (normalised by the data's normaliser) and targets {@code y_i} in {@link CriticUnits}, with Adam on
 * uniformly drawn batches. {@link #monteCarlo} regresses the Monte-Carlo returns-to-go: the Cal-QL paper's neural
 * reference, which generalises the Monte-Carlo mean to states the data visits rarely (at a state the data visits many
 * times its best fit is the mean of those returns). {@link FittedQEvaluation} and {@link RolloutEstimator} fit their
 * values with it too.
 */
public final class FittedValue {
    private FittedValue() {
    }

    /**
     * The network fitted to the data's Monte-Carlo returns-to-go (name {@code "fitted-mc"}).
     *
     * @param listener receives {@link EstimatorProgress} named {@code "fitted-value"} (may be null)
     */
    public static ValueNetworkReference monteCarlo(ReferenceData data, FitSettings settings, Backend backend,
                                                   TrainingListener listener) {
        return fit("fitted-mc", data, null, data.prepared().returnsToGo(), settings, backend, listener);
    }

    /**
     * A network fitted to {@code targets[i]} at the state of transition {@code transitions[i]} (all transitions in
     * order when {@code transitions} is null; then {@code targets} has one value per transition).
     *
     * @throws IllegalArgumentException if the arrays' lengths differ, an index is out of range, or a target is not
     *                                  finite
     */
    public static ValueNetworkReference fit(String name, ReferenceData data, int[] transitions, double[] targets,
                                            FitSettings settings, Backend backend, TrainingListener listener) {
        int n = transitions == null ? data.size() : transitions.length;
        if (targets == null || targets.length != n || n == 0) {
            throw new IllegalArgumentException("targets must hold one value per state (" + n + "), found "
                    + (targets == null ? "null" : targets.length));
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(targets[i])) {
                throw new IllegalArgumentException("targets[" + i + "] must be finite, found " + targets[i]);
            }
            if (transitions != null && (transitions[i] < 0 || transitions[i] >= data.size())) {
                throw new IllegalArgumentException("transitions[" + i + "] must be in [0, " + data.size()
                        + "), found " + transitions[i]);
            }
        }
        int w = data.observationDim();
        NetworkSpec spec = NetworkSpec.builder(w, 1).hidden(settings.hidden()).activation(settings.activation())
                .build();
        SplittableRandom random = new SplittableRandom(settings.seed());
        CriticEnsemble nets = new CriticEnsemble(backend, spec, 1, Initialization.PYTORCH_DEFAULT, random,
                new TargetUpdate(1.0, Integer.MAX_VALUE));
        Network net = nets.critic(0);
        int b = settings.batchSize();
        Workspace ws = net.newWorkspace(b);
        double[] x = new double[b * w];
        double[] y = new double[b];
        double[] v = new double[b];
        double[] grad = new double[b];
        double[] obs = data.normalizedObservations();
        TrainingListener l = listener == null ? TrainingListener.none() : listener;
        for (int step = 1; step <= settings.steps(); step++) {
            for (int r = 0; r < b; r++) {
                int i = random.nextInt(n);
                int t = transitions == null ? i : transitions[i];
                System.arraycopy(obs, t * w, x, r * w, w);
                y[r] = targets[i];
            }
            net.forward(ws, x, b, v);
            double loss = 0.0;
            for (int r = 0; r < b; r++) {
                double e = v[r] - y[r];
                loss += e * e;
                grad[r] = 2.0 * e / b;
            }
            loss /= b;
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("value regression diverged at update " + step + ": loss " + loss
                        + " (lower the learning rate)");
            }
            nets.gradients(0).zero();
            net.backward(ws, grad, nets.gradients(0), null, null);
            nets.step(0, settings.learningRate(), step);
            if (step % settings.progressInterval() == 0 || step == settings.steps()) {
                l.onEstimatorProgress(new EstimatorProgress("fitted-value", step, settings.steps(), loss));
            }
        }
        return ValueNetworkReference.of(name, spec, net.exportParameters(), data.normalizer(), backend);
    }

    /**
     * The mean squared error of {@code reference} against {@code targets} at the states of {@code transitions} (all
     * transitions when null), for reporting a fit.
     */
    public static double meanSquaredError(ValueNetworkReference reference, ReferenceData data, int[] transitions,
                                          double[] targets) {
        double[] values = valuesAt(reference, data, transitions);
        double sum = 0.0;
        for (int i = 0; i < values.length; i++) {
            double e = values[i] - targets[i];
            sum += e * e;
        }
        return sum / values.length;
    }

    /** {@code reference}'s values at the states of {@code transitions} (all transitions when null). */
    public static double[] valuesAt(ValueNetworkReference reference, ReferenceData data, int[] transitions) {
        int w = data.observationDim();
        int n = transitions == null ? data.size() : transitions.length;
        double[] x;
        if (transitions == null) {
            x = data.normalizedObservations();
        } else {
            x = new double[n * w];
            for (int i = 0; i < n; i++) {
                System.arraycopy(data.normalizedObservations(), transitions[i] * w, x, i * w, w);
            }
        }
        double[] out = new double[n];
        Chunks.forward(networkOf(reference), x, n, out);
        return out;
    }

    private static Network networkOf(ValueNetworkReference reference) {
        return reference.network();
    }
}
