package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.calql.spi.Activation;
import org.calql.spi.Backend;
import org.calql.spi.BoundRows;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Precision;
import org.calql.spi.Workspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bfloat16 network against the float32 network with the same parameters: forward, parameter gradients and input
 * gradients, through host arrays and through staged rows, for every pass shape of {@link Nd4jNetworkTest} and for
 * plain ReLU (activations row by row in bfloat16, see {@link Nd4jWorkspace}) as well as LayerNorm and tanh networks
 * (f-order float32 activations). Norm-wise, {@code ‖bf16 − fp32‖ ≤ tol·‖fp32‖}: bfloat16 keeps 8 significant bits
 * (2⁻⁹ relative per rounded input); measured on these shapes, with the f-order bf16 passes this layout replaced
 * and with the row-by-row ones alike, outputs are off by at most 0.6 % and gradients by at most 7 % (a gradient
 * sums signed terms over the rows, and cancellation magnifies their rounding), so the tolerances are 2 % and 15 %;
 * a wrong index or layout is off by the whole norm. Skips, saying why, where the CPU has no bfloat16 products.
 */
class Bf16NetworkTest {
    /** Norm-wise, for the outputs. */
    private static final double FORWARD_TOLERANCE = 0.02;
    /** Norm-wise, for gradients (sums over rows of signed terms: cancellation magnifies the rounding). */
    private static final double GRADIENT_TOLERANCE = 0.15;

    record Spec(String name, NetworkSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Object[]> cases() {
        Stream.Builder<Object[]> all = Stream.builder();
        for (Nd4jNetworkTest.Case c : Nd4jNetworkTest.cases().toList()) {
            all.add(new Object[] {c, new Spec("relu", c.spec())});
            if (c.hidden().length > 0) {
                all.add(new Object[] {c, new Spec("layernorm-tanh", NetworkSpec.builder(c.inputDim(), c.outputDim())
                        .hidden(c.hidden()).layerNorm(true).activation(Activation.TANH).build())});
            }
        }
        return all.build();
    }

    /** Forward, backward into all three gradients; host arrays or staged rows. */
    record Pass(double[] out, double[][] gradients, double[] gradHead, double[] gradTail) {
    }

    static Pass run(Backend backend, NetworkSpec spec, double[][] params, Nd4jNetworkTest.Case c,
                            double[] head, double[] tail, double[] gradOut, boolean staged) {
        Network net = backend.createNetwork(spec);
        net.importParameters(params);
        Workspace ws = net.newWorkspace(c.rows());
        double[] out = new double[c.rows() * c.outputDim()];
        if (staged) {
            BoundRows h = backend.bindRows(c.groups(), c.headDim());
            h.load(head, c.groups());
            BoundRows t = null;
            if (c.tailDim() > 0) {
                t = backend.bindRows(c.rows(), c.tailDim());
                t.load(tail, c.rows());
            }
            net.forward(ws, h, t, c.groupSize(), out);
        } else {
            net.forward(ws, head, tail, c.tailDim(), c.groups(), c.groupSize(), out);
        }
        ParameterGradients g = net.newGradients();
        double[] gradHead = new double[c.groups() * c.headDim()];
        double[] gradTail = new double[c.rows() * c.tailDim()];
        net.backward(ws, gradOut, g, gradHead, gradTail);
        return new Pass(out, g.export(), gradHead, gradTail);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void agreesWithFloat32(Nd4jNetworkTest.Case c, Spec spec) {
        Bf16GemmTest.assumeBf16();
        SplittableRandom rng = new SplittableRandom(5);
        NetworkSpec s = spec.spec();
        double[][] params = Nd4jBackend.create().createNetwork(s).exportParameters();
        double[][] random = Nd4jNetworkTest.randomParameters(c.spec(), rng);
        for (int l = 0; l < s.layerCount(); l++) {
            params[s.weightArray(l)] = random[2 * l];
            params[s.biasArray(l)] = random[2 * l + 1];
            if (s.layerNorm() && l < s.layerCount() - 1) {
                for (int i = 0; i < params[s.gainArray(l)].length; i++) {
                    params[s.gainArray(l)][i] = 1 + 0.1 * rng.nextGaussian();
                    params[s.shiftArray(l)][i] = 0.1 * rng.nextGaussian();
                }
            }
        }
        double[] head = Nd4jNetworkTest.gaussian(rng, c.groups() * c.headDim());
        double[] tail = c.tailDim() == 0 ? null : Nd4jNetworkTest.gaussian(rng, c.rows() * c.tailDim());
        double[] gradOut = Nd4jNetworkTest.gaussian(rng, c.rows() * c.outputDim());
        Backend fp32 = Nd4jBackend.create();
        Backend bf16 = fp32.withPrecision(Precision.BF16);
        // Staged rows need a head, and a tail where groups have more than one row.
        boolean stageable = c.headDim() > 0 && (c.tailDim() > 0 || c.groupSize() == 1);
        for (boolean staged : stageable ? new boolean[] {false, true} : new boolean[] {false}) {
            String how = staged ? "staged " : "host ";
            Pass expected = run(fp32, s, params, c, head, tail, gradOut, staged);
            Pass actual = run(bf16, s, params, c, head, tail, gradOut, staged);
            double forward = relativeError(expected.out, actual.out);
            assertTrue(forward <= FORWARD_TOLERANCE, how + "forward off by " + forward);
            assertTrue(forward > 0, how + "forward identical to float32: bf16 did not run");
            for (int i = 0; i < expected.gradients.length; i++) {
                double e = relativeError(expected.gradients[i], actual.gradients[i]);
                assertTrue(e <= GRADIENT_TOLERANCE, how + "parameter gradient array " + i + " off by " + e);
                assertTrue(norm(expected.gradients[i]) > 0 || i == s.biasArray(s.layerCount() - 1) || norm(actual.gradients[i]) == 0,
                        how + "parameter gradient array " + i + " is zero in float32 only");
            }
            double h = relativeError(expected.gradHead, actual.gradHead);
            assertTrue(h <= GRADIENT_TOLERANCE, how + "gradHead off by " + h);
            double t = relativeError(expected.gradTail, actual.gradTail);
            assertTrue(t <= GRADIENT_TOLERANCE, how + "gradTail off by " + t);
        }
    }

    static double norm(double[] x) {
        double n = 0;
        for (double v : x) {
            n += v * v;
        }
        return Math.sqrt(n);
    }

    /** {@code ‖actual − expected‖ / ‖expected‖} (0 for two empty or zero arrays). */
    static double relativeError(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
}
