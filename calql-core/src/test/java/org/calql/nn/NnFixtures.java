package org.calql.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.calql.random.Gaussian;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/** Shared helpers of the org.calql.nn tests: random data and a textbook forward pass. */
final class NnFixtures {
    private NnFixtures() {
    }

    static NetworkSpec spec(int inputDim, List<Integer> hidden, int outputDim) {
        return NetworkSpec.of(inputDim, hidden.stream().mapToInt(Integer::intValue).toArray(), outputDim);
    }

    /** A spec with the given activation, and LayerNorm when asked for and there is a hidden layer. */
    static NetworkSpec spec(int inputDim, List<Integer> hidden, int outputDim, Activation activation,
                            boolean layerNorm) {
        return NetworkSpec.builder(inputDim, outputDim).hidden(hidden.stream().mapToInt(Integer::intValue).toArray())
                .activation(activation).layerNorm(layerNorm && !hidden.isEmpty()).build();
    }

    static double[] gaussian(SplittableRandom rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * Gaussian.next(rng);
        }
        return v;
    }

    /**
     * Weights ~ N(0, 1.5/in), biases ~ N(0, 0.01): activations neither vanish nor explode; with LayerNorm,
     * gains ~ 1 + N(0, 0.09) and shifts ~ N(0, 0.01) (drawn after each hidden layer's bias).
     */
    static double[][] randomParameters(NetworkSpec spec, SplittableRandom rng) {
        double[][] p = new double[spec.parameterArrayCount()][];
        for (int l = 0; l < spec.layerCount(); l++) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            p[spec.weightArray(l)] = gaussian(rng, in * out, Math.sqrt(1.5 / in));
            p[spec.biasArray(l)] = gaussian(rng, out, 0.1);
            if (spec.layerNorm() && l < spec.layerCount() - 1) {
                double[] gain = gaussian(rng, out, 0.3);
                for (int i = 0; i < out; i++) {
                    gain[i] += 1.0;
                }
                p[spec.gainArray(l)] = gain;
                p[spec.shiftArray(l)] = gaussian(rng, out, 0.1);
            }
        }
        return p;
    }

    /** Row {@code r}: {@code concat(head[r / groupSize], tail[r])}. */
    static double[] concatenate(double[] head, int headDim, double[] tail, int tailDim, int groups, int groupSize) {
        int rows = groups * groupSize;
        int inputDim = headDim + tailDim;
        double[] input = new double[rows * inputDim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(head, (r / groupSize) * headDim, input, r * inputDim, headDim);
            if (tailDim > 0) {
                System.arraycopy(tail, r * tailDim, input, r * inputDim + headDim, tailDim);
            }
        }
        return input;
    }

    /** The forward pass by its definition ({@link TextbookForward}). */
    static double[] textbookForward(NetworkSpec spec, double[][] params, double[] input, int rows) {
        return TextbookForward.evaluate(spec, params, input, rows).output();
    }

    /** {@code max|actual − expected| / max|expected|} over the first {@code n} values. */
    static double normwiseError(double[] expected, double[] actual, int n) {
        double scale = Double.MIN_NORMAL;
        double error = 0.0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(actual[i] - expected[i]));
        }
        return error / scale;
    }

    static double normwiseError(double[][] expected, double[][] actual) {
        double scale = Double.MIN_NORMAL;
        double error = 0.0;
        for (int a = 0; a < expected.length; a++) {
            for (int i = 0; i < expected[a].length; i++) {
                scale = Math.max(scale, Math.abs(expected[a][i]));
                error = Math.max(error, Math.abs(actual[a][i] - expected[a][i]));
            }
        }
        return error / scale;
    }
}
