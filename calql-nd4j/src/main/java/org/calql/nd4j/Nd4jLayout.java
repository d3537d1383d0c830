package org.calql.nd4j;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.calql.spi.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a network's parameters live in one flat float buffer, and the few ND4J helpers the backend
 * needs (allocation outside any ND4J workspace, f-order views, host transfers).
 *
 * <p>Layer {@code l} occupies {@code out·(in + 1)} floats from {@link #offset(int)}: the augmented
 * weight {@code [W | b]} as an f-order {@code [out, in + 1]} matrix, so weight {@code (o, i)} sits at
 * {@code offset + o + out·i} and bias {@code o} at {@code offset + out·in + o}. Column ranges of an
 * f-order matrix are contiguous, which makes the weight alone, the head columns and the tail-plus-bias
 * columns of layer 0 plain views. With LayerNorm, each hidden layer's block is followed by its gain
 * ({@code out} floats, {@link #gainOffset(int)}) and its shift ({@code out} floats, {@link #shiftOffset(int)}),
 * mirroring the exported layout {@code [w, b, gain, shift]} (see {@link NetworkSpec}).
 */
final class Nd4jLayout {
    private final NetworkSpec spec;
    private final int[] in;
    private final int[] out;
    private final long[] offset;
    /** Per hidden layer with LayerNorm, where its gain starts (its shift follows); null without LayerNorm. */
    private final long[] gainOffset;
    private final int size;

    Nd4jLayout(NetworkSpec spec) {
        this.spec = spec;
        int layers = spec.layerCount();
        in = new int[layers];
        out = new int[layers];
        offset = new long[layers];
        gainOffset = spec.layerNorm() ? new long[layers - 1] : null;
        long total = 0;
        for (int l = 0; l < layers; l++) {
            in[l] = spec.layerInput(l);
            out[l] = spec.layerOutput(l);
            offset[l] = total;
            total += (long) out[l] * (in[l] + 1);
            if (gainOffset != null && l < layers - 1) {
                gainOffset[l] = total;
                total += 2L * out[l];
            }
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("network has " + total + " parameters; the ND4J backend supports at most "
                    + (Integer.MAX_VALUE - 16));
        }
        size = (int) total;
    }

    NetworkSpec spec() {
        return spec;
    }

    int layers() {
        return in.length;
    }

    int in(int layer) {
        return in[layer];
    }

    int out(int layer) {
        return out[layer];
    }

    long offset(int layer) {
        return offset[layer];
    }

    /** Start of hidden layer {@code layer}'s LayerNorm gain ({@code out} floats); the spec must have LayerNorm. */
    long gainOffset(int layer) {
        return gainOffset[layer];
    }

    /** Start of hidden layer {@code layer}'s LayerNorm shift ({@code out} floats). */
    long shiftOffset(int layer) {
        return gainOffset[layer] + out[layer];
    }

    /** Number of floats in the flat buffer (equals {@link NetworkSpec#parameterCount()}). */
    int size() {
        return size;
    }

    /** Augmented weight {@code [out, in + 1]} of {@code layer} inside {@code flat}. */
    INDArray augmented(INDArray flat, int layer) {
        return fView(flat, offset[layer], out[layer], in[layer] + 1);
    }

    /** Weight {@code [out, in]} of {@code layer} inside {@code flat}. */
    INDArray weight(INDArray flat, int layer) {
        return fView(flat, offset[layer], out[layer], in[layer]);
    }

    /** Bias {@code [out, 1]} of {@code layer} inside {@code flat}: the last column of its augmented weight. */
    INDArray bias(INDArray flat, int layer) {
        return columns(flat, layer, in[layer], 1);
    }

    /** Columns {@code [first, first + count)} of layer {@code layer}'s augmented weight. */
    INDArray columns(INDArray flat, int layer, int first, int count) {
        return fView(flat, offset[layer] + (long) out[layer] * first, out[layer], count);
    }

    /** Writes parameters in export layout ({@link NetworkSpec#checkParameterLayout} already passed) into {@code flat}. */
    void toFlat(double[][] params, float[] flat) {
        for (int l = 0; l < in.length; l++) {
            int o = out[l];
            int n = in[l];
            int base = (int) offset[l];
            double[] w = params[spec.weightArray(l)];
            double[] b = params[spec.biasArray(l)];
            for (int r = 0; r < o; r++) {
                int row = r * n;
                for (int c = 0; c < n; c++) {
                    flat[base + r + o * c] = (float) w[row + c];
                }
            }
            int biasBase = base + o * n;
            for (int r = 0; r < o; r++) {
                flat[biasBase + r] = (float) b[r];
            }
            if (gainOffset != null && l < in.length - 1) {
                double[] gain = params[spec.gainArray(l)];
                double[] shift = params[spec.shiftArray(l)];
                int g = (int) gainOffset[l];
                for (int r = 0; r < o; r++) {
                    flat[g + r] = (float) gain[r];
                    flat[g + o + r] = (float) shift[r];
                }
            }
        }
    }

    /** Reads {@code flat} into a fresh array in export layout. */
    double[][] fromFlat(float[] flat) {
        double[][] params = new double[spec.parameterArrayCount()][];
        for (int l = 0; l < in.length; l++) {
            int o = out[l];
            int n = in[l];
            int base = (int) offset[l];
            double[] w = new double[o * n];
            double[] b = new double[o];
            for (int r = 0; r < o; r++) {
                int row = r * n;
                for (int c = 0; c < n; c++) {
                    w[row + c] = flat[base + r + o * c];
                }
            }
            int biasBase = base + o * n;
            for (int r = 0; r < o; r++) {
                b[r] = flat[biasBase + r];
            }
            params[spec.weightArray(l)] = w;
            params[spec.biasArray(l)] = b;
            if (gainOffset != null && l < in.length - 1) {
                double[] gain = new double[o];
                double[] shift = new double[o];
                int g = (int) gainOffset[l];
                for (int r = 0; r < o; r++) {
                    gain[r] = flat[g + r];
                    shift[r] = flat[g + o + r];
                }
                params[spec.gainArray(l)] = gain;
                params[spec.shiftArray(l)] = shift;
            }
        }
        return params;
    }

    // ---- ND4J helpers ------------------------------------------------------------------------

    /** A zeroed float vector of {@code length} elements, allocated outside any ND4J workspace. */
    static INDArray floats(long length) {
        return zeros(DataType.FLOAT, length);
    }

    /** A zeroed bfloat16 vector of {@code length} elements, allocated outside any ND4J workspace. */
    static INDArray bfloats(long length) {
        return zeros(DataType.BFLOAT16, length);
    }

    /** A zeroed vector of {@code length} elements of {@code type}, allocated outside any ND4J workspace. */
    static INDArray zeros(DataType type, long length) {
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            return Nd4j.create(type, Math.max(1, length));
        } finally {
            outside.close();
        }
    }

    /**
     * An f-order {@code [rows, cols]} view of the contiguous range of {@code flat} starting at
     * {@code offset}; shares memory with {@code flat} (usable as a gemm output).
     */
    static INDArray fView(INDArray flat, long offset, long rows, long cols) {
        return view(flat, offset, rows, cols, 'f');
    }

    /**
     * A c-order (row by row) {@code [rows, cols]} view of the contiguous range of {@code flat} starting at
     * {@code offset}; shares memory with {@code flat}.
     */
    static INDArray cView(INDArray flat, long offset, long rows, long cols) {
        return view(flat, offset, rows, cols, 'c');
    }

    private static INDArray view(INDArray flat, long offset, long rows, long cols, char order) {
        long length = rows * cols;
        INDArray range = flat.get(NDArrayIndex.interval(offset, offset + length));
        INDArray view = range.reshape(order, rows, cols);
        if (view.data().address() != flat.data().address() || view.offset() != flat.offset() + offset) {
            throw new IllegalStateException("ND4J copied instead of viewing a contiguous range");
        }
        return view;
    }

    /** A vector view of {@code length} elements of {@code flat} starting at {@code offset}. */
    static INDArray vector(INDArray flat, long offset, long length) {
        return flat.get(NDArrayIndex.interval(offset, offset + length));
    }

    /** A host {@link FloatBuffer} over all of {@code flat}'s memory (CPU backends share it directly). */
    static FloatBuffer host(INDArray flat) {
        FloatPointer p = new FloatPointer(flat.data().pointer());
        p.position(0);
        p.limit(flat.data().length());
        p.capacity(flat.data().length());
        return p.asBuffer();
    }

    /** Makes sure the host copy of {@code flat} is current before Java reads it (a no-op on CPU). */
    static void beforeHostRead(INDArray flat) {
        Nd4j.getAffinityManager().ensureLocation(flat, AffinityManager.Location.HOST);
    }

    /** Marks the host copy of {@code flat} as the current one after Java wrote it (a no-op on CPU). */
    static void afterHostWrite(INDArray flat) {
        Nd4j.getAffinityManager().tagLocation(flat, AffinityManager.Location.HOST);
    }
}
