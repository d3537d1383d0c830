package org.calql.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.calql.testing.Richardson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every backend keeps, checked against the plain-Java backend (the oracle, found as
 * {@code Backends.named("java")}): forward (plain and grouped), backward (parameter gradients,
 * gradHead, gradTail, each optional), Adam, copy and soft update, parameter and optimizer-state export
 * and import, over several shapes including one-row batches, every {@link Activation} and LayerNorm;
 * and backward against central differences of the backend's own forward pass (a jqwik property).
 *
 * <p>A backend module subclasses this class in its tests and supplies {@link #backend()} and
 * {@link #tolerance()} (and, for a float32 backend, the finite-difference settings). Values are compared
 * norm-wise: {@code max|actual − expected| <= tolerance · max|expected|} over each array.
 */
public abstract class AbstractBackendContractTest {
    /** The backend under test. */
    protected abstract Backend backend();

    /** Norm-wise relative tolerance: about 1e-9 for a float64 backend, 1e-4 for a float32 one. */
    protected abstract double tolerance();

    /** The reference every backend is compared with. */
    protected static Backend oracle() {
        return Backends.named("java");
    }

    /**
     * Relative part of the central-difference tolerance: a gradient passes when
     * {@code |backward − difference| <= relative·|difference| + absolute·(1 + Σ|gradOutput·output|)}; 1e-6 by default.
     */
    protected double finiteDifferenceRelative() {
        return 1e-6;
    }

    /** Absolute part of the central-difference tolerance, per unit of the loss's scale; 1e-8 by default. */
    protected double finiteDifferenceAbsolute() {
        return 1e-8;
    }

    /**
     * The narrowest LayerNorm layer {@link #backwardMatchesCentralDifferences} draws: 1 by default. Backward through
     * a LayerNorm over two units is ill-conditioned: its gradient grows as {@code 1/σ} when the two inputs nearly
     * coincide, and a float32 backend's rounding of the centred values ({@code |z|·2⁻²⁴}) grows with it (an ND4J
     * case: −34.76 against the float64 difference's −34.61). Such a backend checks width ≥ 3 and leaves width 2 to
     * the float64 backends, where the same property runs on it.
     */
    protected int narrowestLayerNormWidth() {
        return 1;
    }

    /** A network shape and a batch layout. */
    protected record Shape(int inputDim, int[] hidden, int outputDim, int tailDim, int groups, int groupSize,
                           Activation activation, boolean layerNorm) {
        Shape(int inputDim, int[] hidden, int outputDim, int tailDim, int groups, int groupSize) {
            this(inputDim, hidden, outputDim, tailDim, groups, groupSize, Activation.RELU, false);
        }

        NetworkSpec spec() {
            return NetworkSpec.builder(inputDim, outputDim).hidden(hidden).activation(activation)
                    .layerNorm(layerNorm).build();
        }

        int rows() {
            return groups * groupSize;
        }

        int headDim() {
            return inputDim - tailDim;
        }

        @Override
        public String toString() {
            return inputDim + "->" + Arrays.toString(hidden) + "->" + outputDim + " " + activation
                    + (layerNorm ? "+LayerNorm" : "") + " tail=" + tailDim + " groups=" + groups + "x" + groupSize;
        }
    }

    /**
     * Shapes every test runs over: linear, policy-like, critic-like, one-row batches, an empty head; ReLU
     * without LayerNorm, then every activation with and without LayerNorm.
     */
    protected static Stream<Shape> shapes() {
        return Stream.of(
                new Shape(3, new int[0], 1, 0, 1, 1),
                new Shape(5, new int[] {4}, 3, 1, 1, 1),
                new Shape(5, new int[] {7}, 2, 2, 4, 3),
                new Shape(6, new int[] {16, 16}, 1, 2, 5, 4),
                new Shape(4, new int[] {8, 8, 8}, 6, 0, 9, 1),
                new Shape(2, new int[] {3}, 1, 2, 2, 2),
                new Shape(37, new int[] {64, 64}, 1, 8, 3, 11),
                new Shape(29, new int[] {32, 32, 32}, 16, 0, 1, 1),
                new Shape(5, new int[] {4}, 3, 1, 1, 1, Activation.ELU, true),
                new Shape(5, new int[] {7}, 2, 2, 4, 3, Activation.TANH, true),
                new Shape(6, new int[] {16, 16}, 1, 2, 5, 4, Activation.RELU, true),
                new Shape(4, new int[] {8, 8, 8}, 6, 0, 9, 1, Activation.ELU, false),
                new Shape(2, new int[] {3}, 1, 2, 2, 2, Activation.SILU, false),
                new Shape(4, new int[] {6, 5}, 2, 0, 3, 1, Activation.TANH, false),
                new Shape(37, new int[] {64, 64}, 1, 8, 3, 11, Activation.SILU, true));
    }

    /**
     * Random parameters with healthy activations (weights ~ N(0, 1.5/in), biases ~ N(0, 0.01)); with
     * LayerNorm, gains ~ 1 + N(0, 0.09) and shifts ~ N(0, 0.01), so that neither is at its initial value.
     */
    protected static double[][] randomParameters(NetworkSpec spec, SplittableRandom rng) {
        double[][] p = new double[spec.parameterArrayCount()][];
        for (int l = 0; l < spec.layerCount(); l++) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            double scale = Math.sqrt(1.5 / in);
            p[spec.weightArray(l)] = gaussian(rng, in * out, scale);
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

    /** {@code n} values {@code N(0, scale²)} from a simple Box–Muller transform. */
    protected static double[] gaussian(SplittableRandom rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            v[i] = scale * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
        }
        return v;
    }

    /** {@code n} Gaussian values followed by {@code padding} NaNs, which a backend must not read. */
    private static double[] padded(SplittableRandom rng, int n, int padding) {
        double[] v = Arrays.copyOf(gaussian(rng, n, 1.0), n + padding);
        Arrays.fill(v, n, n + padding, Double.NaN);
        return v;
    }

    private Network[] pair(Shape shape, long seed) {
        NetworkSpec spec = shape.spec();
        double[][] params = randomParameters(spec, new SplittableRandom(seed));
        Network expected = oracle().createNetwork(spec);
        Network actual = backend().createNetwork(spec);
        expected.importParameters(params);
        actual.importParameters(params);
        return new Network[] {expected, actual};
    }

    /** Fails unless {@code max|actual − expected| <= tolerance · max|expected|} over the first {@code n} values. */
    protected void assertClose(String what, double[] expected, double[] actual, int n) {
        double scale = Double.MIN_NORMAL;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double limit = tolerance() * scale;
        for (int i = 0; i < n; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            if (!(error <= limit)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", found " + actual[i] + " (error " + error
                        + " > tolerance " + tolerance() + " x max|expected| " + scale + ")");
            }
        }
    }

    /** {@link #assertClose(String, double[], double[], int)} for every array of two parameter layouts. */
    protected void assertClose(String what, double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length, what + ": number of arrays");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + "[" + i + "]: length");
            assertClose(what + "[" + i + "]", expected[i], actual[i], expected[i].length);
        }
    }

    @Test
    void backendHasAName() {
        Backend backend = backend();
        assertFalse(backend.name() == null || backend.name().isBlank(), "backend name must not be blank");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void newNetworkHasZeroParameters(Shape shape) {
        Network network = backend().createNetwork(shape.spec());
        assertEquals(shape.spec(), network.spec());
        double[][] params = network.exportParameters();
        shape.spec().checkParameterLayout(params);
        for (double[] array : params) {
            for (double v : array) {
                assertEquals(0.0, v, "a new network's parameters are zero");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardMatchesOracle(Shape shape) {
        Network[] nets = pair(shape, 11);
        SplittableRandom rng = new SplittableRandom(12);
        int rows = shape.rows();
        int outDim = shape.outputDim();
        double[] head = padded(rng, shape.groups() * shape.headDim(), 3);
        double[] tail = shape.tailDim() == 0 ? null : padded(rng, rows * shape.tailDim(), 3);
        double[][] outs = new double[2][];
        for (int k = 0; k < 2; k++) {
            Workspace ws = nets[k].newWorkspace(rows + 5);
            assertEquals(rows + 5, ws.maxRows());
            outs[k] = new double[rows * outDim + 4];
            Arrays.fill(outs[k], rows * outDim, outs[k].length, 12345.0);
            nets[k].forward(ws, head, tail, shape.tailDim(), shape.groups(), shape.groupSize(), outs[k]);
            for (int i = rows * outDim; i < outs[k].length; i++) {
                assertEquals(12345.0, outs[k][i], "forward must not write beyond rows x outputDim");
            }
        }
        assertClose("grouped forward " + shape, outs[0], outs[1], rows * outDim);

        // the plain forward of the explicitly concatenated input gives the same values
        double[] input = concatenate(shape, head, tail);
        double[] plain = new double[rows * outDim];
        Workspace ws = nets[1].newWorkspace(rows);
        nets[1].forward(ws, input, rows, plain);
        assertClose("plain forward of the concatenated input " + shape, outs[0], plain, rows * outDim);
    }

    /** Input rows {@code concat(head[r / groupSize], tail[r])}. */
    protected static double[] concatenate(Shape shape, double[] head, double[] tail) {
        int rows = shape.rows();
        int inputDim = shape.inputDim();
        int headDim = shape.headDim();
        int tailDim = shape.tailDim();
        double[] input = new double[rows * inputDim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(head, (r / shape.groupSize()) * headDim, input, r * inputDim, headDim);
            if (tailDim > 0) {
                System.arraycopy(tail, r * tailDim, input, r * inputDim + headDim, tailDim);
            }
        }
        return input;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void backwardMatchesOracle(Shape shape) {
        Network[] nets = pair(shape, 21);
        SplittableRandom rng = new SplittableRandom(22);
        int rows = shape.rows();
        int outDim = shape.outputDim();
        double[] head = padded(rng, shape.groups() * shape.headDim(), 2);
        double[] tail = shape.tailDim() == 0 ? null : padded(rng, rows * shape.tailDim(), 2);
        double[] gradOut1 = padded(rng, rows * outDim, 2);
        double[] gradOut2 = gaussian(rng, rows * outDim, 1.0);
        double[][][] grads = new double[2][][];
        double[][] gradHeads = new double[2][];
        double[][] gradTails = new double[2][];
        for (int k = 0; k < 2; k++) {
            Network net = nets[k];
            Workspace ws = net.newWorkspace(rows);
            double[] out = new double[rows * outDim];
            ParameterGradients g = net.newGradients();
            net.forward(ws, head, tail, shape.tailDim(), shape.groups(), shape.groupSize(), out);
            net.backward(ws, gradOut1, g, null, null);
            // a second backward adds to the gradients and fills gradHead and gradTail (overwriting them)
            gradHeads[k] = new double[shape.groups() * shape.headDim() + 2];
            gradTails[k] = new double[rows * shape.tailDim() + 2];
            Arrays.fill(gradHeads[k], 7.0);
            Arrays.fill(gradTails[k], 7.0);
            net.backward(ws, gradOut2, g, gradHeads[k], gradTails[k]);
            grads[k] = g.export();
            assertEquals(7.0, gradHeads[k][gradHeads[k].length - 1], "gradHead beyond groups x headDim is untouched");
            assertEquals(7.0, gradTails[k][gradTails[k].length - 1], "gradTail beyond rows x tailDim is untouched");
        }
        assertClose("parameter gradients " + shape, grads[0], grads[1]);
        assertClose("gradHead " + shape, gradHeads[0], gradHeads[1], shape.groups() * shape.headDim());
        assertClose("gradTail " + shape, gradTails[0], gradTails[1], rows * shape.tailDim());

        // each output is optional: input gradients alone, parameter gradients untouched
        Network net = nets[1];
        Workspace ws = net.newWorkspace(rows);
        double[] out = new double[rows * outDim];
        net.forward(ws, head, tail, shape.tailDim(), shape.groups(), shape.groupSize(), out);
        double[] onlyTail = new double[rows * shape.tailDim()];
        net.backward(ws, gradOut2, null, null, onlyTail);
        assertClose("gradTail alone " + shape, gradTails[0], onlyTail, onlyTail.length);
        double[] onlyHead = new double[shape.groups() * shape.headDim()];
        net.backward(ws, gradOut2, null, onlyHead, null);
        assertClose("gradHead alone " + shape, gradHeads[0], onlyHead, onlyHead.length);
        ParameterGradients onlyParams = net.newGradients();
        net.backward(ws, gradOut1, onlyParams, null, null);
        net.backward(ws, gradOut2, onlyParams, null, null);
        assertClose("parameter gradients alone " + shape, grads[0], onlyParams.export());
        net.backward(ws, gradOut2, null, null, null);
    }

    /**
     * A forward on rows staged through {@link Backend#bindRows} (this backend's, and the host rows of another
     * backend) gives exactly the host-array forward's outputs, and its backward exactly the same parameter, head
     * and tail gradients: staging changes where the input lives, never a bit of the result.
     */
    @ParameterizedTest
    @MethodSource("shapes")
    void boundForwardAndBackwardEqualTheHostArrayPassesBitForBit(Shape shape) {
        Network net = pair(shape, 41)[1];
        SplittableRandom rng = new SplittableRandom(42);
        int rows = shape.rows();
        int outDim = shape.outputDim();
        double[] head = gaussian(rng, shape.groups() * shape.headDim(), 1.0);
        double[] tail = shape.tailDim() == 0 ? null : gaussian(rng, rows * shape.tailDim(), 1.0);
        double[] gradOut = gaussian(rng, rows * outDim, 1.0);

        Workspace ws = net.newWorkspace(rows);
        double[] expectedOut = new double[rows * outDim];
        net.forward(ws, head, tail, shape.tailDim(), shape.groups(), shape.groupSize(), expectedOut);
        ParameterGradients expectedGrads = net.newGradients();
        double[] expectedHead = new double[head.length];
        double[] expectedTail = new double[rows * shape.tailDim()];
        net.backward(ws, gradOut, expectedGrads, expectedHead, expectedTail);

        for (Backend binder : List.of(backend(), oracle())) {
            // more room than needed, and garbage staged first: only the last staging counts
            BoundRows headRows = binder.bindRows(shape.groups() + 2, shape.headDim());
            BoundRows tailRows = shape.tailDim() == 0 ? null : binder.bindRows(rows + 3, shape.tailDim());
            Arrays.fill(headRows.values(), 99.0);
            headRows.stage(headRows.maxRows());
            headRows.load(head, shape.groups());
            assertEquals(shape.groups(), headRows.rows());
            if (tailRows != null) {
                System.arraycopy(tail, 0, tailRows.values(), 0, tail.length);
                tailRows.stage(rows);
            }
            Workspace bound = net.newWorkspace(rows);
            double[] out = new double[rows * outDim];
            net.forward(bound, headRows, tailRows, shape.groupSize(), out);
            String what = shape + " staged by " + binder.name();
            assertArrayEquals(expectedOut, out, "bound forward " + what);
            ParameterGradients grads = net.newGradients();
            double[] gradHead = new double[head.length];
            double[] gradTail = new double[rows * shape.tailDim()];
            net.backward(bound, gradOut, grads, gradHead, gradTail);
            double[][] expected = expectedGrads.export();
            double[][] actual = grads.export();
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], actual[i], "parameter gradients [" + i + "] " + what);
            }
            assertArrayEquals(expectedHead, gradHead, "gradHead " + what);
            assertArrayEquals(expectedTail, gradTail, "gradTail " + what);
        }
    }

    @Test
    void boundForwardRejectsRowsThatDoNotFit() {
        Network net = backend().createNetwork(NetworkSpec.builder(5, 1).hidden(4).build());
        Workspace ws = net.newWorkspace(6);
        BoundRows head = backend().bindRows(3, 3);
        BoundRows tail = backend().bindRows(6, 2);
        head.stage(3);
        tail.stage(5);
        double[] out = new double[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(ws, head, tail, 2, out));
        assertTrue(e.getMessage().contains("tail rows must be head rows × groupSize = 3 × 2, found 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(ws, head, backend().bindRows(6, 1), 2, out));
        assertTrue(e.getMessage().contains("inputDim 5, found 3 + 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> head.stage(4));
        assertTrue(e.getMessage().contains("rows must be in [0, 3], found 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> head.load(new double[8], 3));
        assertTrue(e.getMessage().contains("at least 9 values, found 8"), e.getMessage());
        tail.stage(6);
        Workspace small = net.newWorkspace(5);
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(small, head, tail, 2, out));
        assertTrue(e.getMessage().contains("maxRows") && e.getMessage().contains("5"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void oneWorkspaceServesBatchesOfEverySizeUpToItsMaximum(Shape shape) {
        Network[] nets = pair(shape, 31);
        SplittableRandom rng = new SplittableRandom(32);
        int maxRows = shape.rows();
        Workspace shared = nets[1].newWorkspace(maxRows);
        for (int groups = shape.groups(); groups >= 1; groups = groups / 2) {
            int rows = groups * shape.groupSize();
            double[] head = gaussian(rng, groups * shape.headDim(), 1.0);
            double[] tail = shape.tailDim() == 0 ? null : gaussian(rng, rows * shape.tailDim(), 1.0);
            double[] gradOut = gaussian(rng, rows * shape.outputDim(), 1.0);
            double[] expectedOut = new double[rows * shape.outputDim()];
            double[] expectedTail = new double[rows * shape.tailDim()];
            Workspace fresh = nets[0].newWorkspace(rows);
            nets[0].forward(fresh, head, tail, shape.tailDim(), groups, shape.groupSize(), expectedOut);
            nets[0].backward(fresh, gradOut, null, null, expectedTail);
            double[] out = new double[rows * shape.outputDim()];
            double[] gradTail = new double[rows * shape.tailDim()];
            nets[1].forward(shared, head, tail, shape.tailDim(), groups, shape.groupSize(), out);
            nets[1].backward(shared, gradOut, null, null, gradTail);
            assertClose("forward with " + groups + " groups " + shape, expectedOut, out, out.length);
            assertClose("gradTail with " + groups + " groups " + shape, expectedTail, gradTail, gradTail.length);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardRejectsMoreRowsThanTheWorkspaceHolds(Shape shape) {
        Network net = backend().createNetwork(shape.spec());
        int rows = shape.rows();
        double[] head = new double[shape.groups() * shape.headDim()];
        double[] tail = new double[rows * shape.tailDim()];
        double[] out = new double[rows * shape.outputDim()];
        if (rows > 1) {
            Workspace ws = net.newWorkspace(rows - 1);
            assertThrows(IllegalArgumentException.class, () -> net.forward(ws, head,
                    shape.tailDim() == 0 ? null : tail, shape.tailDim(), shape.groups(), shape.groupSize(), out));
        }
        Workspace big = net.newWorkspace(rows);
        assertThrows(IllegalArgumentException.class, () -> net.forward(big, head,
                shape.tailDim() == 0 ? null : tail, shape.tailDim(), shape.groups(), shape.groupSize(),
                new double[rows * shape.outputDim() - 1]));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void adamMatchesOracle(Shape shape) {
        Network[] nets = pair(shape, 41);
        Optimizer[] adams = {nets[0].newAdam(), nets[1].newAdam()};
        int rows = shape.rows();
        double[] learningRates = {1e-2, 3e-3, 1e-3, 5e-3};
        for (int step = 0; step < learningRates.length; step++) {
            SplittableRandom rng = new SplittableRandom(42 + step);
            double[] head = gaussian(rng, shape.groups() * shape.headDim(), 1.0);
            double[] tail = shape.tailDim() == 0 ? null : gaussian(rng, rows * shape.tailDim(), 1.0);
            double[] gradOut = gaussian(rng, rows * shape.outputDim(), 1.0);
            for (int k = 0; k < 2; k++) {
                Workspace ws = nets[k].newWorkspace(rows);
                ParameterGradients g = nets[k].newGradients();
                nets[k].forward(ws, head, tail, shape.tailDim(), shape.groups(), shape.groupSize(),
                        new double[rows * shape.outputDim()]);
                nets[k].backward(ws, gradOut, g, null, null);
                adams[k].step(g, learningRates[step]);
            }
            assertClose("parameters after Adam step " + (step + 1) + " " + shape, nets[0].exportParameters(),
                    nets[1].exportParameters());
        }
        AdamState expected = adams[0].exportState();
        AdamState actual = adams[1].exportState();
        assertEquals(expected.steps(), actual.steps(), "Adam steps");
        assertClose("Adam first moment " + shape, expected.firstMoment(), actual.firstMoment());
        assertClose("Adam second moment " + shape, expected.secondMoment(), actual.secondMoment());
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void adamStateRoundTripsAndContinuesIdentically(Shape shape) {
        NetworkSpec spec = shape.spec();
        double[][] params = randomParameters(spec, new SplittableRandom(51));
        Network net = backend().createNetwork(spec);
        net.importParameters(params);
        Optimizer adam = net.newAdam();
        SplittableRandom rng = new SplittableRandom(52);
        int rows = shape.rows();
        double[] input = gaussian(rng, rows * shape.inputDim(), 1.0);
        double[] gradOut = gaussian(rng, rows * shape.outputDim(), 1.0);
        Workspace ws = net.newWorkspace(rows);
        ParameterGradients g = net.newGradients();
        net.forward(ws, input, rows, new double[rows * shape.outputDim()]);
        net.backward(ws, gradOut, g, null, null);
        adam.step(g, 1e-2);
        adam.step(g, 1e-2);
        AdamState state = adam.exportState();
        assertEquals(2, state.steps());

        // exported state is a copy
        state.firstMoment()[0][0] += 1.0;
        assertFalse(adam.exportState().firstMoment()[0][0] == state.firstMoment()[0][0],
                "exportState must return a copy");
        state.firstMoment()[0][0] -= 1.0;

        Network twin = backend().createNetwork(spec);
        twin.copyParametersFrom(net);
        Optimizer twinAdam = twin.newAdam();
        twinAdam.importState(state);
        adam.step(g, 1e-2);
        twinAdam.step(g, 1e-2);
        assertClose("parameters after imported Adam state", net.exportParameters(), twin.exportParameters());
        assertEquals(3, twinAdam.exportState().steps());

        AdamState before = twinAdam.exportState();
        double[][] wrong = Arrays.copyOf(before.firstMoment(), before.firstMoment().length - 1);
        assertThrows(IllegalArgumentException.class,
                () -> twinAdam.importState(new AdamState(5, wrong, before.secondMoment())));
        AdamState after = twinAdam.exportState();
        assertEquals(before.steps(), after.steps(), "a rejected import leaves the steps");
        assertClose("first moment after a rejected import", before.firstMoment(), after.firstMoment());
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void softUpdateAndCopyMatchOracle(Shape shape) {
        NetworkSpec spec = shape.spec();
        double[][] targetParams = randomParameters(spec, new SplittableRandom(61));
        double[][] sourceParams = randomParameters(spec, new SplittableRandom(62));
        double[][][] results = new double[2][][];
        Backend[] backends = {oracle(), backend()};
        for (int k = 0; k < 2; k++) {
            Network target = backends[k].createNetwork(spec);
            Network source = backends[k].createNetwork(spec);
            target.importParameters(targetParams);
            source.importParameters(sourceParams);
            target.softUpdateFrom(source, 5e-3);
            target.softUpdateFrom(source, 0.25);
            results[k] = target.exportParameters();
            assertClose("source after being read by a soft update", sourceParams, source.exportParameters());

            // the updated parameters are the ones forward uses
            Network copy = backends[k].createNetwork(spec);
            copy.copyParametersFrom(target);
            assertClose("copyParametersFrom", results[k], copy.exportParameters());
            int rows = shape.rows();
            double[] input = gaussian(new SplittableRandom(63), rows * shape.inputDim(), 1.0);
            double[] a = new double[rows * shape.outputDim()];
            double[] b = new double[rows * shape.outputDim()];
            target.forward(target.newWorkspace(rows), input, rows, a);
            copy.forward(copy.newWorkspace(rows), input, rows, b);
            assertClose("forward of a copied network", a, b, a.length);
        }
        assertClose("soft update " + shape, results[0], results[1]);

        Network target = backend().createNetwork(spec);
        Network source = backend().createNetwork(spec);
        target.importParameters(targetParams);
        source.importParameters(sourceParams);
        target.softUpdateFrom(source, 1.0);
        assertClose("soft update with tau = 1", sourceParams, target.exportParameters());
        target.importParameters(targetParams);
        target.softUpdateFrom(source, 0.0);
        assertClose("soft update with tau = 0", targetParams, target.exportParameters());
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void parametersRoundTripAndExportIsACopy(Shape shape) {
        NetworkSpec spec = shape.spec();
        double[][] params = randomParameters(spec, new SplittableRandom(71));
        Network net = backend().createNetwork(spec);
        net.importParameters(params);
        double[][] exported = net.exportParameters();
        assertClose("exported parameters", params, exported);
        exported[0][0] += 1.0;
        assertClose("parameters after mutating an export", params, net.exportParameters());
        params[0][0] += 1.0;
        assertFalse(net.exportParameters()[0][0] == params[0][0], "importParameters must copy its argument");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void importRejectsBadLayoutsAndChangesNothing(Shape shape) {
        NetworkSpec spec = shape.spec();
        double[][] params = randomParameters(spec, new SplittableRandom(81));
        Network net = backend().createNetwork(spec);
        net.importParameters(params);
        double[][] before = net.exportParameters();

        double[][] tooFew = Arrays.copyOf(params, params.length - 1);
        double[][] shortLastBias = DeepCopy.of(params);
        shortLastBias[params.length - 1] = new double[spec.outputDim() + 1];
        double[][] nullWeight = DeepCopy.of(params);
        nullWeight[0] = null;
        double[][] longWeight = DeepCopy.of(params);
        longWeight[0] = new double[params[0].length + 1];
        for (double[][] bad : new double[][][] {null, tooFew, shortLastBias, nullWeight, longWeight}) {
            assertThrows(IllegalArgumentException.class, () -> net.importParameters(bad));
            assertClose("parameters after a rejected import", before, net.exportParameters());
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gradientsZeroScaleAndExport(Shape shape) {
        Network[] nets = pair(shape, 91);
        SplittableRandom rng = new SplittableRandom(92);
        int rows = shape.rows();
        double[] input = gaussian(rng, rows * shape.inputDim(), 1.0);
        double[] gradOut = gaussian(rng, rows * shape.outputDim(), 1.0);
        double[][][] exported = new double[2][][];
        for (int k = 0; k < 2; k++) {
            ParameterGradients g = nets[k].newGradients();
            for (double[] array : g.export()) {
                for (double v : array) {
                    assertEquals(0.0, v, "new gradients are zero");
                }
            }
            Workspace ws = nets[k].newWorkspace(rows);
            nets[k].forward(ws, input, rows, new double[rows * shape.outputDim()]);
            nets[k].backward(ws, gradOut, g, null, null);
            g.scale(-0.5);
            exported[k] = g.export();
            exported[k][0][0] += 100.0;
            assertFalse(g.export()[0][0] == exported[k][0][0], "export must return a copy");
            exported[k][0][0] -= 100.0;
            g.zero();
            for (double[] array : g.export()) {
                for (double v : array) {
                    assertEquals(0.0, v, "zeroed gradients are zero");
                }
            }
        }
        shape.spec().checkParameterLayout(exported[1]);
        assertClose("scaled gradients " + shape, exported[0], exported[1]);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void createNetworkRunsEverySpec(Shape shape) {
        Network network = backend().createNetwork(shape.spec());
        assertEquals(shape.spec(), network.spec());
        assertEquals(shape.spec().parameterArrayCount(), network.exportParameters().length);
        long values = 0;
        for (double[] array : network.exportParameters()) {
            values += array.length;
        }
        assertEquals(shape.spec().parameterCount(), values, "exported values = parameterCount()");
    }

    @Test
    void importNamesTheLayerNormArrayWhoseLengthIsWrong() {
        NetworkSpec spec = NetworkSpec.builder(3, 2).hidden(4, 5).layerNorm(true).build();
        Network net = backend().createNetwork(spec);
        double[][] params = randomParameters(spec, new SplittableRandom(5));
        net.importParameters(params);
        double[][] before = net.exportParameters();
        double[][] shortShift = DeepCopy.of(params);
        shortShift[spec.shiftArray(1)] = new double[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.importParameters(shortShift));
        assertEquals("parameters[7] (layer 1 LayerNorm shift) must have 5 values, found 4", e.getMessage());
        // a layout without LayerNorm (8 arrays would be needed, 6 given) is rejected with the rule
        double[][] plain = randomParameters(NetworkSpec.of(3, new int[] {4, 5}, 2), new SplittableRandom(6));
        e = assertThrows(IllegalArgumentException.class, () -> net.importParameters(plain));
        assertTrue(e.getMessage().startsWith("parameters must hold 10 arrays"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found 6"), e.getMessage());
        assertClose("parameters after rejected imports", before, net.exportParameters());
        Optimizer adam = net.newAdam();
        AdamState state = adam.exportState();
        assertThrows(IllegalArgumentException.class,
                () -> adam.importState(new AdamState(1, shortShift, state.secondMoment())));
        assertEquals(0, adam.exportState().steps(), "a rejected Adam state changes nothing");
    }

    @Provide
    Arbitrary<Activation> activations() {
        return Arbitraries.of(Activation.values());
    }

    /**
     * Parameter gradients (LayerNorm gain and shift included), gradHead and gradTail from backward against
     * (Richardson-extrapolated) central differences of {@code L = Σ gradOutput · output}, over random shapes,
     * groupings, activations and LayerNorm; step {@value #FINITE_DIFFERENCE_STEP}, tolerance
     * {@link #finiteDifferenceRelative()} and {@link #finiteDifferenceAbsolute()}. ReLU without LayerNorm is left
     * to the plain-ReLU oracle tests. The differences are taken on the float64 oracle's forward pass: the same
     * function as this backend's (the forward tests hold it there), without a float32 forward's rounding
     * {@code δL}, which enters each quotient as {@code δL/h} (an ND4J SiLU case: loss errors near 1e-6 put the
     * difference at step 1e-2, the step float32 needed, 2.3e-4 off, above the 2.0e-4 allowed). Coordinates the step
     * cannot resolve are skipped (see {@link #checkDifference}: a ReLU kink crossed, a difference that still changes
     * between steps {@code h} and {@code h/2}, or an extrapolation that does); the output layer's parameters are
     * never skipped this way, which the property asserts.
     */
    @Property(tries = 60)
    void backwardMatchesCentralDifferences(
            @ForAll("activations") Activation activation,
            @ForAll boolean layerNorm,
            @ForAll @IntRange(min = 0, max = 3) int headDim,
            @ForAll @IntRange(min = 0, max = 2) int tailDim,
            @ForAll @Size(min = 1, max = 2) List<@IntRange(min = 1, max = 5) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 2) int outputDim,
            @ForAll @IntRange(min = 1, max = 3) int groups,
            @ForAll @IntRange(min = 1, max = 3) int groupSize,
            @ForAll long seed) {
        Assume.that(headDim + tailDim >= 1);
        Assume.that(activation != Activation.RELU || layerNorm);
        Assume.that(!layerNorm || hidden.stream().allMatch(w -> w >= narrowestLayerNormWidth()));
        NetworkSpec spec = NetworkSpec.builder(headDim + tailDim, outputDim)
                .hidden(hidden.stream().mapToInt(Integer::intValue).toArray())
                .activation(activation).layerNorm(layerNorm).build();
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] params = randomParameters(spec, rng);
        int rows = groups * groupSize;
        double[] head = gaussian(rng, groups * headDim, 1.0);
        double[] tail = tailDim == 0 ? null : gaussian(rng, rows * tailDim, 1.0);
        double[] gradOut = gaussian(rng, rows * outputDim, 1.0);

        Network net = backend().createNetwork(spec);
        net.importParameters(params);
        Workspace ws = net.newWorkspace(rows);
        double[] out = new double[rows * outputDim];
        net.forward(ws, head, tail, tailDim, groups, groupSize, out);
        ParameterGradients grads = net.newGradients();
        double[] gradHead = new double[groups * headDim];
        double[] gradTail = new double[rows * tailDim];
        net.backward(ws, gradOut, grads, gradHead, gradTail);
        double[][] analytic = grads.export();
        spec.checkParameterLayout(analytic);

        double lossScale = 1.0;
        for (int i = 0; i < out.length; i++) {
            lossScale += Math.abs(gradOut[i] * out[i]);
        }
        double h = FINITE_DIFFERENCE_STEP;
        double absolute = finiteDifferenceAbsolute() * lossScale;
        boolean kinks = activation == Activation.RELU;
        double[] inputs = concatenateInputs(head, tail);
        LossProbe exact = new LossProbe(oracle().createNetwork(spec), rows, head.length, tailDim, groups, groupSize,
                gradOut);
        double exactBase = exact.at(params, inputs);
        int checked = 0;
        for (int a = 0; a < params.length; a++) {
            for (int i = 0; i < params[a].length; i++) {
                double saved = params[a][i];
                double[] at = new double[Richardson.POINTS];
                for (int k = 0; k < at.length; k++) {
                    params[a][i] = saved + Richardson.offset(k) * h;
                    at[k] = exact.at(params, inputs);
                }
                params[a][i] = saved;
                if (checkDifference(spec.parameterArrayName(a) + "[" + i + "]", analytic[a][i], at, exactBase, h,
                        absolute, kinks)) {
                    checked++;
                }
            }
        }
        double[] both = concatenateGradients(gradHead, gradTail);
        for (int i = 0; i < inputs.length; i++) {
            double saved = inputs[i];
            double[] at = new double[Richardson.POINTS];
            for (int k = 0; k < at.length; k++) {
                inputs[i] = saved + Richardson.offset(k) * h;
                at[k] = exact.at(params, inputs);
            }
            inputs[i] = saved;
            String what = i < head.length ? "gradHead[" + i + "]" : "gradTail[" + (i - head.length) + "]";
            if (checkDifference(what, both[i], at, exactBase, h, absolute, kinks)) {
                checked++;
            }
        }
        // L is linear in the output layer's weights and bias, so they are never skipped
        int last = spec.layerCount() - 1;
        assertTrue(checked >= (spec.layerInput(last) + 1) * outputDim, "checked " + checked + " " + spec);
    }

    /** {@code L = Σ gradOutput · output} of one network on the drawn batch layout, at given parameters and inputs. */
    private static final class LossProbe {
        private final Network network;
        private final Workspace workspace;
        private final double[] output;
        private final double[] gradOutput;
        private final int headLength;
        private final int tailDim;
        private final int groups;
        private final int groupSize;

        LossProbe(Network network, int rows, int headLength, int tailDim, int groups, int groupSize,
                  double[] gradOutput) {
            this.network = network;
            this.workspace = network.newWorkspace(rows);
            this.output = new double[gradOutput.length];
            this.gradOutput = gradOutput;
            this.headLength = headLength;
            this.tailDim = tailDim;
            this.groups = groups;
            this.groupSize = groupSize;
        }

        /** {@code inputs} is the head followed by the tail. */
        double at(double[][] params, double[] inputs) {
            network.importParameters(params);
            network.forward(workspace, Arrays.copyOfRange(inputs, 0, headLength),
                    tailDim == 0 ? null : Arrays.copyOfRange(inputs, headLength, inputs.length), tailDim, groups,
                    groupSize, output);
            double sum = 0.0;
            for (int i = 0; i < output.length; i++) {
                sum += gradOutput[i] * output[i];
            }
            return sum;
        }
    }

    /**
     * Step {@code h} of the central differences {@code (L(θ + h) − L(θ − h)) / 2h} of
     * {@link #backwardMatchesCentralDifferences}, taken in float64 whatever the backend.
     */
    private static final double FINITE_DIFFERENCE_STEP = 1e-5;

    /**
     * Checks one coordinate against the Richardson-extrapolated central difference ({@link Richardson}); false (and
     * no check) where the step does not resolve the coordinate ({@link Richardson#resolves}) or, with {@code kinks},
     * where the one-sided slopes at step {@code h} disagree by more than the tolerance.
     */
    private boolean checkDifference(String what, double analytic, double[] at, double base, double h,
                                    double absolute, boolean kinks) {
        double numeric = Richardson.derivative(at, h);
        double allowed = finiteDifferenceRelative() * Math.abs(numeric) + absolute;
        if (!Richardson.resolves(at, h, allowed)) {
            return false;
        }
        if (kinks && Math.abs((at[0] - base) / h - (base - at[1]) / h) > allowed) {
            return false;
        }
        double error = Math.abs(analytic - numeric);
        assertTrue(error <= allowed, what + ": backward " + analytic + ", central difference " + numeric
                + ", error " + error + " > " + allowed + " (step " + h + ")");
        return true;
    }

    private static double[] concatenateInputs(double[] head, double[] tail) {
        double[] x = Arrays.copyOf(head, head.length + (tail == null ? 0 : tail.length));
        if (tail != null) {
            System.arraycopy(tail, 0, x, head.length, tail.length);
        }
        return x;
    }

    private static double[] concatenateGradients(double[] gradHead, double[] gradTail) {
        double[] x = Arrays.copyOf(gradHead, gradHead.length + gradTail.length);
        System.arraycopy(gradTail, 0, x, gradHead.length, gradTail.length);
        return x;
    }

    @Test
    void serviceLoaderFindsTheBackendUnderTest() {
        String name = backend().name();
        assertTrue(Backends.available().stream().anyMatch(n -> n.equalsIgnoreCase(name)),
                "Backends.available() " + Backends.available() + " should list " + name);
        assertEquals(name, Backends.named(name).name());
    }

    /** Deep copies of parameter layouts. */
    private static final class DeepCopy {
        static double[][] of(double[][] arrays) {
            double[][] copy = new double[arrays.length][];
            for (int i = 0; i < arrays.length; i++) {
                copy[i] = arrays[i] == null ? null : arrays[i].clone();
            }
            return copy;
        }
    }
}
