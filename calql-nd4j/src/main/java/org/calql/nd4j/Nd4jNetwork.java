package org.calql.nd4j;

import java.nio.FloatBuffer;
import org.calql.spi.Activation;
import org.calql.spi.BoundRows;
import org.calql.spi.BoundRowsChecks;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.Precision;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.ELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected network of any {@link NetworkSpec} in float32 on ND4J (see {@link Network} for the
 * contract and {@link Nd4jLayout} for where parameters live).
 *
 * <p>Plain ReLU networks (the Cal-QL/CQL critics and policy) multiply on oneDNN by default ({@link #rowMajor()},
 * below); the f-order passes described next are how every other network multiplies, and plain ReLU ones with
 * {@value #FP32_PRODUCTS_PROPERTY}{@code =openblas} or where oneDNN's float32 matmul cannot run.
 *
 * <p>Per hidden layer the forward pass is one gemm into a preallocated f-order output (bias included
 * through the ones column) and one in-place ReLU; backward is one gemm for the weight and bias
 * gradients (skipped without gradients), one for the input gradient, and a sign-mask multiply. With
 * grouped input, layer 0 multiplies the head once per group ({@code groups × h0}) and broadcasts it to
 * the group's rows with a rank-1 gemm; backward sums the group's rows with a ones-vector gemm.
 *
 * <p>Other activations replace the in-place ReLU by an in-place tanh, ELU (α = 1) or SiLU (which first
 * keeps its input for the derivative); their derivatives are {@code 1 − a²}, {@code min(a + 1, 1)} and
 * ND4J's swish derivative. LayerNorm works on the whole row after the layer's gemm (so grouped input is
 * unchanged): row means and variances are gemms with a ones vector, centring is a rank-1 gemm, the
 * scalings are broadcast multiplies; backward adds the gain and shift gradients with ones-vector gemms.
 *
 * <p>With {@link Precision#BF16} every product above runs on {@link Bf16Gemm} with bfloat16 inputs. Plain ReLU
 * networks change layout ({@link #rowMajor()}, see {@link Nd4jWorkspace}): activations and gradients row by row
 * (in bfloat16 for the hidden ones at BF16), so that oneDNN multiplies with the batch as its tall source operand;
 * every product runs on oneDNN (float32 math at FP32, bfloat16 inputs at BF16); layers after the first take the bias
 * as oneDNN's bias argument and the ReLU as a post-op of the same product, backward masks with oneDNN's ReLU step
 * ({@link OneDnnRelu}) and sums bias gradients with a ones-vector product; passes are never grouped (layer 0's input
 * repeats each group's head). At FP32 this gives float32 results that differ from the f-order OpenBLAS passes only
 * in rounding (accumulation order), not bit for bit.
 */
final class Nd4jNetwork implements Network {
    private final NetworkSpec spec;
    private final boolean plainRelu;
    private final Activation activation;
    private final double epsilon;
    /** Per hidden layer: LayerNorm gain and shift as vectors of the parameter buffer (null without LayerNorm). */
    private final INDArray[] gains;
    private final INDArray[] shifts;
    private final Nd4jLayout layout;
    private final INDArray params;
    private final INDArray[] augmented;
    private final INDArray[] weights;
    /** Per layer: the bias {@code [out, 1]} in the parameter buffer (oneDNN's bias argument where {@link #rowMajor}). */
    private final INDArray[] biases;
    private final Nd4jGradients.Layer0[] layer0;
    /** Matrix products in bfloat16 ({@link Bf16Gemm}) instead of float32. */
    private final boolean bf16;
    /**
     * Activations row by row, products on oneDNN with bias and ReLU fused (plain ReLU networks in bf16, and in fp32
     * unless {@value #FP32_PRODUCTS_PROPERTY} says {@code openblas} or oneDNN's float32 matmul cannot run; see
     * {@link Nd4jWorkspace}).
     */
    private final boolean rowMajor;

    /**
     * System property choosing how float32 plain-ReLU networks multiply: {@code onednn} (the default: oneDNN's
     * float32 matmul, row-by-row activations, bias and ReLU fused; OpenBLAS where oneDNN's float32 matmul cannot run)
     * or {@code openblas} ({@code Nd4j.gemm} on f-order activations, as earlier calql builds did; other networks always
     * multiply this way in float32).
     */
    static final String FP32_PRODUCTS_PROPERTY = "calql.nd4j.fp32Products";

    Nd4jNetwork(NetworkSpec spec) {
        this(spec, Precision.FP32);
    }

    Nd4jNetwork(NetworkSpec spec, Precision precision) {
        this.spec = spec;
        this.bf16 = precision == Precision.BF16;
        this.layout = new Nd4jLayout(spec);
        this.params = Nd4jLayout.floats(layout.size());
        int layers = layout.layers();
        augmented = new INDArray[layers];
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            augmented[l] = layout.augmented(params, l);
            weights[l] = layout.weight(params, l);
            biases[l] = layout.bias(params, l);
        }
        layer0 = new Nd4jGradients.Layer0[layout.in(0) + 1];
        plainRelu = spec.isPlainRelu();
        rowMajor = plainRelu && (bf16 || fp32OnOneDnn());
        activation = spec.activation();
        epsilon = spec.layerNormEpsilon();
        gains = spec.layerNorm() ? new INDArray[layers - 1] : null;
        shifts = spec.layerNorm() ? new INDArray[layers - 1] : null;
        for (int l = 0; gains != null && l < layers - 1; l++) {
            gains[l] = Nd4jLayout.vector(params, layout.gainOffset(l), layout.out(l));
            shifts[l] = Nd4jLayout.vector(params, layout.shiftOffset(l), layout.out(l));
        }
    }

    Nd4jLayout layout() {
        return layout;
    }

    /**
     * Whether this network's workspaces keep activations row by row and its hidden products apply the ReLU (plain
     * ReLU on oneDNN, at BF16 or FP32): oneDNN then multiplies with the batch's rows as the tall source operand.
     */
    boolean rowMajor() {
        return rowMajor;
    }

    /** Whether this network's products round to bfloat16. */
    boolean bf16() {
        return bf16;
    }

    /**
     * Whether float32 plain-ReLU networks multiply on oneDNN ({@value #FP32_PRODUCTS_PROPERTY}, default
     * {@code onednn}, and oneDNN's float32 matmul runs here).
     *
     * @throws IllegalArgumentException if the property holds another value
     */
    static boolean fp32OnOneDnn() {
        String value = System.getProperty(FP32_PRODUCTS_PROPERTY, "onednn").trim();
        switch (value) {
            case "onednn":
                return Bf16Gemm.fp32UnavailableReason().isEmpty();
            case "openblas":
                return false;
            default:
                throw new IllegalArgumentException(FP32_PRODUCTS_PROPERTY + " must be 'onednn' or 'openblas', found '"
                        + value + "'");
        }
    }

    /** A row-by-row product on oneDNN, in this network's precision: {@code c ← act(op(a)·op(b) + beta·c + 1·biasᵀ)}. */
    private void oneDnn(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double beta,
                        boolean relu, INDArray bias) {
        Bf16Gemm.product(a, b, c, transposeA, transposeB, 1.0, beta, relu, bias, !bf16);
    }

    /** Layer 0's product: with {@link #rowMajor} and hidden layers after it, the ReLU is applied in the same pass. */
    private void layer0Product(INDArray input, INDArray weight, INDArray z0) {
        if (rowMajor) {
            oneDnn(input, weight, z0, false, true, 0.0, layout.layers() > 1, null);
        } else {
            product(input, weight, z0, false, true, 1.0, 0.0);
        }
    }

    /**
     * A product of the forward or backward pass, {@code c ← alpha·op(a)·op(b) + beta·c}: float32 {@code Nd4j.gemm},
     * or on oneDNN ({@link Bf16Gemm#product}) with bfloat16 inputs and float32 accumulation at BF16 and in float32
     * math on the row-by-row passes. The ones-vector products (group broadcast and sums, LayerNorm
     * statistics) stay float32 {@code Nd4j.gemm}: they add, they do not multiply data by data.
     */
    private void product(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                         double beta) {
        if (bf16 || rowMajor) {
            Bf16Gemm.product(a, b, c, transposeA, transposeB, alpha, beta, false, null, !bf16);
        } else {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
        }
    }

    /** The flat parameter buffer (the optimizer updates it in place). */
    INDArray parameters() {
        return params;
    }

    private synchronized Nd4jGradients.Layer0 layer0(int tailDim) {
        Nd4jGradients.Layer0 v = layer0[tailDim];
        if (v == null) {
            v = new Nd4jGradients.Layer0(layout, params, tailDim);
            layer0[tailDim] = v;
        }
        return v;
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public Workspace newWorkspace(int maxRows) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be non-negative, found " + maxRows);
        }
        return new Nd4jWorkspace(this, maxRows);
    }

    private Nd4jWorkspace own(Workspace workspace) {
        if (!(workspace instanceof Nd4jWorkspace ws) || ws.network != this) {
            throw new IllegalArgumentException("workspace must come from this network's newWorkspace, found "
                    + (workspace == null ? "null" : workspace.getClass().getName()));
        }
        return ws;
    }

    Nd4jGradients ownGradients(ParameterGradients gradients) {
        if (!(gradients instanceof Nd4jGradients g) || !g.layout().spec().equals(spec)) {
            throw new IllegalArgumentException("gradients must come from newGradients() of an ND4J network with spec "
                    + spec + ", found " + (gradients == null ? "null" : gradients.getClass().getName()));
        }
        return g;
    }

    // ---- forward -------------------------------------------------------------------------------

    @Override
    public void forward(Workspace workspace, double[] head, double[] tail, int tailDim, int groups, int groupSize,
                        double[] out) {
        Nd4jWorkspace ws = own(workspace);
        int in = layout.in(0);
        if (tailDim < 0 || tailDim > in) {
            throw new IllegalArgumentException("tailDim must be in [0, " + in + "], found " + tailDim);
        }
        if (groups < 0) {
            throw new IllegalArgumentException("groups must be non-negative, found " + groups);
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be positive, found " + groupSize);
        }
        long rowsLong = (long) groups * groupSize;
        if (rowsLong > ws.maxRows) {
            throw new IllegalArgumentException("rows (groups × groupSize = " + rowsLong + ") must not exceed the workspace's "
                    + "maxRows " + ws.maxRows);
        }
        int rows = (int) rowsLong;
        int headDim = in - tailDim;
        int outDim = layout.out(layout.layers() - 1);
        requireLength("head", head, (long) groups * headDim);
        requireLength("tail", tail, rowsLong * tailDim);
        requireLength("out", out, rowsLong * outDim);

        ws.last = null;
        Nd4jWorkspace.Views v = ws.views(groups, groupSize, tailDim);
        if (rows == 0) {
            ws.last = v;
            return;
        }
        if (v.grouped) {
            loadGrouped(ws, v, head, tail);
            layer0Grouped(ws, v, v.input, v.head);
        } else {
            loadPlain(ws, v, head, tail);
            layer0Plain(ws, v.input, v);
        }
        forwardLayers(ws, v, out);
    }

    /**
     * Forward on staged rows: staged {@link Nd4jRows} are multiplied in place (a policy's augmented input, a
     * grouped pass's head and tail); a pass of one row per head with a tail copies the staged columns into its
     * input on the backend. Rows staged by another backend go through the host-array forward.
     */
    @Override
    public void forward(Workspace workspace, BoundRows head, BoundRows tail, int groupSize, double[] out) {
        BoundRowsChecks.check(spec, head, tail, groupSize);
        if (!(head instanceof Nd4jRows h) || (tail != null && !(tail instanceof Nd4jRows))) {
            Network.super.forward(workspace, head, tail, groupSize, out);
            return;
        }
        Nd4jRows t = (Nd4jRows) tail;
        Nd4jWorkspace ws = own(workspace);
        int tailDim = t == null ? 0 : t.width();
        int groups = h.rows();
        long rowsLong = (long) groups * groupSize;
        if (rowsLong > ws.maxRows) {
            throw new IllegalArgumentException("rows (groups × groupSize = " + rowsLong + ") must not exceed the "
                    + "workspace's maxRows " + ws.maxRows);
        }
        requireLength("out", out, rowsLong * layout.out(layout.layers() - 1));
        ws.last = null;
        Nd4jWorkspace.Views v = ws.views(groups, groupSize, tailDim);
        if (rowsLong == 0) {
            ws.last = v;
            return;
        }
        if (v.grouped) {
            layer0Grouped(ws, v, t.augmented(), h.plain());
        } else if (t == null) {
            layer0Plain(ws, h.augmented(), v);
        } else if (v.headDim == 0) {
            layer0Plain(ws, t.augmented(), v);
        } else {
            if (groupSize == 1) {
                v.inputHeadColumns.assign(h.plain());
            } else {
                // Row by row: each group's head repeated over its rows, [groupSize, groups·headDim] = 1 · head row.
                Nd4j.gemm(v.onesColumn, h.plainRow(), v.inputHeadWide, false, false, 1.0, 0.0);
            }
            v.inputTailColumns.assign(t.plain());
            v.inputOnes.assign(1.0);
            layer0Plain(ws, v.input, v);
        }
        forwardLayers(ws, v, out);
    }

    /** Layer 0 of a plain pass: {@code z0 = [input | 1]·[W0 | b0]ᵀ}. */
    private void layer0Plain(Nd4jWorkspace ws, INDArray input, Nd4jWorkspace.Views v) {
        layer0Product(input, augmented[0], v.z[0]);
        ws.lastInput = input;
        ws.lastHead = null;
    }

    /** Layer 0 of a grouped pass: the tail term on every row, the head term once per group, broadcast. */
    private void layer0Grouped(Nd4jWorkspace ws, Nd4jWorkspace.Views v, INDArray tailWithOnes, INDArray head) {
        Nd4jGradients.Layer0 w0 = layer0(v.tailDim);
        product(tailWithOnes, w0.tailAndBias, v.z[0], false, true, 1.0, 0.0);
        product(head, w0.head, v.headTerm, false, true, 1.0, 0.0);
        Nd4j.gemm(v.onesColumn, v.headTermRow, v.z0Wide, false, false, 1.0, 1.0);
        ws.lastInput = tailWithOnes;
        ws.lastHead = head;
    }

    /** The hidden layers and the output layer after layer 0's product; the output rows into {@code out}. */
    private void forwardLayers(Nd4jWorkspace ws, Nd4jWorkspace.Views v, double[] out) {
        var exec = Nd4j.getExecutioner();
        int rows = v.rows;
        int outDim = layout.out(layout.layers() - 1);
        int last = layout.layers() - 1;
        for (int l = 0; l < last; l++) {
            if (rowMajor) {
                // z[l] is already activated (the ReLU ran in its product); bias and ReLU of z[l + 1] run in this one.
                oneDnn(v.z[l], weights[l + 1], v.z[l + 1], false, true, 0.0, l + 1 < last, biases[l + 1]);
                continue;
            }
            if (plainRelu) {
                exec.exec(new ScalarMax(v.z[l], null, v.z[l], 0.0));
            } else {
                finishHidden(v, l);
            }
            v.onesTail[l].assign(1.0);
            product(v.augmented[l], augmented[l + 1], v.z[l + 1], false, true, 1.0, 0.0);
        }
        // z[last] is [rows, outDim] at the start of its buffer: f-order, or c-order where rowMajor.
        int n = rows * outDim;
        float[] s = ws.scratch(n);
        Nd4jLayout.beforeHostRead(ws.activations[last]);
        ws.outputHost.get(0, s, 0, n);
        for (int r = 0; r < rows; r++) {
            int row = r * outDim;
            for (int k = 0; k < outDim; k++) {
                out[row + k] = s[rowMajor ? row + k : r + rows * k];
            }
        }
        ws.last = v;
    }

    /** Hidden layer {@code l} after its gemm (not plain ReLU): LayerNorm if the spec has it, then the activation. */
    private void finishHidden(Nd4jWorkspace.Views v, int l) {
        var exec = Nd4j.getExecutioner();
        INDArray z = v.z[l];
        if (gains != null) {
            double inverseN = 1.0 / layout.out(l);
            INDArray xhat = v.normalized[l];
            // mean per row, then centre: z ← z − mean·1ᵀ
            Nd4j.gemm(z, v.onesWidthColumn[l], v.rowStat, false, false, inverseN, 0.0);
            Nd4j.gemm(v.rowStat, v.onesWidthRow[l], z, false, false, -1.0, 1.0);
            // biased variance per row of the centred values, then 1/sqrt(var + ε)
            exec.exec(new MulOp(z, z, xhat));
            Nd4j.gemm(xhat, v.onesWidthColumn[l], v.inverseStd[l], false, false, inverseN, 0.0);
            exec.exec(new ScalarAdd(v.inverseStd[l], null, v.inverseStd[l], epsilon));
            exec.exec(new RSqrt(v.inverseStd[l], v.inverseStd[l]));
            // x̂ = centred·(1/sqrt(var + ε)); u = γ ⊙ x̂ + β back into z
            exec.exec(new BroadcastMulOp(z, v.inverseStdVector[l], xhat, 0));
            exec.exec(new BroadcastMulOp(xhat, gains[l], z, 1));
            exec.exec(new BroadcastAddOp(z, shifts[l], z, 1));
        }
        switch (activation) {
            case RELU -> exec.exec(new ScalarMax(z, null, z, 0.0));
            case TANH -> exec.exec(new Tanh(z, z));
            case ELU -> Nd4j.exec(new ELU(z, z, 1.0));
            case SILU -> {
                v.pre[l].assign(z);
                exec.exec(new Swish(v.pre[l], z));
            }
            default -> throw new IllegalStateException("unknown activation " + activation);
        }
    }

    /**
     * Turns {@code dz[l]}, the gradient with respect to hidden layer {@code l}'s activations, into the gradient
     * with respect to its gemm's output, in place (not plain ReLU); adds the LayerNorm gain and shift gradients
     * to {@code g} when given. With {@code d = dL/du ⊙ γ}: {@code dL/dz = (d − mean(d) − x̂·mean(d ⊙ x̂)) / sqrt(var + ε)}.
     */
    private void backHidden(Nd4jWorkspace.Views v, int l, Nd4jGradients g) {
        var exec = Nd4j.getExecutioner();
        INDArray d = v.dz[l];
        INDArray a = v.z[l];
        INDArray mask = v.mask[l];
        switch (activation) {
            case RELU -> exec.exec(new Sign(a, mask));
            case TANH -> {
                exec.exec(new MulOp(a, a, mask));
                exec.exec(new ScalarReverseSubtraction(mask, null, mask, 1.0));
            }
            case ELU -> {
                exec.exec(new ScalarAdd(a, null, mask, 1.0));
                exec.exec(new ScalarMin(mask, null, mask, 1.0));
            }
            case SILU -> exec.exec(new SwishDerivative(v.pre[l], mask));
            default -> throw new IllegalStateException("unknown activation " + activation);
        }
        exec.exec(new MulOp(d, mask, d));
        if (gains == null) {
            return;
        }
        INDArray xhat = v.normalized[l];
        if (g != null) {
            Nd4j.gemm(d, v.onesRows, g.shiftColumn(l), true, false, 1.0, 1.0);
            exec.exec(new MulOp(d, xhat, mask));
            Nd4j.gemm(mask, v.onesRows, g.gainColumn(l), true, false, 1.0, 1.0);
        }
        double inverseN = 1.0 / layout.out(l);
        exec.exec(new BroadcastMulOp(d, gains[l], d, 1));
        Nd4j.gemm(d, v.onesWidthColumn[l], v.rowStat, false, false, inverseN, 0.0);
        exec.exec(new MulOp(d, xhat, mask));
        Nd4j.gemm(mask, v.onesWidthColumn[l], v.rowStat2, false, false, inverseN, 0.0);
        Nd4j.gemm(v.rowStat, v.onesWidthRow[l], d, false, false, -1.0, 1.0);
        exec.exec(new BroadcastMulOp(xhat, v.rowStat2Vector, mask, 0));
        exec.exec(new SubOp(d, mask, d));
        exec.exec(new BroadcastMulOp(d, v.inverseStdVector[l], d, 0));
    }

    /** Writes {@code [head[r / groupSize] | tail[r] | 1]} for every row, f-order, into the input buffer. */
    private void loadPlain(Nd4jWorkspace ws, Nd4jWorkspace.Views v, double[] head, double[] tail) {
        int rows = v.rows;
        int headDim = v.headDim;
        int tailDim = v.tailDim;
        int width = headDim + tailDim + 1;
        float[] s = ws.scratch(rows * width);
        for (int r = 0; r < rows; r++) {
            int h = (r / v.groupSize) * headDim;
            for (int c = 0; c < headDim; c++) {
                s[r + rows * c] = (float) head[h + c];
            }
            int t = r * tailDim;
            for (int c = 0; c < tailDim; c++) {
                s[r + rows * (headDim + c)] = (float) tail[t + c];
            }
            s[r + rows * (width - 1)] = 1f;
        }
        ws.inputHost.put(0, s, 0, rows * width);
        Nd4jLayout.afterHostWrite(ws.input);
    }

    /** Writes {@code [tail[r] | 1]} (f-order) into the input buffer and {@code head} (f-order) into the head buffer. */
    private void loadGrouped(Nd4jWorkspace ws, Nd4jWorkspace.Views v, double[] head, double[] tail) {
        int rows = v.rows;
        int tailDim = v.tailDim;
        int width = tailDim + 1;
        float[] s = ws.scratch(Math.max(rows * width, v.groups * v.headDim));
        for (int r = 0; r < rows; r++) {
            int t = r * tailDim;
            for (int c = 0; c < tailDim; c++) {
                s[r + rows * c] = (float) tail[t + c];
            }
            s[r + rows * tailDim] = 1f;
        }
        ws.inputHost.put(0, s, 0, rows * width);
        Nd4jLayout.afterHostWrite(ws.input);
        int groups = v.groups;
        int headDim = v.headDim;
        for (int g = 0; g < groups; g++) {
            int h = g * headDim;
            for (int c = 0; c < headDim; c++) {
                s[g + groups * c] = (float) head[h + c];
            }
        }
        ws.headHost.put(0, s, 0, groups * headDim);
        Nd4jLayout.afterHostWrite(ws.head);
    }

    // ---- backward ------------------------------------------------------------------------------

    @Override
    public void backward(Workspace workspace, double[] gradOutput, ParameterGradients gradients, double[] gradHead,
                         double[] gradTail) {
        Nd4jWorkspace ws = own(workspace);
        Nd4jWorkspace.Views v = ws.last;
        if (v == null) {
            throw new IllegalStateException("backward needs a forward pass through this workspace first");
        }
        Nd4jGradients g = gradients == null ? null : ownGradients(gradients);
        int rows = v.rows;
        int last = layout.layers() - 1;
        int outDim = layout.out(last);
        requireLength("gradOutput", gradOutput, (long) rows * outDim);
        if (gradHead != null) {
            requireLength("gradHead", gradHead, (long) v.groups * v.headDim);
        }
        if (gradTail != null) {
            requireLength("gradTail", gradTail, (long) rows * v.tailDim);
        }
        boolean wantHead = gradHead != null && v.headDim > 0;
        boolean wantTail = gradTail != null && v.tailDim > 0;
        if (rows == 0 || (g == null && !wantHead && !wantTail)) {
            return;
        }
        var exec = Nd4j.getExecutioner();

        int n = rows * outDim;
        float[] s = ws.scratch(n);
        for (int r = 0; r < rows; r++) {
            int row = r * outDim;
            for (int k = 0; k < outDim; k++) {
                s[rowMajor ? row + k : r + rows * k] = (float) gradOutput[row + k];
            }
        }
        ws.gradOutputHost.put(0, s, 0, n);
        Nd4jLayout.afterHostWrite(ws.grad[last % 2]);

        for (int l = last; l >= 1; l--) {
            if (g != null && rowMajor) {
                product(v.dz[l], v.z[l - 1], g.weight(l), true, false, 1.0, 1.0);
                addBiasGradient(v, l, g);
            } else if (g != null) {
                product(v.dz[l], v.augmented[l - 1], g.augmented(l), true, false, 1.0, 1.0);
            }
            product(v.dz[l], weights[l], v.dz[l - 1], false, false, 1.0, 0.0);
            if (rowMajor) {
                OneDnnRelu.backward(v.z[l - 1], v.dz[l - 1]);
            } else if (plainRelu) {
                exec.exec(new Sign(v.z[l - 1], v.mask[l - 1]));
                exec.exec(new MulOp(v.dz[l - 1], v.mask[l - 1], v.dz[l - 1]));
            } else {
                backHidden(v, l - 1, g);
            }
        }

        if (v.grouped) {
            backwardGrouped(ws, v, g, wantHead ? gradHead : null, wantTail ? gradTail : null);
        } else {
            backwardPlain(ws, v, g, wantHead ? gradHead : null, wantTail ? gradTail : null);
        }
    }

    /**
     * Row by row (no ones column): adds layer {@code l}'s bias gradient, the sum of {@code dz[l]}'s rows, with float32
     * accumulation: float32 {@code Nd4j.gemm} for the float32 output layer's gradient (its c-order rows are the
     * columns of an f-order transpose), a bf16 product with a ones column for the hidden layers' bfloat16 ones (exact
     * inputs: the gradient is already bfloat16).
     */
    private void addBiasGradient(Nd4jWorkspace.Views v, int l, Nd4jGradients g) {
        if (l == layout.layers() - 1) {
            Nd4j.gemm(v.dzLastTransposed, v.onesRows, g.biasColumn(l), false, false, 1.0, 1.0);
        } else {
            oneDnn(v.dz[l], v.onesRows, g.biasColumn(l), true, false, 1.0, false, null);
        }
    }

    private void backwardPlain(Nd4jWorkspace ws, Nd4jWorkspace.Views v, Nd4jGradients g, double[] gradHead,
                               double[] gradTail) {
        if (g != null) {
            product(v.dz[0], ws.lastInput, g.augmented(0), true, false, 1.0, 1.0);
        }
        if (gradHead == null && gradTail == null) {
            return;
        }
        product(v.dz[0], weights[0], v.gradInput, false, false, 1.0, 0.0);
        int rows = v.rows;
        int headDim = v.headDim;
        int tailDim = v.tailDim;
        int in = headDim + tailDim;
        float[] s = ws.scratch(rows * in);
        Nd4jLayout.beforeHostRead(ws.gradInput);
        ws.gradInputHost.get(0, s, 0, rows * in);
        // Element (r, c) of the input gradient: f-order, or c-order where rowMajor.
        int rowStep = rowMajor ? in : 1;
        int columnStep = rowMajor ? 1 : rows;
        if (gradHead != null) {
            // A group's head gradient sums its rows (f-order plain passes have groupSize 1 whenever the head is
            // non-empty; row-by-row passes repeat the head over the group).
            int groupSize = v.groupSize;
            for (int grp = 0; grp < v.groups; grp++) {
                int h = grp * headDim;
                for (int c = 0; c < headDim; c++) {
                    double sum = 0;
                    for (int j = 0, r = grp * groupSize; j < groupSize; j++, r++) {
                        sum += s[r * rowStep + c * columnStep];
                    }
                    gradHead[h + c] = sum;
                }
            }
        }
        if (gradTail != null) {
            for (int r = 0; r < rows; r++) {
                int t = r * tailDim;
                for (int c = 0; c < tailDim; c++) {
                    gradTail[t + c] = s[r * rowStep + (headDim + c) * columnStep];
                }
            }
        }
    }

    private void backwardGrouped(Nd4jWorkspace ws, Nd4jWorkspace.Views v, Nd4jGradients g, double[] gradHead,
                                 double[] gradTail) {
        Nd4jGradients.Layer0 w0 = layer0(v.tailDim);
        if (g != null || gradHead != null) {
            // Sum each group's rows of dZ0: ones[groupSize]ᵀ · dZ0 viewed as [groupSize, groups·h0].
            Nd4j.gemm(v.onesColumn, v.dz0Wide, v.headTermGradRow, true, false, 1.0, 0.0);
        }
        if (g != null) {
            Nd4jGradients.Layer0 g0 = g.layer0(v.tailDim);
            product(v.dz[0], ws.lastInput, g0.tailAndBias, true, false, 1.0, 1.0);
            product(v.headTermGrad, ws.lastHead, g0.head, true, false, 1.0, 1.0);
        }
        if (gradHead != null) {
            product(v.headTermGrad, w0.head, v.gradHead, false, false, 1.0, 0.0);
            int groups = v.groups;
            int headDim = v.headDim;
            float[] s = ws.scratch(groups * headDim);
            Nd4jLayout.beforeHostRead(ws.gradHeadInput);
            ws.gradHeadInputHost.get(0, s, 0, groups * headDim);
            for (int grp = 0; grp < groups; grp++) {
                int h = grp * headDim;
                for (int c = 0; c < headDim; c++) {
                    gradHead[h + c] = s[grp + groups * c];
                }
            }
        }
        if (gradTail != null) {
            product(v.dz[0], w0.tail, v.gradInput, false, false, 1.0, 0.0);
            int rows = v.rows;
            int tailDim = v.tailDim;
            float[] s = ws.scratch(rows * tailDim);
            Nd4jLayout.beforeHostRead(ws.gradInput);
            ws.gradInputHost.get(0, s, 0, rows * tailDim);
            for (int r = 0; r < rows; r++) {
                int t = r * tailDim;
                for (int c = 0; c < tailDim; c++) {
                    gradTail[t + c] = s[r + rows * c];
                }
            }
        }
    }

    // ---- parameters ----------------------------------------------------------------------------

    @Override
    public ParameterGradients newGradients() {
        return new Nd4jGradients(layout);
    }

    @Override
    public Optimizer newAdam() {
        return new Nd4jAdam(this);
    }

    @Override
    public void copyParametersFrom(Network source) {
        Nd4jNetwork src = sameShape(source);
        if (src == null) {
            importParameters(source.exportParameters());
        } else if (src != this) {
            params.assign(src.params);
        }
    }

    @Override
    public void softUpdateFrom(Network source, double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], found " + tau);
        }
        Nd4jNetwork src = sameShape(source);
        INDArray other;
        if (src != null) {
            other = src.params;
        } else {
            double[][] p = source.exportParameters();
            spec.checkParameterLayout(p);
            float[] flat = new float[layout.size()];
            layout.toFlat(p, flat);
            other = Nd4jLayout.floats(layout.size());
            Nd4jLayout.host(other).put(0, flat, 0, flat.length);
            Nd4jLayout.afterHostWrite(other);
        }
        if (other == params) {
            return;
        }
        params.muli(1 - tau);
        Nd4j.getBlasWrapper().level1().axpy(params.length(), tau, other, params);
    }

    /** The source as an ND4J network, null if it is another backend's; fails if the spec differs. */
    private Nd4jNetwork sameShape(Network source) {
        if (source == null) {
            throw new IllegalArgumentException("source network must not be null");
        }
        if (!source.spec().equals(spec)) {
            throw new IllegalArgumentException("source network must have spec " + spec + ", found " + source.spec());
        }
        return source instanceof Nd4jNetwork n ? n : null;
    }

    @Override
    public double[][] exportParameters() {
        float[] host = new float[layout.size()];
        Nd4jLayout.beforeHostRead(params);
        Nd4jLayout.host(params).get(0, host, 0, host.length);
        return layout.fromFlat(host);
    }

    @Override
    public void importParameters(double[][] parameters) {
        spec.checkParameterLayout(parameters);
        float[] flat = new float[layout.size()];
        layout.toFlat(parameters, flat);
        FloatBuffer host = Nd4jLayout.host(params);
        host.put(0, flat, 0, flat.length);
        Nd4jLayout.afterHostWrite(params);
    }

    private static void requireLength(String name, double[] array, long needed) {
        if (needed == 0) {
            return;
        }
        if (array == null) {
            throw new IllegalArgumentException(name + " must hold " + needed + " values, found null");
        }
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " must hold at least " + needed + " values, found " + array.length);
        }
    }

    @Override
    public String toString() {
        return "Nd4jNetwork" + (bf16 ? "[bf16]" : "") + spec;
    }
}
