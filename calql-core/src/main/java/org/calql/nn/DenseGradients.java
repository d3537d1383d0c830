package org.calql.nn;

import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;

/** Parameter gradients of a {@link DenseNetwork}, in the exported layout (weights {@code [out, in]}). */
final class DenseGradients implements ParameterGradients {
    final NetworkSpec spec;
    final double[][] weights;
    final double[][] biases;

    DenseGradients(NetworkSpec spec) {
        this.spec = spec;
        int layers = spec.layerCount();
        weights = new double[layers][];
        biases = new double[layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = new double[spec.layerInput(l) * spec.layerOutput(l)];
            biases[l] = new double[spec.layerOutput(l)];
        }
    }

    @Override
    public void zero() {
        for (int l = 0; l < weights.length; l++) {
            java.util.Arrays.fill(weights[l], 0.0);
            java.util.Arrays.fill(biases[l], 0.0);
        }
    }

    @Override
    public double[][] export() {
        double[][] copy = new double[2 * weights.length][];
        for (int l = 0; l < weights.length; l++) {
            copy[2 * l] = weights[l].clone();
            copy[2 * l + 1] = biases[l].clone();
        }
        return copy;
    }

    @Override
    public void scale(double factor) {
        for (int l = 0; l < weights.length; l++) {
            scale(weights[l], factor);
            scale(biases[l], factor);
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
