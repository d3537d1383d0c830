package org.calql.serving;

import java.util.Arrays;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/**
 * The actor's forward pass on the host, in {@code double}, up to the mean half of its output: per hidden layer
 * {@code z = x·Wᵀ + b}, optional LayerNorm ({@code γ ⊙ (z − mean)/sqrt(var + ε) + β}, biased variance), the
 * activation; then the output layer's first {@code actionDim} units only. Each output sums the bias, then the
 * inputs in index order, skipping zero inputs, exactly as the plain-Java backend's network does, so the two agree
 * to the bit. Weights are kept transposed ({@code [in, out]}) so the inner loop is a contiguous {@code y += a·w}.
 * Immutable after construction; all scratch lives in {@link Buffers}, one per thread.
 */
final class HostForward {
    /** Rows computed together so that one weight row serves several rows while it is in L1 (as the Java backend). */
    private static final int ROW_BLOCK = 8;

    private final int layers;
    private final int[] in;
    private final int[] out;
    /** Transposed weights per layer, {@code [in, out]}; for the output layer only the mean's {@code out} columns. */
    private final double[][] transposed;
    private final double[][] biases;
    private final double[][] gains;
    private final double[][] shifts;
    private final Activation activation;
    private final boolean layerNorm;
    private final double epsilon;

    HostForward(NetworkSpec spec, double[][] parameters, int actionDim) {
        layers = spec.layerCount();
        in = new int[layers];
        out = new int[layers];
        transposed = new double[layers][];
        biases = new double[layers][];
        layerNorm = spec.layerNorm();
        gains = layerNorm ? new double[layers - 1][] : null;
        shifts = layerNorm ? new double[layers - 1][] : null;
        activation = spec.activation();
        epsilon = spec.layerNormEpsilon();
        for (int l = 0; l < layers; l++) {
            int n = spec.layerInput(l);
            int m = l == layers - 1 ? actionDim : spec.layerOutput(l);
            in[l] = n;
            out[l] = m;
            double[] w = parameters[spec.weightArray(l)];
            double[] t = new double[n * m];
            for (int o = 0; o < m; o++) {
                for (int k = 0; k < n; k++) {
                    t[k * m + o] = w[o * n + k];
                }
            }
            transposed[l] = t;
            double[] b = parameters[spec.biasArray(l)];
            biases[l] = Arrays.copyOf(b, m);
            if (layerNorm && l < layers - 1) {
                gains[l] = parameters[spec.gainArray(l)].clone();
                shifts[l] = parameters[spec.shiftArray(l)].clone();
            }
        }
    }

    /** Per-thread scratch for passes of at most {@code maxRows} rows. */
    static final class Buffers {
        final int maxRows;
        final double[] input;
        final double[][] hidden;
        final double[] output;
        final double[] policyAction;
        final double[] environmentAction;

        private Buffers(HostForward f, int maxRows) {
            this.maxRows = maxRows;
            input = new double[maxRows * f.in[0]];
            hidden = new double[f.layers - 1][];
            for (int l = 0; l < f.layers - 1; l++) {
                hidden[l] = new double[maxRows * f.out[l]];
            }
            int actionDim = f.out[f.layers - 1];
            output = new double[maxRows * actionDim];
            policyAction = new double[actionDim];
            environmentAction = new double[actionDim];
        }
    }

    Buffers newBuffers(int maxRows) {
        return new Buffers(this, maxRows);
    }

    /** The mean half of the output for the {@code rows} (normalised) rows in {@code b.input}, into {@code b.output}. */
    void means(Buffers b, int rows) {
        double[] x = b.input;
        for (int l = 0; l < layers; l++) {
            double[] y = l == layers - 1 ? b.output : b.hidden[l];
            linear(x, in[l], transposed[l], biases[l], out[l], y, rows);
            if (l < layers - 1) {
                if (layerNorm) {
                    layerNorm(y, gains[l], shifts[l], rows, out[l], epsilon);
                }
                activate(activation, y, rows * out[l]);
                x = y;
            }
        }
    }

    /**
     * {@code y[r, :] = b + Σ_k x[r, k]·wt[k, :]}, {@code k} ascending for every row, zero inputs skipped. Rows go in
     * blocks of {@value #ROW_BLOCK} so that each weight row serves the whole block while it is in L1; the order of
     * each value's sum is the same as row by row.
     */
    private static void linear(double[] x, int n, double[] wt, double[] bias, int m, double[] y, int rows) {
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int r1 = Math.min(rows, r0 + ROW_BLOCK);
            for (int r = r0; r < r1; r++) {
                System.arraycopy(bias, 0, y, r * m, m);
            }
            for (int k = 0; k < n; k++) {
                int wk = k * m;
                for (int r = r0; r < r1; r++) {
                    double a = x[r * n + k];
                    if (a != 0.0) {
                        int yo = r * m;
                        for (int j = 0; j < m; j++) {
                            y[yo + j] += a * wt[wk + j];
                        }
                    }
                }
            }
        }
    }

    /** In place, per row: {@code γ ⊙ (z − mean)·(1/sqrt(var + ε)) + β}, as the plain-Java backend computes it. */
    private static void layerNorm(double[] z, double[] gain, double[] shift, int rows, int n, double epsilon) {
        double inverseN = 1.0 / n;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += z[o + j];
            }
            double mean = sum * inverseN;
            double squares = 0.0;
            for (int j = 0; j < n; j++) {
                double c = z[o + j] - mean;
                squares += c * c;
            }
            double rstd = 1.0 / Math.sqrt(squares * inverseN + epsilon);
            for (int j = 0; j < n; j++) {
                z[o + j] = gain[j] * ((z[o + j] - mean) * rstd) + shift[j];
            }
        }
    }

    /** In place: the activation's formula (see {@link Activation}); the switch is outside the loops. */
    private static void activate(Activation activation, double[] u, int n) {
        switch (activation) {
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    u[i] = Math.max(u[i], 0.0);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    u[i] = Math.tanh(u[i]);
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    double x = u[i];
                    u[i] = x > 0.0 ? x : Math.expm1(x);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    double x = u[i];
                    u[i] = x / (1.0 + Math.exp(-x));
                }
            }
            default -> throw new IllegalStateException("unknown activation " + activation);
        }
    }
}
