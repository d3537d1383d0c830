package org.calql.nn;

import java.util.Arrays;
import org.calql.spi.Activation;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;

/**
 * A fully connected network computed in {@code double}: {@code y = x·Wᵀ + b} per layer, then per hidden
 * layer an optional LayerNorm and the spec's {@link Activation} (ReLU by default, derivative 0 at exactly 0,
 * like PyTorch), nothing after the last (see {@link NetworkSpec}).
 *
 * <p>Weights are kept in the exported layout {@code [out, in]} (which backward reads) and in a
 * transposed copy {@code [in, out]} (which forward reads), refreshed after every parameter change, so
 * every hot loop is a contiguous {@code y += a·x}. Rows are processed in small blocks so that the
 * weight row being read stays in cache. Each output value sums its terms in a fixed order (bias, then
 * the inputs in index order), so a grouped forward gives the same bits as the forward of the
 * explicitly concatenated input. Zero activations (dead ReLUs) are skipped.
 *
 * <p>The default spec (ReLU, no LayerNorm) writes each hidden layer's linear map straight into its
 * activation buffer and applies ReLU in place, as earlier releases did; other specs write the linear map
 * into a pre-activation buffer, normalise it there when the spec has LayerNorm (keeping the normalised
 * values and each row's {@code 1/sqrt(var + ε)} for backward), and apply the activation into the
 * activation buffer. LayerNorm works on whole rows, so grouped input changes nothing about it.
 *
 * <p>Backward uses the parameters current at the time of the call.
 */
final class DenseNetwork implements Network {
    /** Rows processed together so that one weight row serves several rows while it is in L1. */
    private static final int ROW_BLOCK = 8;

    private final NetworkSpec spec;
    /** Whether the spec is ReLU without LayerNorm (the path of earlier releases, bit for bit). */
    final boolean plainRelu;
    private final Activation activation;
    private final boolean layerNorm;
    private final double epsilon;
    final int layers;
    /** Input width per layer. */
    final int[] in;
    /** Output width per layer. */
    final int[] out;
    /** Weights per layer, {@code [out, in]} row-major. */
    final double[][] weights;
    /** Biases per layer. */
    final double[][] biases;
    /** LayerNorm gains per hidden layer (null without LayerNorm). */
    final double[][] gains;
    /** LayerNorm shifts per hidden layer (null without LayerNorm). */
    final double[][] shifts;
    /** Every parameter array in the spec's layout; the arrays above are these. */
    final double[][] parameters;
    /** Transposed weights per layer, {@code [in, out]} row-major; a function of {@link #weights}. */
    private final double[][] transposed;

