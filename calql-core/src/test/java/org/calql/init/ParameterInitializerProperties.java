package org.calql.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.calql.random.Gaussian;
import org.calql.spi.Activation;
import org.calql.spi.Initialization;
import org.calql.spi.NetworkSpec;
import org.junit.jupiter.api.Test;

/** Orthogonality, bounds, layout and reproducibility of {@link ParameterInitializer}. */
class ParameterInitializerProperties {

    @Property(tries = 200)
    void orthogonalMatricesHaveOrthonormalRowsOrColumnsTimesTheGain(
            @ForAll @IntRange(min = 1, max = 40) int rows,
            @ForAll @IntRange(min = 1, max = 40) int cols,
            @ForAll long seed) {
        double gain = Math.sqrt(2.0);
        double[] w = ParameterInitializer.orthogonal(rows, cols, gain, new SplittableRandom(seed));
        // W·Wᵀ = gain²·I when rows <= cols, Wᵀ·W = gain²·I when rows >= cols
        boolean wide = rows <= cols;
        int n = wide ? rows : cols;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0.0;
                int len = wide ? cols : rows;
                for (int k = 0; k < len; k++) {
                    s += wide ? w[a * cols + k] * w[b * cols + k] : w[k * cols + a] * w[k * cols + b];
                }
                assertEquals(a == b ? gain * gain : 0.0, s, 1e-12, "Gram matrix entry (" + a + ", " + b + ")");
            }
        }
    }

    @Property(tries = 100)
    void schemesFollowTheReferenceInitialisation(
            @ForAll @IntRange(min = 1, max = 30) int inputDim,
            @ForAll @Size(max = 3) List<@IntRange(min = 1, max = 30) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 10) int outputDim,
            @ForAll long seed) {
        NetworkSpec spec = NetworkSpec.of(inputDim, hidden.stream().mapToInt(Integer::intValue).toArray(), outputDim);
        int last = spec.layerCount() - 1;

        double[][] p = ParameterInitializer.initialize(spec, Initialization.PYTORCH_DEFAULT, new SplittableRandom(seed));
        spec.checkParameterLayout(p);
        for (int l = 0; l < last; l++) {
            double bound = 1.0 / Math.sqrt(spec.layerInput(l));
            assertWithin(p[2 * l], bound, "hidden weight " + l);
            assertWithin(p[2 * l + 1], bound, "hidden bias " + l);
        }
        assertWithin(p[2 * last], 0.01 * Math.sqrt(6.0 / (spec.layerInput(last) + outputDim)), "last weight");
        assertArrayEquals(new double[outputDim], p[2 * last + 1], "last bias is zero");

        double[][] o = ParameterInitializer.initialize(spec, Initialization.ORTHOGONAL, new SplittableRandom(seed));
        spec.checkParameterLayout(o);
        for (int l = 0; l <= last; l++) {
            assertArrayEquals(new double[spec.layerOutput(l)], o[2 * l + 1], "orthogonal bias " + l + " is zero");
            double gain = l == last ? 0.01 : Math.sqrt(2.0);
            int rows = spec.layerOutput(l);
            int cols = spec.layerInput(l);
            // every row (rows <= cols) or column (rows >= cols) has norm gain
            double norm = 0.0;
            for (int k = 0; k < (rows <= cols ? cols : rows); k++) {
                double v = rows <= cols ? o[2 * l][k] : o[2 * l][k * cols];
                norm += v * v;
            }
            assertEquals(gain, Math.sqrt(norm), 1e-12 * gain, "layer " + l + " gain");
        }

        for (Initialization init : Initialization.values()) {
            double[][] a = ParameterInitializer.initialize(spec, init, new SplittableRandom(seed));
            double[][] b = ParameterInitializer.initialize(spec, init, new SplittableRandom(seed));
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], init + ": the same seed gives the same bits");
            }
        }
    }

    private static void assertWithin(double[] values, double bound, String what) {
        for (double v : values) {
            assertTrue(v >= -bound && v <= bound, what + ": " + v + " outside [-" + bound + ", " + bound + "]");
        }
    }

    @Test
    void uniformValuesFillTheirRange() {
        NetworkSpec spec = NetworkSpec.of(64, new int[] {256}, 1);
        double[][] p = ParameterInitializer.initialize(spec, Initialization.PYTORCH_DEFAULT, new SplittableRandom(1));
        double bound = 1.0 / 8.0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sumSquares = 0.0;
        for (double v : p[0]) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sumSquares += v * v;
        }
        assertTrue(min < -0.99 * bound && max > 0.99 * bound, "range [" + min + ", " + max + "]");
        // variance of U(-b, b) is b²/3
        assertEquals(bound * bound / 3, sumSquares / p[0].length, 0.03 * bound * bound / 3);
    }

    @Test
    void differentSeedsGiveDifferentParameters() {
        NetworkSpec spec = NetworkSpec.of(5, new int[] {8}, 2);
        for (Initialization init : Initialization.values()) {
            double[][] a = ParameterInitializer.initialize(spec, init, new SplittableRandom(1));
            double[][] b = ParameterInitializer.initialize(spec, init, new SplittableRandom(2));
            assertTrue(!java.util.Arrays.equals(a[0], b[0]), init.toString());
        }
    }

    @Test
    void orthogonalLayersAreSignNormalisedLikeTorch() {
        // Q·sign(diag R): the QR of the result (before the gain) has a positive diagonal in R,
        // i.e. each column q_j has a positive inner product with the Gaussian column it came from
        SplittableRandom rng = new SplittableRandom(3);
        SplittableRandom replay = new SplittableRandom(3);
        int rows = 7;
        int cols = 4;
        double[] q = ParameterInitializer.orthogonal(rows, cols, 1.0, rng);
        double[] gaussian = new double[rows * cols];
        Gaussian.fill(replay, gaussian, gaussian.length);
        for (int j = 0; j < cols; j++) {
            double dot = 0.0;
            for (int i = 0; i < rows; i++) {
                dot += q[i * cols + j] * gaussian[i * cols + j];
            }
            assertTrue(dot > 0.0, "R[" + j + "][" + j + "] = " + dot);
        }
    }

    @Test
    void rejectsNullArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterInitializer.initialize(null, Initialization.ORTHOGONAL, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("spec"), e.getMessage());
    }

    @Property(tries = 100)
    void layerNormStartsAtUnitGainAndZeroShiftAndLeavesTheLinearDrawsAlone(
            @ForAll @IntRange(min = 1, max = 20) int inputDim,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 20) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 6) int outputDim,
            @ForAll Activation activation,
            @ForAll long seed) {
        int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
        NetworkSpec plain = NetworkSpec.of(inputDim, widths, outputDim);
        NetworkSpec normed = NetworkSpec.builder(inputDim, outputDim).hidden(widths).activation(activation)
                .layerNorm(true).build();
        for (Initialization init : Initialization.values()) {
            SplittableRandom plainRng = new SplittableRandom(seed);
            SplittableRandom normedRng = new SplittableRandom(seed);
            double[][] expected = ParameterInitializer.initialize(plain, init, plainRng);
            double[][] actual = ParameterInitializer.initialize(normed, init, normedRng);
            normed.checkParameterLayout(actual);
            for (int l = 0; l < normed.layerCount(); l++) {
                assertArrayEquals(expected[plain.weightArray(l)], actual[normed.weightArray(l)],
                        init + ": layer " + l + " weight is the same as without LayerNorm");
                assertArrayEquals(expected[plain.biasArray(l)], actual[normed.biasArray(l)],
                        init + ": layer " + l + " bias is the same as without LayerNorm");
            }
            for (int l = 0; l < widths.length; l++) {
                double[] ones = new double[widths[l]];
                java.util.Arrays.fill(ones, 1.0);
                assertArrayEquals(ones, actual[normed.gainArray(l)], init + ": layer " + l + " gain starts at 1");
                assertArrayEquals(new double[widths[l]], actual[normed.shiftArray(l)],
                        init + ": layer " + l + " shift starts at 0");
            }
            // gain and shift consume no random numbers: both generators are in the same state afterwards
            assertEquals(plainRng.nextLong(), normedRng.nextLong(), init + ": generator state after initialisation");
        }
    }

    @Test
    void plainSpecKeepsItsDrawsBitForBit() {
        // the documented draw order and formula, replayed from the same seed, to the bit
        NetworkSpec spec = NetworkSpec.of(3, new int[] {2}, 1);
        double[][] p = ParameterInitializer.initialize(spec, Initialization.PYTORCH_DEFAULT, new SplittableRandom(7));
        SplittableRandom replay = new SplittableRandom(7);
        double bound = 1.0 / Math.sqrt(3.0);
        for (int i = 0; i < 6; i++) {
            assertEquals(-bound + 2.0 * bound * replay.nextDouble(), p[0][i], 0.0, "w0[" + i + "]");
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(-bound + 2.0 * bound * replay.nextDouble(), p[1][i], 0.0, "b0[" + i + "]");
        }
        double last = 0.01 * Math.sqrt(6.0 / 3.0);
        for (int i = 0; i < 2; i++) {
            assertEquals(-last + 2.0 * last * replay.nextDouble(), p[2][i], 0.0, "w1[" + i + "]");
        }
        assertArrayEquals(new double[1], p[3], "b1");
    }
}
