package org.calql.nd4j;

import org.calql.spi.AdamState;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam with {@code torch.optim.Adam} semantics on a network's flat float buffer:
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code θ ← θ − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + ε)} with β = (0.9, 0.999), ε = 1e-8.
 * Moments are float32, like the parameters.
 */
final class Nd4jAdam implements Optimizer {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final Nd4jNetwork network;
    private final INDArray m;
    private final INDArray v;
    private final INDArray scratch;
    private long steps;

    Nd4jAdam(Nd4jNetwork network) {
        this.network = network;
        int size = network.layout().size();
        m = Nd4jLayout.floats(size);
        v = Nd4jLayout.floats(size);
        scratch = Nd4jLayout.floats(size);
    }

    @Override
    public void step(ParameterGradients gradients, double learningRate) {
        Nd4jGradients g = network.ownGradients(gradients);
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and non-negative, found " + learningRate);
        }
        long t = steps + 1;
        double biasCorrection1 = 1 - Math.pow(BETA1, t);
        double biasCorrection2 = 1 - Math.pow(BETA2, t);
        double stepSize = learningRate / biasCorrection1;
        INDArray grad = g.flat();
        INDArray theta = network.parameters();
        long n = theta.length();
        var blas = Nd4j.getBlasWrapper().level1();
        var exec = Nd4j.getExecutioner();

        m.muli(BETA1);
        blas.axpy(n, 1 - BETA1, grad, m);
        v.muli(BETA2);
        exec.exec(new MulOp(grad, grad, scratch));
        blas.axpy(n, 1 - BETA2, scratch, v);
        exec.exec(new Sqrt(v, scratch));
        scratch.divi(Math.sqrt(biasCorrection2)).addi(EPSILON);
        exec.exec(new DivOp(m, scratch, scratch));
        blas.axpy(n, -stepSize, scratch, theta);
        steps = t;
    }

    @Override
    public AdamState exportState() {
        Nd4jLayout layout = network.layout();
        float[] host = new float[layout.size()];
        Nd4jLayout.beforeHostRead(m);
        Nd4jLayout.host(m).get(0, host, 0, host.length);
        double[][] first = layout.fromFlat(host);
        Nd4jLayout.beforeHostRead(v);
        Nd4jLayout.host(v).get(0, host, 0, host.length);
        double[][] second = layout.fromFlat(host);
        return new AdamState(steps, first, second);
    }

    @Override
    public void importState(AdamState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        if (state.steps() < 0) {
            throw new IllegalArgumentException("steps must be non-negative, found " + state.steps());
        }
        Nd4jLayout layout = network.layout();
        try {
            layout.spec().checkParameterLayout(state.firstMoment());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("firstMoment: " + e.getMessage(), e);
        }
        try {
            layout.spec().checkParameterLayout(state.secondMoment());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secondMoment: " + e.getMessage(), e);
        }
        float[] first = new float[layout.size()];
        float[] second = new float[layout.size()];
        layout.toFlat(state.firstMoment(), first);
        layout.toFlat(state.secondMoment(), second);
        Nd4jLayout.host(m).put(0, first, 0, first.length);
        Nd4jLayout.afterHostWrite(m);
        Nd4jLayout.host(v).put(0, second, 0, second.length);
        Nd4jLayout.afterHostWrite(v);
        steps = state.steps();
    }
}
