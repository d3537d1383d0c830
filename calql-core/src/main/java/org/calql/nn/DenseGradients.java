package org.calql.nn;

import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;

/**
 * Parameter gradients of a {@link DenseNetwork}, in the spec's parameter layout (weights {@code [out, in]},
 * LayerNorm gain and shift after each hidden layer's bias when the spec has LayerNorm).
 */
final class DenseGradients implements ParameterGradients {
    final NetworkSpec spec;
    /** Every array in the spec's layout; the per-layer arrays below are these. */
    final double[][] arrays;
    final double[][] weights;
    final double[][] biases;
    /** Per hidden layer (null without LayerNorm). */
    final double[][] gains;
    final double[][] shifts;

    DenseGradients(NetworkSpec spec) {
        this.spec = spec;
        int layers = spec.layerCount();
        arrays = spec.zeroParameters();
        weights = new double[layers][];
        biases = new double[layers][];
        gains = spec.layerNorm() ? new double[layers - 1][] : null;
        shifts = spec.layerNorm() ? new double[layers - 1][] : null;
        for (int l = 0; l < layers; l++) {
            weights[l] = arrays[spec.weightArray(l)];
            biases[l] = arrays[spec.biasArray(l)];
            if (gains != null && l < layers - 1) {
                gains[l] = arrays[spec.gainArray(l)];
                shifts[l] = arrays[spec.shiftArray(l)];
            }
        }
    }

    @Override
    public void zero() {
        for (double[] a : arrays) {
            java.util.Arrays.fill(a, 0.0);
        }
    }

    @Override
    public double[][] export() {
        return DenseNetwork.deepCopy(arrays);
    }

    @Override
    public void scale(double factor) {
        for (double[] a : arrays) {
            scale(a, factor);
        }
    }

    private static void scale(double[] a, double factor) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            a[i] *= factor;
        }
    }

    @Override
    public String toString() {
        return "DenseGradients[" + spec + "]";
    }
}
