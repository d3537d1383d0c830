package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.spi.NetworkSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Float32 plain-ReLU networks multiply on oneDNN row by row by default and on OpenBLAS with
 * {@value Nd4jNetwork#FP32_PRODUCTS_PROPERTY}{@code =openblas}; both are float32 throughout, so they agree to float32
 * rounding (norm-wise 1e-5; the accumulation order differs), and networks with other activations never change
 * layout. The oneDNN cases skip, saying why, where oneDNN's float32 matmul cannot run.
 */
class Fp32ProductsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Nd4jNetwork.FP32_PRODUCTS_PROPERTY);
    }

    private static void assumeOneDnn() {
        Bf16Gemm.fp32UnavailableReason().ifPresent(r -> System.out.println("Skipping oneDNN float32 test: " + r));
        Assumptions.assumeTrue(Bf16Gemm.fp32UnavailableReason().isEmpty(), "oneDNN float32 products unavailable");
    }

    /** A critic-shaped pass (6 states × 11 actions) on the ND4J backend as the property now chooses. */
    private static Bf16NetworkTest.Pass run(double[][] params) {
        Nd4jNetworkTest.Case c = new Nd4jNetworkTest.Case(37, new int[] {64, 64, 64}, 1, 8, 6, 11);
        SplittableRandom rng = new SplittableRandom(3);
        double[] head = Nd4jNetworkTest.gaussian(rng, c.groups() * c.headDim());
        double[] tail = Nd4jNetworkTest.gaussian(rng, c.rows() * c.tailDim());
        double[] gradOut = Nd4jNetworkTest.gaussian(rng, c.rows());
        return Bf16NetworkTest.run(Nd4jBackend.create(), c.spec(), params, c, head, tail, gradOut, false);
    }

    @Test
    void oneDnnAndOpenBlasAgreeToFloat32Rounding() {
        assumeOneDnn();
        NetworkSpec spec = NetworkSpec.of(37, new int[] {64, 64, 64}, 1);
        double[][] params = Nd4jNetworkTest.randomParameters(spec, new SplittableRandom(8));
        assertTrue(((Nd4jNetwork) Nd4jBackend.create().createNetwork(spec)).rowMajor(), "oneDNN is the default");
        Bf16NetworkTest.Pass oneDnn = run(params);
        System.setProperty(Nd4jNetwork.FP32_PRODUCTS_PROPERTY, "openblas");
        assertFalse(((Nd4jNetwork) Nd4jBackend.create().createNetwork(spec)).rowMajor());
        Bf16NetworkTest.Pass openBlas = run(params);
        double forward = Bf16NetworkTest.relativeError(openBlas.out(), oneDnn.out());
        assertTrue(forward <= 1e-5, "forward off by " + forward);
        for (int i = 0; i < openBlas.gradients().length; i++) {
            double e = Bf16NetworkTest.relativeError(openBlas.gradients()[i], oneDnn.gradients()[i]);
            assertTrue(e <= 1e-5, "parameter gradient array " + i + " off by " + e);
        }
        assertTrue(Bf16NetworkTest.relativeError(openBlas.gradHead(), oneDnn.gradHead()) <= 1e-5, "gradHead");
        assertTrue(Bf16NetworkTest.relativeError(openBlas.gradTail(), oneDnn.gradTail()) <= 1e-5, "gradTail");
    }

    @Test
    void otherActivationsKeepTheOpenBlasLayout() {
        NetworkSpec tanh = NetworkSpec.builder(5, 2).hidden(8).activation(org.calql.spi.Activation.TANH).build();
        assertFalse(((Nd4jNetwork) Nd4jBackend.create().createNetwork(tanh)).rowMajor());
    }

    @Test
    void anUnknownChoiceIsRefusedNamingPropertyAndValue() {
        System.setProperty(Nd4jNetwork.FP32_PRODUCTS_PROPERTY, "mkl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jBackend.create().createNetwork(NetworkSpec.of(3, new int[] {4}, 1)));
        assertTrue(e.getMessage().contains(Nd4jNetwork.FP32_PRODUCTS_PROPERTY) && e.getMessage().contains("'mkl'"),
                e.getMessage());
        assertEquals("calql.nd4j.fp32Products", Nd4jNetwork.FP32_PRODUCTS_PROPERTY);
    }
}
