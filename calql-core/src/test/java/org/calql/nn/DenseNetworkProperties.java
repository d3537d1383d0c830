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
        double[] textbook = NnFixtures.textbookForward(spec, params, input, rows);
        double[] bound = ForwardRoundingBound.of(spec, params, input, rows);
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
        double[] roundingScale = firstLayerScale(net, spec, ws, input, rows, gradOut, outputDim, headDim);
        for (int i = 0; i < expectedHead.length; i++) {
            double scale = Math.max(Math.abs(expectedHead[i]), roundingScale[i % Math.max(1, headDim)]);
            assertTrue(Math.abs(gradHead[i] - expectedHead[i]) <= 1e-13 * scale,
                    "gradHead is the head part of the input gradient summed over the group: entry " + i + " "
                            + gradHead[i] + " vs " + expectedHead[i] + " (rounding scale " + scale + ")");
        }
        assertTrue(NnFixtures.normwiseError(plainGrads.export(), groupedGrads.export()) <= 1e-13,
                "parameter gradients of grouped and concatenated input");
    }

    /**
     * {@code Σ_r Σ_j |W0_ji|·|δ_rj|} for each head input {@code i}, with {@code δ_r} row {@code r}'s gradient at the
     * first layer's output (its bias gradient when only row {@code r}'s upstream gradient is non-zero).
     */
    private static double[] firstLayerScale(DenseNetwork net, NetworkSpec spec, org.calql.spi.Workspace ws,
                                            double[] input, int rows, double[] gradOut, int outputDim, int headDim) {
        double[] scale = new double[Math.max(1, headDim)];
        double[] w0 = net.exportParameters()[spec.weightArray(0)];
        int width = spec.layerOutput(0);
        int inputDim = spec.inputDim();
        for (int r = 0; r < rows; r++) {
            double[] single = new double[rows * outputDim];
            System.arraycopy(gradOut, r * outputDim, single, r * outputDim, outputDim);
            DenseGradients g = (DenseGradients) net.newGradients();
            net.forward(ws, input, rows, new double[rows * outputDim]);
            net.backward(ws, single, g, null, null);
            double[] delta = g.export()[spec.biasArray(0)];
            for (int i = 0; i < headDim; i++) {
                for (int j = 0; j < width; j++) {
                    scale[i] += Math.abs(w0[j * inputDim + i]) * Math.abs(delta[j]);
                }
            }
        }
        return scale;
    }
}
