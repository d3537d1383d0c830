package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * bfloat16 products: the rounding itself (round to nearest even, bitwise against a Java oracle), and products of
 * any transposes, strides, alpha and beta against a float64 product of the bf16-rounded inputs. Skips, saying why,
 * where the CPU has neither AMX-BF16 nor AVX512-BF16.
 */
class Bf16GemmTest {
    @BeforeAll
    static void backend() {
        Nd4jBackend.create();
    }

    static void assumeBf16() {
        Optional<String> reason = Bf16Gemm.unavailableReason();
        if (reason.isPresent()) {
            System.out.println("Skipping bf16 test: " + reason.get());
        }
        Assumptions.assumeTrue(reason.isEmpty(), () -> "bf16 products unavailable: " + reason.orElse(""));
    }

    /** Round to nearest even to bfloat16 (8 significant bits), as a float; NaN stays NaN. */
    static float bf16(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        int bits = Float.floatToRawIntBits(x);
        int lsb = (bits >>> 16) & 1;
        return Float.intBitsToFloat((bits + 0x7FFF + lsb) & 0xFFFF0000);
    }

    @Test
    void oracleRoundsToNearestEven() {
        float ulp = (float) Math.pow(2, -7);          // bf16 spacing in [1, 2)
        assertEquals(1f, bf16(1f + ulp / 2));          // tie: down to the even 1.0
        assertEquals(1f + 2 * ulp, bf16(1f + 3 * ulp / 2)); // tie: up to the even 1 + 2⁻⁶
        assertEquals(1f + ulp, bf16(Math.nextUp(1f + ulp / 2)));
        assertEquals(1f, bf16(Math.nextDown(1f + ulp / 2)));
        assertEquals(-1f, bf16(-1f - ulp / 2));
        assertEquals(Float.POSITIVE_INFINITY, bf16(Float.MAX_VALUE)); // rounds past the largest bf16
        assertEquals(3.140625f, bf16((float) Math.PI));
    }

    @Test
    void refusedWithoutTheFlags() {
        assertTrue(Bf16Gemm.missingFlags(Set.of("avx2", "fma", "avx512f")).isPresent());
        assertTrue(Bf16Gemm.missingFlags(null).isPresent());
        assertTrue(Bf16Gemm.missingFlags(Set.of("amx_tile")).isPresent());
        assertTrue(Bf16Gemm.missingFlags(Set.of("amx_tile", "amx_bf16")).isEmpty());
        assertTrue(Bf16Gemm.missingFlags(Set.of("avx512_bf16")).isEmpty());
    }

