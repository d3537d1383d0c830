package org.calql.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The builder's defaults and validation, equality, and the parameter layout with and without LayerNorm. */
class NetworkSpecTest {

    private static void assertRejected(String message, NetworkSpec.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void ofIsTheBuilderWithItsDefaults() {
        NetworkSpec of = NetworkSpec.of(37, new int[] {256, 256}, 1);
        NetworkSpec built = NetworkSpec.builder(37, 1).hidden(256, 256).build();
        assertEquals(of, built);
        assertEquals(of.hashCode(), built.hashCode());
        assertEquals(Activation.RELU, of.activation());
        assertFalse(of.layerNorm());
        assertTrue(of.isPlainRelu());
        assertEquals(1e-5, of.layerNormEpsilon());
        assertEquals(NetworkSpec.DEFAULT_LAYER_NORM_EPSILON, of.layerNormEpsilon());
        assertEquals("NetworkSpec37→[256, 256]→1 relu", of.toString());
        assertEquals(of, of.toBuilder().build());
    }

    @Test
    void newFieldsTakePartInEqualityAndToString() {
        NetworkSpec.Builder base = NetworkSpec.builder(4, 2).hidden(8, 8);
        NetworkSpec relu = base.build();
        NetworkSpec tanh = NetworkSpec.builder(4, 2).hidden(8, 8).activation(Activation.TANH).build();
        NetworkSpec normed = NetworkSpec.builder(4, 2).hidden(8, 8).layerNorm(true).build();
        NetworkSpec otherEps = NetworkSpec.builder(4, 2).hidden(8, 8).layerNorm(true).layerNormEpsilon(1e-3).build();
        assertNotEquals(relu, tanh);
        assertNotEquals(relu, normed);
        assertNotEquals(normed, otherEps);
        assertNotEquals(normed.hashCode(), otherEps.hashCode());
        assertFalse(normed.isPlainRelu());
        assertFalse(tanh.isPlainRelu());
        assertEquals("NetworkSpec4→[8, 8]→2 tanh", tanh.toString());
        assertEquals("NetworkSpec4→[8, 8]→2 relu, LayerNorm(ε=0.001)", otherEps.toString());
        assertEquals(otherEps, otherEps.toBuilder().build());
        assertEquals(1e-3, otherEps.layerNormEpsilon());
    }

    @Test
    void builderNamesTheFieldTheValueAndTheRule() {
        assertRejected("inputDim must be positive, found 0", NetworkSpec.builder(0, 1));
        assertRejected("outputDim must be positive, found -2", NetworkSpec.builder(3, -2));
        assertRejected("hidden[1] must be positive, found 0", NetworkSpec.builder(3, 1).hidden(4, 0));
        assertRejected("activation must not be null (one of [RELU, TANH, ELU, SILU]), found null",
                NetworkSpec.builder(3, 1).hidden(4).activation(null));
        assertRejected("layerNorm needs at least one hidden layer (it follows each hidden layer's linear map), "
                + "found hidden = []", NetworkSpec.builder(3, 1).layerNorm(true));
        for (double eps : new double[] {0.0, -1e-5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("layerNormEpsilon must be finite and > 0, found " + eps,
                    NetworkSpec.builder(3, 1).hidden(4).layerNorm(true).layerNormEpsilon(eps));
        }
        assertRejected("layerNormEpsilon = 0.001 is only used with layerNorm(true), found layerNorm = false",
                NetworkSpec.builder(3, 1).hidden(4).layerNormEpsilon(1e-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkSpec.builder(3, 1).hidden((int[]) null));
        assertTrue(e.getMessage().startsWith("hidden must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of(3, null, 1));
        assertTrue(e.getMessage().startsWith("hidden must not be null"), e.getMessage());
    }

    @Test
    void builderCopiesTheWidths() {
        int[] widths = {4, 5};
        NetworkSpec.Builder builder = NetworkSpec.builder(3, 1).hidden(widths);
        widths[0] = 99;
        NetworkSpec spec = builder.build();
        assertArrayEquals(new int[] {4, 5}, spec.hidden());
        spec.hidden()[0] = 77;
        assertArrayEquals(new int[] {4, 5}, spec.hidden());
    }

    @Test
    void layoutWithoutLayerNormIsWeightThenBiasPerLayer() {
        NetworkSpec spec = NetworkSpec.builder(3, 2).hidden(4, 5).activation(Activation.SILU).build();
        assertEquals(6, spec.parameterArrayCount());
        for (int l = 0; l < 3; l++) {
            assertEquals(2 * l, spec.weightArray(l));
            assertEquals(2 * l + 1, spec.biasArray(l));
        }
        assertArrayEquals(new int[] {12, 4, 20, 5, 10, 2}, lengths(spec));
        assertEquals(53, spec.parameterCount());
        assertThrows(IllegalArgumentException.class, () -> spec.gainArray(0));
        assertEquals("parameters[2] (layer 1 weight) must have 20 values [5x4], found 19",
                assertThrows(IllegalArgumentException.class, () -> {
                    double[][] p = spec.zeroParameters();
                    p[2] = new double[19];
                    spec.checkParameterLayout(p);
                }).getMessage());
        assertEquals("parameters must hold 6 arrays (weight and bias per layer), found 5",
                assertThrows(IllegalArgumentException.class,
                        () -> spec.checkParameterLayout(new double[5][])).getMessage());
    }

    @Test
    void layoutWithLayerNormAddsGainAndShiftAfterEachHiddenBias() {
        NetworkSpec spec = NetworkSpec.builder(3, 2).hidden(4, 5).layerNorm(true).build();
        assertEquals(10, spec.parameterArrayCount());
        assertEquals(0, spec.weightArray(0));
        assertEquals(1, spec.biasArray(0));
        assertEquals(2, spec.gainArray(0));
        assertEquals(3, spec.shiftArray(0));
        assertEquals(4, spec.weightArray(1));
        assertEquals(7, spec.shiftArray(1));
        assertEquals(8, spec.weightArray(2));
        assertEquals(9, spec.biasArray(2));
        assertArrayEquals(new int[] {12, 4, 4, 4, 20, 5, 5, 5, 10, 2}, lengths(spec));
        assertEquals(53 + 2 * (4 + 5), spec.parameterCount());
        assertEquals("layer 0 LayerNorm gain", spec.parameterArrayName(2));
        assertEquals("layer 1 LayerNorm shift", spec.parameterArrayName(7));
        assertEquals("layer 2 bias", spec.parameterArrayName(9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.gainArray(2));
        assertEquals("hidden layer must be in [0, 2), found 2", e.getMessage());
        double[][] p = spec.zeroParameters();
        spec.checkParameterLayout(p);
        p[2] = null;
        e = assertThrows(IllegalArgumentException.class, () -> spec.checkParameterLayout(p));
        assertEquals("parameters[2] (layer 0 LayerNorm gain) must have 4 values, found null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> spec.checkParameterLayout(new double[6][]));
        assertEquals("parameters must hold 10 arrays (weight and bias per layer, then LayerNorm gain and shift per "
                + "hidden layer: [w, b, gain, shift] per hidden layer, [w, b] for the output layer), found 6",
                e.getMessage());
    }

    private static int[] lengths(NetworkSpec spec) {
        int[] n = new int[spec.parameterArrayCount()];
        for (int i = 0; i < n.length; i++) {
            n[i] = spec.parameterArrayLength(i);
            assertEquals(n[i], spec.zeroParameters()[i].length);
        }
        return n;
    }
}
