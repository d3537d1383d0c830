package org.calql.nd4j;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Preallocated float buffers for passes of at most {@link #maxRows()} rows through one
 * {@link Nd4jNetwork}, and f-order views of them for each pass shape, cached (least recently used,
 * at most {@value #CACHED_SHAPES} shapes) so that steady-state passes allocate nothing.
 *
 * <p>Hidden activations are stored as f-order {@code [rows, width + 1]}: the last column holds ones so
 * the next layer's gemm adds the bias, and the first {@code rows·width} floats are the plain
 * activations.
 *
 * <p>A plain ReLU network on oneDNN ({@link Nd4jNetwork#rowMajor()}) keeps its activations and their gradients
 * row by row instead, as dense c-order {@code [rows, width]} matrices without a ones column (its layers after the
 * first add the bias through oneDNN's bias argument: oneDNN's fast kernels want a dense result). At BF16 the hidden
 * ones are bfloat16: each is only ever an input of a bfloat16 product, the ReLU's mask or a bias gradient's float32
 * sum, so no product's inputs change, and the passes move half the bytes. The output layer and its gradient stay
 * float32.
 * Its passes are never grouped: layer 0's input (still f-order, with its ones column) holds each row's head,
 * repeated over the group. That puts the rows of the batch on the tall side of every big product (see
 * {@link Bf16Gemm}).
 *
 * <p>Specs other than plain ReLU add, per hidden layer: with LayerNorm the normalised values
 * {@code x̂} and each row's {@code 1/sqrt(var + ε)} (kept for backward), with SiLU the pre-activations; and,
 * shared by all layers, two row-statistics vectors and a ones vector as wide as the widest hidden layer.
 */
final class Nd4jWorkspace implements Workspace {
    static final int CACHED_SHAPES = 16;

    final Nd4jNetwork network;
    /** Activations row by row (see the class comment). */
    final boolean rowMajor;
    final int maxRows;
    final int layers;
    final INDArray input;
    final INDArray head;
    final INDArray[] activations;
    final INDArray headTerm;
    final INDArray headTermGrad;
    final INDArray ones;
    final INDArray[] grad;
    /** Row by row: the hidden layers' gradients, bfloat16 (null otherwise). */
    final INDArray[] gradHidden;
    final INDArray mask;
    final INDArray gradInput;
    final INDArray gradHeadInput;
    /** Per hidden layer: LayerNorm's x̂ {@code [rows, out]} (null without LayerNorm). */
    final INDArray[] normalized;
    /** Per hidden layer: each row's {@code 1/sqrt(var + ε)} (null without LayerNorm). */
    final INDArray[] inverseStd;
    /** Per hidden layer: the activation's input, kept for SiLU's derivative (null for other activations). */
    final INDArray[] pre;
    /** Row statistics scratch (null for plain ReLU). */
    final INDArray rowStat;
    final INDArray rowStat2;
    /** Ones as wide as the widest hidden layer (null for plain ReLU). */
    final INDArray onesWidth;
    final FloatBuffer inputHost;
    final FloatBuffer headHost;
    final FloatBuffer outputHost;
    final FloatBuffer gradOutputHost;
    final FloatBuffer gradInputHost;
    final FloatBuffer gradHeadInputHost;
    float[] scratch = new float[0];

    /** Views of the last forward pass, or null before the first one. */
    Views last;
    /**
     * Layer 0's input of the last forward (its own {@link Views#input} or staged {@link Nd4jRows}), and the head
     * of a grouped one: what backward multiplies for layer 0's weight gradients.
     */
    INDArray lastInput;
    INDArray lastHead;

    private final Map<Key, Views> cache = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Views> eldest) {
            return size() > CACHED_SHAPES;
        }
    };

    Nd4jWorkspace(Nd4jNetwork network, int maxRows) {
        this.network = network;
        this.rowMajor = network.rowMajor();
        this.maxRows = maxRows;
        Nd4jLayout layout = network.layout();
        layers = layout.layers();
        long rows = Math.max(1, maxRows);
        int in = layout.in(0);
        int h0 = layout.out(0);
        int widest = 1;
        int widestHidden = 1;
        for (int l = 0; l < layers; l++) {
            widest = Math.max(widest, layout.out(l));
            if (l < layers - 1) {
                widestHidden = Math.max(widestHidden, layout.out(l));
            }
        }
        input = Nd4jLayout.floats(rows * (in + 1));
        head = Nd4jLayout.floats(rows * in);
        activations = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            boolean hidden = l < layers - 1;
            activations[l] = rowMajor && hidden && network.bf16() ? Nd4jLayout.bfloats(rows * layout.out(l))
                    : Nd4jLayout.floats(rows * (layout.out(l) + (hidden ? 1 : 0)));
        }
        headTerm = Nd4jLayout.floats(rows * h0);
        headTermGrad = Nd4jLayout.floats(rows * h0);
        ones = Nd4jLayout.floats(rows).assign(1.0);
        // Row by row, only the output layer's gradient is float32; the hidden ones are bfloat16 and need no mask.
        long gradWidth = rowMajor ? layout.out(layers - 1) : widest;
        grad = new INDArray[] {Nd4jLayout.floats(rows * gradWidth), Nd4jLayout.floats(rows * gradWidth)};
        DataType hiddenType = network.bf16() ? DataType.BFLOAT16 : DataType.FLOAT;
        gradHidden = !rowMajor ? null : new INDArray[] {Nd4jLayout.zeros(hiddenType, rows * widestHidden),
                Nd4jLayout.zeros(hiddenType, rows * widestHidden)};
        mask = Nd4jLayout.floats(rowMajor ? 1 : rows * widestHidden);
        gradInput = Nd4jLayout.floats(rows * in);
        gradHeadInput = Nd4jLayout.floats(rows * in);
        NetworkSpec spec = layout.spec();
        boolean layerNorm = spec.layerNorm();
        boolean keepPre = spec.activation() == Activation.SILU;
        normalized = layerNorm ? new INDArray[layers - 1] : null;
        inverseStd = layerNorm ? new INDArray[layers - 1] : null;
        pre = keepPre ? new INDArray[layers - 1] : null;
        for (int l = 0; l < layers - 1; l++) {
            if (layerNorm) {
                normalized[l] = Nd4jLayout.floats(rows * layout.out(l));
                inverseStd[l] = Nd4jLayout.floats(rows);
            }
            if (keepPre) {
                pre[l] = Nd4jLayout.floats(rows * layout.out(l));
            }
        }
        boolean plain = spec.isPlainRelu();
        rowStat = plain ? null : Nd4jLayout.floats(rows);
        rowStat2 = plain ? null : Nd4jLayout.floats(rows);
        onesWidth = plain ? null : Nd4jLayout.floats(widestHidden).assign(1.0);
        inputHost = Nd4jLayout.host(input);
        headHost = Nd4jLayout.host(head);
        outputHost = Nd4jLayout.host(activations[layers - 1]);
        gradOutputHost = Nd4jLayout.host(grad[(layers - 1) % 2]);
        gradInputHost = Nd4jLayout.host(gradInput);
        gradHeadInputHost = Nd4jLayout.host(gradHeadInput);
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    /** A host scratch array of at least {@code length} floats (grows, never shrinks). */
    float[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new float[Math.max(length, scratch.length + scratch.length / 2)];
        }
        return scratch;
    }

    /** The views for a pass of {@code groups × groupSize} rows with a tail of {@code tailDim}. */
    Views views(int groups, int groupSize, int tailDim) {
        Key key = new Key(groups, groupSize, tailDim);
        Views v = cache.get(key);
        if (v == null) {
            v = new Views(this, groups, groupSize, tailDim);
            cache.put(key, v);
        }
        return v;
    }

    private record Key(int groups, int groupSize, int tailDim) {
    }

    /**
     * Views of the workspace buffers for one pass shape (f-order, or row by row where {@link #rowMajor}). A pass is
     * "grouped" when rows share a head ({@code groupSize > 1}), the head is not empty and the layout is f-order:
     * layer 0 then multiplies the head once per group and broadcasts it; otherwise the whole input row is assembled
     * and multiplied at once.
     */
    static final class Views {
        final int rows;
        final int groups;
        final int groupSize;
        final int tailDim;
        final int headDim;
        final boolean grouped;

        /** Plain: {@code [rows, in + 1]} input with ones; grouped: {@code [rows, tailDim + 1]} tail with ones. */
        final INDArray input;
        /** Grouped only: {@code [groups, headDim]}. */
        final INDArray head;
        /** Grouped only: head term {@code [groups, h0]}, as a row {@code [1, groups·h0]}, and its gradient. */
        final INDArray headTerm;
        final INDArray headTermRow;
        final INDArray headTermGrad;
        final INDArray headTermGradRow;
        /** Grouped only: layer 0 pre-activation and its gradient as {@code [groupSize, groups·h0]}. */
        final INDArray z0Wide;
        final INDArray dz0Wide;
        /** Grouped, or row by row with {@code groupSize > 1}: ones {@code [groupSize, 1]}. */
        final INDArray onesColumn;
        /**
         * Row by row with {@code groupSize > 1} and a head: the input's head columns as {@code [groupSize,
         * groups·headDim]}, where a rank-1 product repeats each group's head over its rows (null otherwise).
         */
        final INDArray inputHeadWide;
        /** Plain: input gradient {@code [rows, in]}; grouped: tail gradient {@code [rows, tailDim]} (null if 0). */
        final INDArray gradInput;
        /** Grouped only: head gradient {@code [groups, headDim]}. */
        final INDArray gradHead;
        /** Plain only: the head columns {@code [rows, headDim]}, tail columns and ones column of {@link #input}. */
        final INDArray inputHeadColumns;
        final INDArray inputTailColumns;
        final INDArray inputOnes;

        /** Per layer: output {@code [rows, out]} (after the activation for hidden layers). */
        final INDArray[] z;
        /** Per hidden layer: output with its ones column {@code [rows, out + 1]} (null row by row). */
        final INDArray[] augmented;
        /** Per hidden layer: the ones column as a vector of {@code rows} (null row by row). */
        final INDArray[] onesTail;
        /** Per layer: gradient with respect to the layer's output {@code [rows, out]}. */
        final INDArray[] dz;
        /** Per hidden layer: scratch {@code [rows, out]} for the activation's derivative (null row by row). */
        final INDArray[] mask;
        /** Per hidden layer with LayerNorm: x̂ {@code [rows, out]}, 1/sqrt(var + ε) as {@code [rows, 1]} and as a vector. */
        final INDArray[] normalized;
        final INDArray[] inverseStd;
        final INDArray[] inverseStdVector;
        /** Per hidden layer with SiLU: the activation's input {@code [rows, out]}. */
        final INDArray[] pre;
        /** Not plain ReLU: row statistics {@code [rows, 1]} and as vectors; not plain ReLU or row by row: ones {@code [rows, 1]}. */
        final INDArray rowStat;
        final INDArray rowStatVector;
        final INDArray rowStat2;
        final INDArray rowStat2Vector;
        final INDArray onesRows;
        /** Row by row: the output layer's float32 gradient {@code dz[last]} seen as its f-order transpose. */
        final INDArray dzLastTransposed;
        /** Not plain ReLU, per hidden layer: ones {@code [out, 1]} and {@code [1, out]}. */
        final INDArray[] onesWidthColumn;
        final INDArray[] onesWidthRow;

        Views(Nd4jWorkspace ws, int groups, int groupSize, int tailDim) {
            Nd4jLayout layout = ws.network.layout();
            int in = layout.in(0);
            int h0 = layout.out(0);
            this.rows = groups * groupSize;
            this.groups = groups;
            this.groupSize = groupSize;
            this.tailDim = tailDim;
            this.headDim = in - tailDim;
            this.grouped = groupSize > 1 && headDim > 0 && !ws.rowMajor;
            int layers = ws.layers;
            z = new INDArray[layers];
            augmented = new INDArray[layers];
            onesTail = new INDArray[layers];
            dz = new INDArray[layers];
            mask = new INDArray[layers];
            boolean plain = ws.rowStat == null;
            normalized = ws.normalized == null ? null : new INDArray[layers];
            inverseStd = ws.normalized == null ? null : new INDArray[layers];
            inverseStdVector = ws.normalized == null ? null : new INDArray[layers];
            pre = ws.pre == null ? null : new INDArray[layers];
            onesWidthColumn = plain ? null : new INDArray[layers];
            onesWidthRow = plain ? null : new INDArray[layers];
            int outLast = layout.out(layers - 1);
            dzLastTransposed = rows > 0 && ws.rowMajor
                    ? Nd4jLayout.fView(ws.grad[(layers - 1) % 2], 0, outLast, rows) : null;
            if (rows == 0 || plain) {
                rowStat = rowStatVector = rowStat2 = rowStat2Vector = null;
                onesRows = rows > 0 && ws.rowMajor ? Nd4jLayout.fView(ws.ones, 0, rows, 1) : null;
            } else {
                rowStat = Nd4jLayout.fView(ws.rowStat, 0, rows, 1);
                rowStatVector = Nd4jLayout.vector(ws.rowStat, 0, rows);
                rowStat2 = Nd4jLayout.fView(ws.rowStat2, 0, rows, 1);
                rowStat2Vector = Nd4jLayout.vector(ws.rowStat2, 0, rows);
                onesRows = Nd4jLayout.fView(ws.ones, 0, rows, 1);
            }
            if (rows == 0) {
                input = head = headTerm = headTermRow = headTermGrad = headTermGradRow = null;
                z0Wide = dz0Wide = onesColumn = gradInput = gradHead = inputHeadWide = null;
                inputHeadColumns = inputTailColumns = inputOnes = null;
                return;
            }
            for (int l = 0; l < layers && ws.rowMajor; l++) {
                int out = layout.out(l);
                boolean hidden = l < layers - 1;
                dz[l] = Nd4jLayout.cView(hidden ? ws.gradHidden[l % 2] : ws.grad[l % 2], 0, rows, out);
                z[l] = Nd4jLayout.cView(ws.activations[l], 0, rows, out);
            }
            for (int l = 0; l < layers && !ws.rowMajor; l++) {
                int out = layout.out(l);
                z[l] = Nd4jLayout.fView(ws.activations[l], 0, rows, out);
                dz[l] = Nd4jLayout.fView(ws.grad[l % 2], 0, rows, out);
                if (l < layers - 1) {
                    augmented[l] = Nd4jLayout.fView(ws.activations[l], 0, rows, out + 1);
                    onesTail[l] = Nd4jLayout.vector(ws.activations[l], (long) rows * out, rows);
                    mask[l] = Nd4jLayout.fView(ws.mask, 0, rows, out);
                    if (normalized != null) {
                        normalized[l] = Nd4jLayout.fView(ws.normalized[l], 0, rows, out);
                        inverseStd[l] = Nd4jLayout.fView(ws.inverseStd[l], 0, rows, 1);
                        inverseStdVector[l] = Nd4jLayout.vector(ws.inverseStd[l], 0, rows);
                    }
                    if (pre != null) {
                        pre[l] = Nd4jLayout.fView(ws.pre[l], 0, rows, out);
                    }
                    if (!plain) {
                        onesWidthColumn[l] = Nd4jLayout.fView(ws.onesWidth, 0, out, 1);
                        onesWidthRow[l] = Nd4jLayout.fView(ws.onesWidth, 0, 1, out);
                    }
                }
            }
            if (grouped) {
                input = Nd4jLayout.fView(ws.input, 0, rows, tailDim + 1);
                head = Nd4jLayout.fView(ws.head, 0, groups, headDim);
                headTerm = Nd4jLayout.fView(ws.headTerm, 0, groups, h0);
                headTermRow = Nd4jLayout.fView(ws.headTerm, 0, 1, (long) groups * h0);
                headTermGrad = Nd4jLayout.fView(ws.headTermGrad, 0, groups, h0);
                headTermGradRow = Nd4jLayout.fView(ws.headTermGrad, 0, 1, (long) groups * h0);
                z0Wide = Nd4jLayout.fView(ws.activations[0], 0, groupSize, (long) groups * h0);
                dz0Wide = Nd4jLayout.fView(ws.grad[0], 0, groupSize, (long) groups * h0);
                onesColumn = Nd4jLayout.fView(ws.ones, 0, groupSize, 1);
                gradInput = tailDim == 0 ? null : Nd4jLayout.fView(ws.gradInput, 0, rows, tailDim);
                gradHead = Nd4jLayout.fView(ws.gradHeadInput, 0, groups, headDim);
                inputHeadColumns = inputTailColumns = inputOnes = inputHeadWide = null;
            } else {
                input = Nd4jLayout.fView(ws.input, 0, rows, in + 1);
                head = headTerm = headTermRow = headTermGrad = headTermGradRow = null;
                z0Wide = dz0Wide = gradHead = null;
                boolean repeated = groupSize > 1 && headDim > 0;
                onesColumn = repeated ? Nd4jLayout.fView(ws.ones, 0, groupSize, 1) : null;
                inputHeadWide = repeated ? Nd4jLayout.fView(ws.input, 0, groupSize, (long) groups * headDim) : null;
                gradInput = ws.rowMajor ? Nd4jLayout.cView(ws.gradInput, 0, rows, in)
                        : Nd4jLayout.fView(ws.gradInput, 0, rows, in);
                inputHeadColumns = headDim == 0 ? null : Nd4jLayout.fView(ws.input, 0, rows, headDim);
                inputTailColumns = tailDim == 0 ? null
                        : Nd4jLayout.fView(ws.input, (long) rows * headDim, rows, tailDim);
                inputOnes = Nd4jLayout.vector(ws.input, (long) rows * in, rows);
            }
        }
    }
}