    @Test
    void oneDnnRoundsLikeTheOracle() {
        assumeBf16();
        SplittableRandom r = new SplittableRandom(7);
        int n = 4096;
        float[] x = new float[n];
        float ulp = (float) Math.pow(2, -7);
        for (int i = 0; i < n; i++) {
            float v = (float) ((r.nextDouble() * 2 - 1) * Math.pow(2, r.nextInt(-20, 20)));
            if (i % 4 == 0) {                             // exact ties between two bf16 values
                v = bf16(v) + Math.ulp(bf16(v)) * 65536 / 2;
            }
            x[i] = i == 1 ? 1f + ulp / 2 : i == 2 ? 1f + 3 * ulp / 2 : v;
        }
        // c[i] = x[i] · 1: one product per row, exact in float32, so c holds bf16(x[i]) itself.
        INDArray a = Nd4j.create(x, new long[]{n, 1}, 'f');
        INDArray one = Nd4j.create(new float[]{1f}, new long[]{1, 1}, 'f');
        INDArray c = Nd4j.create(DataType.FLOAT, new long[]{n, 1}, 'f');
        Bf16Gemm.gemm(a, one, c, false, false, 1.0, 0.0);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(bf16(x[i])), Float.floatToIntBits(c.getFloat(i)),
                    "x = " + x[i] + " (bits " + Integer.toHexString(Float.floatToIntBits(x[i])) + ")");
        }
    }

    /**
     * {@code order}: {@code f} = f-order views (C column-major: oneDNN computes Cᵀ), {@code c} = c-order views (C row
     * by row: computed directly), {@code b} = c-order with bfloat16 {@code a} and {@code b} (read in place where
     * dense, copied otherwise).
     */
    @ParameterizedTest
    @CsvSource({"false,false,1.0,0.0,f", "false,true,1.0,0.0,f", "true,false,1.0,1.0,f", "true,true,0.5,-2.0,f",
            "false,true,-1.0,1.0,f", "false,false,1.0,0.0,c", "false,true,1.0,0.0,c", "true,false,1.0,1.0,c",
            "true,true,0.5,-2.0,c", "false,true,1.0,0.0,b", "true,false,1.0,1.0,b", "false,false,1.0,0.0,B",
            "true,true,1.0,0.0,B"})
    void productOfRoundedInputsAccumulatedInFloat32(boolean ta, boolean tb, double alpha, double beta, char order) {
        assumeBf16();
        SplittableRandom r = new SplittableRandom(ta ? 3 : 4);
        int m = 37;
        int k = 300;
        int n = 19;
        char o = order == 'f' ? 'f' : 'c';
        // Views with strides: a's and c's buffers have extra rows, b is a column range of a wider matrix; 'B': dense.
        boolean dense = order == 'B';
        INDArray aFull = random(r, ta ? k + (dense ? 0 : 5) : m + (dense ? 0 : 5), ta ? m : k, o);
        INDArray a = aFull.get(NDArrayIndex.interval(0, ta ? k : m), NDArrayIndex.all());
        INDArray bFull = random(r, tb ? n : k, (tb ? k : n) + (dense ? 0 : 3), o);
        INDArray b = bFull.get(NDArrayIndex.all(), NDArrayIndex.interval(dense ? 0 : 2, (tb ? k : n) + (dense ? 0 : 2)));
        if (order == 'b' || order == 'B') {
            a = dense ? a.castTo(DataType.BFLOAT16) : aFull.castTo(DataType.BFLOAT16)
                    .get(NDArrayIndex.interval(0, ta ? k : m), NDArrayIndex.all());
            b = dense ? b.castTo(DataType.BFLOAT16) : bFull.castTo(DataType.BFLOAT16)
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(2, (tb ? k : n) + 2));
        }
        INDArray cFull = random(r, m + 2, n, o);
        INDArray c = cFull.get(NDArrayIndex.interval(1, m + 1), NDArrayIndex.all());
        double[][] before = c.toDoubleMatrix();
        Bf16Gemm.gemm(a, b, c, ta, tb, alpha, beta);
        double worstRounded = 0;
        double worstPlain = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double rounded = 0;
                double plain = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    float x = ta ? a.getFloat(p, i) : a.getFloat(i, p);
                    float y = tb ? b.getFloat(j, p) : b.getFloat(p, j);
                    rounded += (double) bf16(x) * bf16(y);
                    plain += (double) x * y;
                    magnitude += Math.abs((double) x * y);
                }
                double expected = alpha * rounded + beta * before[i][j];
                double scale = Math.abs(alpha) * magnitude + Math.abs(beta * before[i][j]);
                worstRounded = Math.max(worstRounded, Math.abs(c.getDouble(i, j) - expected) / scale);
                worstPlain = Math.max(worstPlain, Math.abs(c.getDouble(i, j) - (alpha * plain + beta * before[i][j]))
                        / scale);
            }
        }
        // Float32 accumulation of k terms: within a few k·2⁻²⁴ of the exact sum of the rounded products.
        assertTrue(worstRounded <= 8 * k * Math.pow(2, -24), "vs rounded inputs: " + worstRounded);
        // The float32 inputs really were rounded: unrounded ones would be much closer (bfloat16 inputs are exact).
        if (order == 'f' || order == 'c') {
            assertTrue(worstPlain > 1e-4, "vs unrounded inputs only " + worstPlain);
        }
        assertFalse(Double.isNaN(worstRounded));
    }

    /** Bias, ReLU and a bfloat16 result in one pass: {@code c = bf16(max(0, bf16(a)·bf16(b)ᵀ + bias))}. */
    @Test
    void biasReluAndABfloat16Result() {
        assumeBf16();
        SplittableRandom r = new SplittableRandom(9);
        int m = 40;
        int k = 64;
        int n = 24;
        INDArray a = random(r, m, k, 'c');
        INDArray w = random(r, n, k, 'f');
        INDArray bias = random(r, 1, n, 'c').reshape(n);
        for (boolean relu : new boolean[] {false, true}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.BFLOAT16}) {
                INDArray c = Nd4j.create(type, new long[]{m, n}, 'c');
                Bf16Gemm.gemmBias(a, w, bias, c, false, true, relu);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        double magnitude = Math.abs(bias.getFloat(j));
                        for (int p = 0; p < k; p++) {
                            sum += (double) bf16(a.getFloat(i, p)) * bf16(w.getFloat(j, p));
                            magnitude += Math.abs((double) a.getFloat(i, p) * w.getFloat(j, p));
                        }
                        double expected = sum + bias.getFloat(j);
                        if (relu) {
                            expected = Math.max(0, expected);
                        }
                        double slack = 8 * k * Math.pow(2, -24) * magnitude
                                + (type == DataType.BFLOAT16 ? Math.abs(expected) * Math.pow(2, -8) : 0);
                        assertEquals(expected, c.getDouble(i, j), slack, relu + " " + type + " (" + i + ", " + j + ")");
                        if (relu) {
                            assertTrue(c.getDouble(i, j) >= 0);
                        }
                    }
                }
            }
        }
        INDArray fOrder = Nd4j.create(DataType.FLOAT, new long[]{m, n}, 'f');
        assertThrows(IllegalArgumentException.class, () -> Bf16Gemm.gemmBias(a, w, bias, fOrder, false, true, false));
        assertThrows(IllegalArgumentException.class,
                () -> Bf16Gemm.gemmBias(a, w, bias.get(NDArrayIndex.interval(0, n - 1)), Nd4j.create(DataType.FLOAT,
                        new long[]{m, n}, 'c'), false, true, false));
    }

    /** The ReLU's backward step zeroes exactly the gradients where the activation is not positive, in place. */
    @Test
    void reluBackwardMasksInPlace() {
        assumeBf16();
        SplittableRandom r = new SplittableRandom(11);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.BFLOAT16}) {
            INDArray act = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarMax(
                    random(r, 33, 17, 'c'), 0.0)).castTo(type);
            INDArray grad = random(r, 33, 17, 'c').castTo(type);
            INDArray before = grad.dup();
            OneDnnRelu.backward(act, grad);
            for (int i = 0; i < 33; i++) {
                for (int j = 0; j < 17; j++) {
                    double expected = act.getDouble(i, j) > 0 ? before.getDouble(i, j) : 0.0;
                    assertEquals(expected, grad.getDouble(i, j), 0.0, type + " (" + i + ", " + j + ")");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> OneDnnRelu.backward(Nd4j.create(DataType.FLOAT, 3, 4),
                Nd4j.create(DataType.FLOAT, 4, 3)));
    }

    @Test
    void shapesMustFit() {
        assumeBf16();
        INDArray a = Nd4j.create(DataType.FLOAT, new long[]{3, 4}, 'f');
        INDArray c = Nd4j.create(DataType.FLOAT, new long[]{3, 3}, 'f');
        assertThrows(IllegalArgumentException.class, () -> Bf16Gemm.gemm(a, a, c, false, false, 1, 0));
    }

    private static INDArray random(SplittableRandom r, int rows, int cols) {
        return random(r, rows, cols, 'f');
    }

    private static INDArray random(SplittableRandom r, int rows, int cols, char order) {
        INDArray x = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, order);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x.putScalar(i, j, (float) (r.nextDouble() * 2 - 1));
            }
        }
        return x;
    }
}
