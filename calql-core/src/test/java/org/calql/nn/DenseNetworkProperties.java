package org.calql.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/**
 * Grouped input against explicit concatenation, and forward against the textbook formula, for every
 * activation with and without LayerNorm.
 */
class DenseNetworkProperties {

    @Property(tries = 400)
    void groupedForwardGivesTheBitsOfTheConcatenatedForward(
            @ForAll @IntRange(min = 0, max = 6) int headDim,
            @ForAll @IntRange(min = 0, max = 4) int tailDim,
            @ForAll @Size(max = 3) List<@IntRange(min = 1, max = 9) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 4) int outputDim,
            @ForAll @IntRange(min = 0, max = 5) int groups,
            @ForAll @IntRange(min = 1, max = 5) int groupSize,
            @ForAll Activation activation,
            @ForAll boolean layerNorm,
            @ForAll long seed) {
        Assume.that(headDim + tailDim >= 1);
        NetworkSpec spec = NnFixtures.spec(headDim + tailDim, hidden, outputDim, activation, layerNorm);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] params = NnFixtures.randomParameters(spec, rng);
        DenseNetwork net = new DenseNetwork(spec);
        net.importParameters(params);
        int rows = groups * groupSize;
        double[] head = NnFixtures.gaussian(rng, groups * headDim, 1.0);
        double[] tail = NnFixtures.gaussian(rng, rows * tailDim, 1.0);
        double[] input = NnFixtures.concatenate(head, headDim, tail, tailDim, groups, groupSize);

        double[] grouped = new double[rows * outputDim];
        net.forward(net.newWorkspace(rows + 1), head, tail, tailDim, groups, groupSize, grouped);
        double[] plain = new double[rows * outputDim];
        net.forward(net.newWorkspace(rows), input, rows, plain);
        assertArrayEquals(plain, grouped, "grouped forward must equal the concatenated forward bit for bit");

        // each of the two evaluations is within the rounding bound of the exact result, so they differ by at most
        // twice it; a tolerance relative to the output cannot hold where LayerNorm meets a row of variance ≪ ε
        TextbookForward.Result reference = TextbookForward.evaluate(spec, params, input, rows);
        double[] textbook = reference.output();
        double[] bound = reference.roundingBound();
        for (int k = 0; k < rows * outputDim; k++) {
            double difference = Math.abs(plain[k] - textbook[k]);
            int entry = k;
            assertTrue(difference <= 2.0 * bound[k], () -> "forward must match the textbook formula (linear, "
                    + "LayerNorm, activation) for " + spec + ": output " + entry + " " + plain[entry] + " vs "
                    + textbook[entry] + ", more than twice the rounding bound " + bound[entry] + " apart");
        }
    }

    @Property(tries = 200)
    void groupedBackwardMatchesTheConcatenatedBackward(
            @ForAll @IntRange(min = 0, max = 6) int headDim,
            @ForAll @IntRange(min = 0, max = 4) int tailDim,
            @ForAll @Size(max = 3) List<@IntRange(min = 1, max = 9) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 4) int outputDim,
            @ForAll @IntRange(min = 1, max = 5) int groups,
            @ForAll @IntRange(min = 1, max = 5) int groupSize,
            @ForAll Activation activation,
            @ForAll boolean layerNorm,
            @ForAll long seed) {
        Assume.that(headDim + tailDim >= 1);
        int inputDim = headDim + tailDim;
        NetworkSpec spec = NnFixtures.spec(inputDim, hidden, outputDim, activation, layerNorm);
        SplittableRandom rng = new SplittableRandom(seed);
        DenseNetwork net = new DenseNetwork(spec);
        net.importParameters(NnFixtures.randomParameters(spec, rng));
        int rows = groups * groupSize;
        double[] head = NnFixtures.gaussian(rng, groups * headDim, 1.0);
        double[] tail = NnFixtures.gaussian(rng, rows * tailDim, 1.0);
        double[] gradOut = NnFixtures.gaussian(rng, rows * outputDim, 1.0);
        double[] input = NnFixtures.concatenate(head, headDim, tail, tailDim, groups, groupSize);

        DenseGradients groupedGrads = (DenseGradients) net.newGradients();
        double[] gradHead = new double[groups * headDim];
        double[] gradTail = new double[rows * tailDim];
        var ws = net.newWorkspace(rows);
        net.forward(ws, head, tail, tailDim, groups, groupSize, new double[rows * outputDim]);
        net.backward(ws, gradOut, groupedGrads, gradHead, gradTail);

        // the whole input as head (plain forward) and the whole input as tail (no head)
        DenseGradients plainGrads = (DenseGradients) net.newGradients();
        double[] gradInput = new double[rows * inputDim];
        net.forward(ws, input, rows, new double[rows * outputDim]);
        net.backward(ws, gradOut, plainGrads, gradInput, null);
        double[] gradInputAsTail = new double[rows * inputDim];
        net.forward(ws, null, input, inputDim, rows, 1, new double[rows * outputDim]);
        net.backward(ws, gradOut, null, null, gradInputAsTail);
        assertArrayEquals(gradInput, gradInputAsTail, "input gradient as head and as tail");

        double[] expectedHead = new double[groups * headDim];
        double[] expectedTail = new double[rows * tailDim];
        for (int r = 0; r < rows; r++) {
            int g = r / groupSize;
            for (int i = 0; i < headDim; i++) {
                expectedHead[g * headDim + i] += gradInput[r * inputDim + i];
            }
            System.arraycopy(gradInput, r * inputDim + headDim, expectedTail, r * tailDim, tailDim);
        }
        assertArrayEquals(expectedTail, gradTail, "gradTail is the tail part of the row's input gradient");
        // Both paths start from the same first-layer gradients δ_r; the grouped one computes W_headᵀ(Σ_r δ_r), the
        // concatenated one Σ_r W_headᵀδ_r. Their rounding differs by at most a few ulps of Σ_r Σ_j |W_ji|·|δ_rj|,
        // which LayerNorm's centring can make far larger than the (cancelling) result itself.
        RoundingScale roundingScale = firstLayerScale(net, spec, ws, input, rows, gradOut, outputDim, headDim);
        for (int i = 0; i < expectedHead.length; i++) {
            double scale = Math.max(Math.abs(expectedHead[i]), roundingScale.head()[i % Math.max(1, headDim)]);
            assertTrue(Math.abs(gradHead[i] - expectedHead[i]) <= 1e-13 * scale,
                    "gradHead is the head part of the input gradient summed over the group: entry " + i + " "
                            + gradHead[i] + " vs " + expectedHead[i] + " (rounding scale " + scale + ")");
        }
        // The first layer's bias and head weights: Σ over each group first, then over groups, against Σ_r in row
        // order; they differ by a few ulps of Σ_r |δ_rj| (bias) and Σ_r |δ_rj|·|x_ri| (weights), which can be far
        // above the entry itself when the δ_r cancel. Every other gradient is computed on identical rows in the same
        // order, so it must be the same bits.
        double[][] plain = plainGrads.export();
        double[][] grouped = groupedGrads.export();
        for (int a = 0; a < plain.length; a++) {
            double[] scale = a == spec.biasArray(0) ? roundingScale.bias()
                    : a == spec.weightArray(0) ? roundingScale.weights() : null;
            String name = spec.parameterArrayName(a);
            if (scale == null) {
                assertArrayEquals(plain[a], grouped[a], name + " gradient of grouped and concatenated input");
                continue;
            }
            for (int i = 0; i < plain[a].length; i++) {
                double bound = 1e-13 * Math.max(Math.abs(plain[a][i]), scale[i]);
                assertTrue(Math.abs(grouped[a][i] - plain[a][i]) <= bound, name + " gradient [" + i + "] of grouped "
                        + "and concatenated input: " + grouped[a][i] + " vs " + plain[a][i] + " (bound " + bound + ")");
            }
        }
    }

    /** Per head input, per first-layer output and per first-layer weight: the scales of their rounding. */
    private record RoundingScale(double[] head, double[] bias, double[] weights) {
    }

    /**
     * {@code Σ_r Σ_j |W0_ji|·|δ_rj|} for each head input {@code i}, {@code Σ_r |δ_rj|} for each first-layer output
     * {@code j} and {@code Σ_r |δ_rj|·|x_ri|} for each first-layer weight, with {@code δ_r} row {@code r}'s gradient
     * at the first layer's output (its bias gradient when only row {@code r}'s upstream gradient is non-zero).
     */
    private static RoundingScale firstLayerScale(DenseNetwork net, NetworkSpec spec, org.calql.spi.Workspace ws,
                                                 double[] input, int rows, double[] gradOut, int outputDim,
                                                 int headDim) {
        double[] w0 = net.exportParameters()[spec.weightArray(0)];
        int width = spec.layerOutput(0);
        int inputDim = spec.inputDim();
        RoundingScale scale = new RoundingScale(new double[Math.max(1, headDim)], new double[width],
                new double[width * inputDim]);
        for (int r = 0; r < rows; r++) {
            double[] single = new double[rows * outputDim];
            System.arraycopy(gradOut, r * outputDim, single, r * outputDim, outputDim);
            DenseGradients g = (DenseGradients) net.newGradients();
            net.forward(ws, input, rows, new double[rows * outputDim]);
            net.backward(ws, single, g, null, null);
            double[] delta = g.export()[spec.biasArray(0)];
            for (int j = 0; j < width; j++) {
                scale.bias()[j] += Math.abs(delta[j]);
                for (int i = 0; i < inputDim; i++) {
                    scale.weights()[j * inputDim + i] += Math.abs(delta[j]) * Math.abs(input[r * inputDim + i]);
                    if (i < headDim) {
                        scale.head()[i] += Math.abs(w0[j * inputDim + i]) * Math.abs(delta[j]);
                    }
                }
            }
        }
        return scale;
    }
}
