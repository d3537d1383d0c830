package org.calql.nd4j;

import org.calql.spi.ParameterGradients;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter gradients of one {@link Nd4jNetwork} shape, in the network's flat layout (see
 * {@link Nd4jLayout}), so that one gemm per layer adds both weight and bias gradients (and, with
 * LayerNorm, one gemm each the gain and shift gradients).
 */
final class Nd4jGradients implements ParameterGradients {
    private final Nd4jLayout layout;
    private final INDArray flat;
    private final INDArray[] augmented;
    private final INDArray[] weights;
    private final INDArray[] biasColumns;
    private final Layer0[] layer0;
    private final INDArray[] gainColumns;
    private final INDArray[] shiftColumns;

    Nd4jGradients(Nd4jLayout layout) {
        this.layout = layout;
        this.flat = Nd4jLayout.floats(layout.size());
        this.augmented = new INDArray[layout.layers()];
        this.weights = new INDArray[layout.layers()];
        this.biasColumns = new INDArray[layout.layers()];
        for (int l = 0; l < augmented.length; l++) {
            augmented[l] = layout.augmented(flat, l);
            weights[l] = layout.weight(flat, l);
            biasColumns[l] = layout.bias(flat, l);
        }
        this.layer0 = new Layer0[layout.in(0) + 1];
        int hiddenLayers = layout.layers() - 1;
        boolean layerNorm = layout.spec().layerNorm();
        gainColumns = layerNorm ? new INDArray[hiddenLayers] : null;
        shiftColumns = layerNorm ? new INDArray[hiddenLayers] : null;
        for (int l = 0; layerNorm && l < hiddenLayers; l++) {
            gainColumns[l] = Nd4jLayout.fView(flat, layout.gainOffset(l), layout.out(l), 1);
            shiftColumns[l] = Nd4jLayout.fView(flat, layout.shiftOffset(l), layout.out(l), 1);
        }
    }

    Nd4jLayout layout() {
        return layout;
    }

    INDArray flat() {
        return flat;
    }

    /** Augmented gradient {@code [out, in + 1]} of {@code layer}. */
    INDArray augmented(int layer) {
        return augmented[layer];
    }

    /** Weight gradient {@code [out, in]} of {@code layer} (the first columns of {@link #augmented}). */
    INDArray weight(int layer) {
        return weights[layer];
    }

    /** Bias gradient of {@code layer} as an f-order {@code [out, 1]} view (the last column of {@link #augmented}). */
    INDArray biasColumn(int layer) {
        return biasColumns[layer];
    }

    /** Hidden layer {@code layer}'s LayerNorm gain gradient as an f-order {@code [out, 1]} view (LayerNorm only). */
    INDArray gainColumn(int layer) {
        return gainColumns[layer];
    }

    /** Hidden layer {@code layer}'s LayerNorm shift gradient as an f-order {@code [out, 1]} view (LayerNorm only). */
    INDArray shiftColumn(int layer) {
        return shiftColumns[layer];
    }

    /** Views of layer 0's gradient split at {@code tailDim} (single-threaded, like every gradient use). */
    Layer0 layer0(int tailDim) {
        Layer0 v = layer0[tailDim];
        if (v == null) {
            v = new Layer0(layout, flat, tailDim);
            layer0[tailDim] = v;
        }
        return v;
    }

    @Override
    public void zero() {
        flat.assign(0.0);
    }

    @Override
    public double[][] export() {
        float[] host = new float[layout.size()];
        Nd4jLayout.beforeHostRead(flat);
        Nd4jLayout.host(flat).get(0, host, 0, host.length);
        return layout.fromFlat(host);
    }

    @Override
    public void scale(double factor) {
        flat.muli(factor);
    }

    /**
     * Layer 0 of an augmented matrix split for grouped input: head columns {@code [out, headDim]},
     * tail-plus-bias columns {@code [out, tailDim + 1]} and tail columns {@code [out, tailDim]}
     * (null when {@code tailDim == 0}); null head when {@code headDim == 0}.
     */
    static final class Layer0 {
        final INDArray head;
        final INDArray tailAndBias;
        final INDArray tail;

        Layer0(Nd4jLayout layout, INDArray flat, int tailDim) {
            int headDim = layout.in(0) - tailDim;
            head = headDim == 0 ? null : layout.columns(flat, 0, 0, headDim);
            tailAndBias = layout.columns(flat, 0, headDim, tailDim + 1);
            tail = tailDim == 0 ? null : layout.columns(flat, 0, headDim, tailDim);
        }
    }
}