    DenseNetwork(NetworkSpec spec) {
        this.spec = spec;
        plainRelu = spec.isPlainRelu();
        activation = spec.activation();
        layerNorm = spec.layerNorm();
        epsilon = spec.layerNormEpsilon();
        layers = spec.layerCount();
        in = new int[layers];
        out = new int[layers];
        weights = new double[layers][];
        biases = new double[layers][];
        gains = layerNorm ? new double[layers - 1][] : null;
        shifts = layerNorm ? new double[layers - 1][] : null;
        parameters = new double[spec.parameterArrayCount()][];
        transposed = new double[layers][];
        for (int l = 0; l < layers; l++) {
            in[l] = spec.layerInput(l);
            out[l] = spec.layerOutput(l);
            long n = (long) in[l] * out[l];
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("layer " + l + " has " + out[l] + " x " + in[l]
                        + " weights, more than a Java array holds");
            }
            weights[l] = new double[(int) n];
            biases[l] = new double[out[l]];
            transposed[l] = new double[(int) n];
            parameters[spec.weightArray(l)] = weights[l];
            parameters[spec.biasArray(l)] = biases[l];
            if (layerNorm && l < layers - 1) {
                gains[l] = new double[out[l]];
                shifts[l] = new double[out[l]];
                parameters[spec.gainArray(l)] = gains[l];
                parameters[spec.shiftArray(l)] = shifts[l];
            }
        }
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public Workspace newWorkspace(int maxRows) {
        return new DenseWorkspace(this, maxRows);
    }

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(Workspace workspace, double[] head, double[] tail, int tailDim, int groups, int groupSize,
                        double[] output) {
        DenseWorkspace ws = own(workspace);
        int inputDim = in[0];
        if (tailDim < 0 || tailDim > inputDim) {
            throw new IllegalArgumentException("tailDim must be in [0, inputDim = " + inputDim + "], found " + tailDim);
        }
        if (groups < 0) {
            throw new IllegalArgumentException("groups must not be negative, found " + groups);
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be at least 1, found " + groupSize);
        }
        long rowCount = (long) groups * groupSize;
        if (rowCount > ws.maxRows()) {
            throw new IllegalArgumentException("rows = groups x groupSize = " + groups + " x " + groupSize + " = "
                    + rowCount + " exceed the workspace's maxRows = " + ws.maxRows());
        }
        int rows = (int) rowCount;
        int headDim = inputDim - tailDim;
        requireLength("head", head, groups, headDim, "groups x headDim");
        if (tailDim > 0) {
            requireLength("tail", tail, rows, tailDim, "rows x tailDim");
        }
        requireLength("out", output, rows, out[layers - 1], "rows x outputDim");

        ws.valid = false;
        double[] x = ws.input;
        int tailOffset = groups * headDim;
        if (tailOffset > 0) {
            System.arraycopy(head, 0, x, 0, tailOffset);
        }
        if (rows * tailDim > 0) {
            System.arraycopy(tail, 0, x, tailOffset, rows * tailDim);
        }

        // layer 0: bias, head terms, tail terms (in this order for every row)
        int width = out[0];
        double[] wt = transposed[0];
        double[] b = biases[0];
        double[] y = layers == 1 ? output : linearTarget(ws, 0);
        if (groupSize == 1) {
            for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
                int r1 = Math.min(rows, r0 + ROW_BLOCK);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(b, 0, y, r * width, width);
                }
                accumulateBlock(x, 0, headDim, 0, headDim, wt, 0, width, y, r0, r1);
                accumulateBlock(x, tailOffset, tailDim, 0, tailDim, wt, headDim * width, width, y, r0, r1);
            }
        } else {
            double[] headTerm = ws.groupBuffer;
            for (int g0 = 0; g0 < groups; g0 += ROW_BLOCK) {
                int g1 = Math.min(groups, g0 + ROW_BLOCK);
                for (int g = g0; g < g1; g++) {
                    System.arraycopy(b, 0, headTerm, g * width, width);
                }
                accumulateBlock(x, 0, headDim, 0, headDim, wt, 0, width, headTerm, g0, g1);
            }
            for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
                int r1 = Math.min(rows, r0 + ROW_BLOCK);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(headTerm, (r / groupSize) * width, y, r * width, width);
                }
                accumulateBlock(x, tailOffset, tailDim, 0, tailDim, wt, headDim * width, width, y, r0, r1);
            }
        }
        if (layers > 1) {
            finishHidden(ws, 0, rows);
        }

        for (int l = 1; l < layers; l++) {
            int n = in[l];
            int m = out[l];
            double[] a = ws.activations[l - 1];
            double[] z = l == layers - 1 ? output : linearTarget(ws, l);
            double[] wl = transposed[l];
            double[] bl = biases[l];
            for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
                int r1 = Math.min(rows, r0 + ROW_BLOCK);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(bl, 0, z, r * m, m);
                }
                accumulateBlock(a, 0, n, 0, n, wl, 0, m, z, r0, r1);
            }
            if (l < layers - 1) {
                finishHidden(ws, l, rows);
            }
        }

        ws.rows = rows;
        ws.groups = groups;
        ws.groupSize = groupSize;
        ws.tailDim = tailDim;
        ws.valid = true;
    }

    /**
     * For rows {@code r} in {@code [r0, r1)} and {@code k} in {@code [k0, k1)}:
     * {@code y[r, :] += x[xOffset + r·xStride + k] · w[wOffset + k·width, … + width)}, with {@code k}
     * ascending for each row. Zero inputs are skipped.
     */
    private static void accumulateBlock(double[] x, int xOffset, int xStride, int k0, int k1, double[] w,
                                        int wOffset, int width, double[] y, int r0, int r1) {
        for (int k = k0; k < k1; k++) {
            int wk = wOffset + k * width;
            for (int r = r0; r < r1; r++) {
                double a = x[xOffset + r * xStride + k];
                if (a != 0.0) {
                    axpy(a, w, wk, y, r * width, width);
                }
            }
        }
    }

    /** {@code y[yo, yo + n) += a · x[xo, xo + n)}. */
    private static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        for (int j = 0; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    /** Where hidden layer {@code l}'s linear map goes: the activations (plain ReLU) or the pre-activations. */
    private double[] linearTarget(DenseWorkspace ws, int l) {
        return plainRelu ? ws.activations[l] : ws.preActivations[l];
    }

    /** Hidden layer {@code l} after its linear map: LayerNorm (if any) and the activation. */
    private void finishHidden(DenseWorkspace ws, int l, int rows) {
        int n = out[l];
        if (plainRelu) {
            relu(ws.activations[l], rows * n);
            return;
        }
        double[] u = ws.preActivations[l];
        if (layerNorm) {
            layerNorm(u, ws.normalized[l], ws.inverseStd[l], gains[l], shifts[l], rows, n, epsilon);
        }
        activate(activation, u, ws.activations[l], rows * n);
    }

    /**
     * Per row of {@code z} ({@code [rows, n]}): {@code x̂ = (z − mean) / sqrt(var + ε)} (biased variance) into
     * {@code normalized}, {@code 1/sqrt(var + ε)} into {@code inverseStd[r]}, and {@code γ ⊙ x̂ + β} back into
     * {@code z}.
     */
    private static void layerNorm(double[] z, double[] normalized, double[] inverseStd, double[] gain,
                                  double[] shift, int rows, int n, double epsilon) {
        double inverseN = 1.0 / n;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += z[o + j];
            }
            double mean = sum * inverseN;
            double squares = 0.0;
            for (int j = 0; j < n; j++) {
                double c = z[o + j] - mean;
                squares += c * c;
            }
            double rstd = 1.0 / Math.sqrt(squares * inverseN + epsilon);
            inverseStd[r] = rstd;
            for (int j = 0; j < n; j++) {
                double xhat = (z[o + j] - mean) * rstd;
                normalized[o + j] = xhat;
                z[o + j] = gain[j] * xhat + shift[j];
            }
        }
    }

    /** {@code a[i] = f(u[i])} for {@code i < n}; the switch is outside the loops. */
    private static void activate(Activation activation, double[] u, double[] a, int n) {
        switch (activation) {
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Math.max(u[i], 0.0);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Math.tanh(u[i]);
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    double x = u[i];
                    a[i] = x > 0.0 ? x : Math.expm1(x);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    double x = u[i];
                    a[i] = x / (1.0 + Math.exp(-x));
                }
            }
            default -> throw new IllegalStateException("unknown activation " + activation);
        }
    }

    private static void relu(double[] y, int n) {
        for (int i = 0; i < n; i++) {
            // keeps NaN (as torch.relu does) and turns -0.0 into 0.0
            y[i] = Math.max(y[i], 0.0);
        }
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void backward(Workspace workspace, double[] gradOutput, ParameterGradients gradients, double[] gradHead,
                         double[] gradTail) {
        DenseWorkspace ws = own(workspace);
        if (!ws.valid) {
            throw new IllegalStateException("backward needs a forward pass through this workspace first");
        }
        int rows = ws.rows;
        int groups = ws.groups;
        int groupSize = ws.groupSize;
        int tailDim = ws.tailDim;
        int inputDim = in[0];
        int headDim = inputDim - tailDim;
        requireLength("gradOutput", gradOutput, rows, out[layers - 1], "rows x outputDim");
        DenseGradients grads = gradients == null ? null : own(gradients);
        if (gradHead != null) {
            requireLength("gradHead", gradHead, groups, headDim, "groups x headDim");
        }
        if (gradTail != null) {
            requireLength("gradTail", gradTail, rows, tailDim, "rows x tailDim");
        }
        if (grads == null && gradHead == null && gradTail == null) {
            return;
        }

        double[] delta = gradOutput;
        for (int l = layers - 1; l >= 1; l--) {
            int n = in[l];
            int m = out[l];
            double[] a = ws.activations[l - 1];
            if (grads != null) {
                accumulateParameterGradients(delta, m, a, 0, n, rows, grads.weights[l], n, 0, grads.biases[l]);
            }
            double[] next = delta == ws.deltaA ? ws.deltaB : ws.deltaA;
            propagate(delta, m, weights[l], n, 0, n, next, rows);
            if (plainRelu) {
                int count = rows * n;
                for (int i = 0; i < count; i++) {
                    if (!(a[i] > 0.0)) {
                        next[i] = 0.0;
                    }
                }
            } else {
                backHidden(ws, l - 1, next, rows, grads);
            }
            delta = next;
        }

        // layer 0: the head part from group sums of delta, the tail part row by row
        int width = out[0];
        double[] x = ws.input;
        int tailOffset = groups * headDim;
        double[] groupDelta = delta;
        if (groupSize > 1 && (grads != null || (gradHead != null && headDim > 0))) {
            groupDelta = ws.groupBuffer;
            for (int g = 0; g < groups; g++) {
                int first = g * groupSize;
                System.arraycopy(delta, first * width, groupDelta, g * width, width);
                for (int r = first + 1; r < first + groupSize; r++) {
                    axpy(1.0, delta, r * width, groupDelta, g * width, width);
                }
            }
        }
        if (grads != null) {
            double[] gb = grads.biases[0];
            for (int g = 0; g < groups; g++) {
                axpy(1.0, groupDelta, g * width, gb, 0, width);
            }
            double[] gw = grads.weights[0];
            accumulateParameterGradients(groupDelta, width, x, 0, headDim, groups, gw, inputDim, 0, null);
            accumulateParameterGradients(delta, width, x, tailOffset, tailDim, rows, gw, inputDim, headDim, null);
        }
        if (gradHead != null && headDim > 0) {
            propagate(groupDelta, width, weights[0], inputDim, 0, headDim, gradHead, groups);
        }
        if (gradTail != null && tailDim > 0) {
            propagate(delta, width, weights[0], inputDim, headDim, tailDim, gradTail, rows);
        }
    }

    /**
     * Turns {@code d}, the gradient with respect to hidden layer {@code l}'s activations, into the gradient
     * with respect to its linear map's output, in place; adds the LayerNorm gain and shift gradients to
     * {@code grads} when given. With {@code g = dL/du ⊙ γ} per row, LayerNorm's backward is
     * {@code dL/dz = (g − mean(g) − x̂·mean(g ⊙ x̂)) / sqrt(var + ε)}.
     */
    private void backHidden(DenseWorkspace ws, int l, double[] d, int rows, DenseGradients grads) {
        int n = out[l];
        int count = rows * n;
        double[] u = ws.preActivations[l];
        double[] a = ws.activations[l];
        switch (activation) {
            case RELU -> {
                for (int i = 0; i < count; i++) {
                    if (!(u[i] > 0.0)) {
                        d[i] = 0.0;
                    }
                }
            }
            case TANH -> {
                for (int i = 0; i < count; i++) {
                    d[i] *= 1.0 - a[i] * a[i];
                }
            }
            case ELU -> {
                for (int i = 0; i < count; i++) {
                    // exp(u) = f(u) + 1 for u <= 0
                    if (!(u[i] > 0.0)) {
                        d[i] *= a[i] + 1.0;
                    }
                }
            }
            case SILU -> {
                for (int i = 0; i < count; i++) {
                    double x = u[i];
                    double sigma = 1.0 / (1.0 + Math.exp(-x));
                    d[i] *= sigma * (1.0 + x * (1.0 - sigma));
                }
            }
            default -> throw new IllegalStateException("unknown activation " + activation);
        }
        if (!layerNorm) {
            return;
        }
        double[] xhat = ws.normalized[l];
        double[] inverseStd = ws.inverseStd[l];
        double[] gain = gains[l];
        double[] gainGrad = grads == null ? null : grads.gains[l];
        double[] shiftGrad = grads == null ? null : grads.shifts[l];
        double inverseN = 1.0 / n;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            if (grads != null) {
                for (int j = 0; j < n; j++) {
                    gainGrad[j] += d[o + j] * xhat[o + j];
                    shiftGrad[j] += d[o + j];
                }
            }
            double sum = 0.0;
            double dot = 0.0;
            for (int j = 0; j < n; j++) {
                double g = d[o + j] * gain[j];
                d[o + j] = g;
                sum += g;
                dot += g * xhat[o + j];
            }
            double meanG = sum * inverseN;
            double meanGx = dot * inverseN;
            double rstd = inverseStd[r];
            for (int j = 0; j < n; j++) {
                d[o + j] = (d[o + j] - meanG - xhat[o + j] * meanGx) * rstd;
            }
        }
    }

    /**
     * {@code gw[o, col0 + i] += Σ_r delta[r, o] · x[xOffset + r·n + i]} for {@code i < n} (rows ascending)
     * and, when {@code gb != null}, {@code gb[o] += Σ_r delta[r, o]}.
     */
    private static void accumulateParameterGradients(double[] delta, int m, double[] x, int xOffset, int n,
                                                     int rows, double[] gw, int gwStride, int col0, double[] gb) {
        if (gb != null) {
            for (int r = 0; r < rows; r++) {
                axpy(1.0, delta, r * m, gb, 0, m);
            }
        }
        if (n == 0) {
            return;
        }
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int r1 = Math.min(rows, r0 + ROW_BLOCK);
            for (int o = 0; o < m; o++) {
                int go = o * gwStride + col0;
                for (int r = r0; r < r1; r++) {
                    double d = delta[r * m + o];
                    if (d != 0.0) {
                        axpy(d, x, xOffset + r * n, gw, go, n);
                    }
                }
            }
        }
    }

    /**
     * {@code target[r, i] = Σ_o delta[r, o] · w[o, col0 + i]} for {@code i < n}, where {@code w} is
     * {@code [m, wStride]} row-major.
     */
    private static void propagate(double[] delta, int m, double[] w, int wStride, int col0, int n, double[] target,
                                  int rows) {
        Arrays.fill(target, 0, rows * n, 0.0);
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int r1 = Math.min(rows, r0 + ROW_BLOCK);
            for (int o = 0; o < m; o++) {
                int wo = o * wStride + col0;
                for (int r = r0; r < r1; r++) {
                    double d = delta[r * m + o];
                    if (d != 0.0) {
                        axpy(d, w, wo, target, r * n, n);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- parameters

    @Override
    public ParameterGradients newGradients() {
        return new DenseGradients(spec);
    }

    @Override
    public Optimizer newAdam() {
        return new DenseAdam(this);
    }

    @Override
    public void copyParametersFrom(Network source) {
        if (source == this) {
            return;
        }
        DenseNetwork src = sameShape(source);
        if (src == null) {
            importParameters(source.exportParameters());
            return;
        }
        for (int i = 0; i < parameters.length; i++) {
            System.arraycopy(src.parameters[i], 0, parameters[i], 0, parameters[i].length);
        }
        for (int l = 0; l < layers; l++) {
            System.arraycopy(src.transposed[l], 0, transposed[l], 0, transposed[l].length);
        }
    }

    @Override
    public void softUpdateFrom(Network source, double tau) {
        if (!(tau >= 0.0 && tau <= 1.0)) {
            throw new IllegalArgumentException("tau must be in [0, 1], found " + tau);
        }
        DenseNetwork src = sameShape(source);
        double[][] sourceParameters;
        if (src != null) {
            sourceParameters = src.parameters;
        } else {
            sourceParameters = source.exportParameters();
            spec.checkParameterLayout(sourceParameters);
        }
        double keep = 1.0 - tau;
        for (int i = 0; i < parameters.length; i++) {
            polyak(parameters[i], sourceParameters[i], keep, tau);
        }
        for (int l = 0; l < layers; l++) {
            refreshTransposed(l);
        }
    }

    private static void polyak(double[] target, double[] source, double keep, double tau) {
        int n = target.length;
        for (int i = 0; i < n; i++) {
            target[i] = keep * target[i] + tau * source[i];
        }
    }

    /** The source as a DenseNetwork, or null for another backend's network of the same spec. */
    private DenseNetwork sameShape(Network source) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        if (!spec.equals(source.spec())) {
            throw new IllegalArgumentException("source must have this network's spec " + spec + ", found "
                    + source.spec());
        }
        return source instanceof DenseNetwork d ? d : null;
    }

    @Override
    public double[][] exportParameters() {
        return deepCopy(parameters);
    }

    @Override
    public void importParameters(double[][] parameters) {
        spec.checkParameterLayout(parameters);
        for (int i = 0; i < parameters.length; i++) {
            System.arraycopy(parameters[i], 0, this.parameters[i], 0, this.parameters[i].length);
        }
        for (int l = 0; l < layers; l++) {
            refreshTransposed(l);
        }
    }

    /** Rewrites the transposed copy of layer {@code l}'s weights. */
    void refreshTransposed(int l) {
        int n = in[l];
        int m = out[l];
        double[] w = weights[l];
        double[] t = transposed[l];
        for (int o = 0; o < m; o++) {
            int row = o * n;
            for (int i = 0; i < n; i++) {
                t[i * m + o] = w[row + i];
            }
        }
    }

    // ---------------------------------------------------------------- checks

    DenseWorkspace own(Workspace workspace) {
        if (workspace instanceof DenseWorkspace ws && ws.owner == this) {
            return ws;
        }
        throw new IllegalArgumentException("workspace must come from this network's newWorkspace, found "
                + workspace);
    }

    DenseGradients own(ParameterGradients gradients) {
        if (gradients instanceof DenseGradients g && g.spec.equals(spec)) {
            return g;
        }
        throw new IllegalArgumentException("gradients must come from newGradients() of a java network with spec "
                + spec + ", found " + gradients);
    }

    private static void requireLength(String name, double[] array, int rows, int width, String rule) {
        long needed = (long) rows * width;
        if (needed == 0) {
            return;
        }
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null: it needs " + rule + " = " + rows + " x "
                    + width + " = " + needed + " values");
        }
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " must hold at least " + rule + " = " + rows + " x " + width
                    + " = " + needed + " values, found " + array.length);
        }
    }

    static double[][] deepCopy(double[][] arrays) {
        double[][] copy = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            copy[i] = arrays[i].clone();
        }
        return copy;
    }

    @Override
    public String toString() {
        return "DenseNetwork" + spec;
    }
}
