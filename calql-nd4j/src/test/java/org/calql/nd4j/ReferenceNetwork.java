package org.calql.nd4j;

import org.calql.spi.NetworkSpec;

/**
 * A deliberately naive double-precision network for tests, written from the formulas alone:
 * {@code y = x·Wᵀ + b} per layer, ReLU between layers, weight row-major {@code [out, in]}.
 */
final class ReferenceNetwork {
    final NetworkSpec spec;
    final double[][] params;
    double[][] acts;

    ReferenceNetwork(NetworkSpec spec, double[][] params) {
        this.spec = spec;
        this.params = params;
    }

    /** Forward on explicit input rows; keeps activations for {@link #backward}. */
    double[] forward(double[] input, int rows) {
        int layers = spec.layerCount();
        acts = new double[layers + 1][];
        acts[0] = input.clone();
        for (int l = 0; l < layers; l++) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            double[] w = params[2 * l];
            double[] b = params[2 * l + 1];
            double[] x = acts[l];
            double[] y = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int i = 0; i < in; i++) {
                        s += x[r * in + i] * w[o * in + i];
                    }
                    y[r * out + o] = l < layers - 1 ? Math.max(0, s) : s;
                }
            }
            acts[l + 1] = y;
        }
        return acts[layers];
    }

    /** Backward from {@code gradOut}; returns the input gradient and adds parameter gradients into {@code grads}. */
    double[] backward(double[] gradOut, int rows, double[][] grads) {
        int layers = spec.layerCount();
        double[] dy = gradOut.clone();
        for (int l = layers - 1; l >= 0; l--) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            double[] w = params[2 * l];
            double[] x = acts[l];
            double[] dx = new double[rows * in];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double d = dy[r * out + o];
                    grads[2 * l + 1][o] += d;
                    for (int i = 0; i < in; i++) {
                        grads[2 * l][o * in + i] += d * x[r * in + i];
                        dx[r * in + i] += d * w[o * in + i];
                    }
                }
            }
            if (l > 0) {
                for (int k = 0; k < dx.length; k++) {
                    if (!(x[k] > 0)) {
                        dx[k] = 0;
                    }
                }
            }
            dy = dx;
        }
        return dy;
    }

    static double[][] zeros(NetworkSpec spec) {
        double[][] g = new double[2 * spec.layerCount()][];
        for (int l = 0; l < spec.layerCount(); l++) {
            g[2 * l] = new double[spec.layerInput(l) * spec.layerOutput(l)];
            g[2 * l + 1] = new double[spec.layerOutput(l)];
        }
        return g;
    }
}
