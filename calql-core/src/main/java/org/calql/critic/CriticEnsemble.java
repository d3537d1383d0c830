package org.calql.critic;

import java.util.SplittableRandom;
import org.calql.init.ParameterInitializer;
import org.calql.spi.AdamState;
import org.calql.spi.Backend;
import org.calql.spi.Initialization;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;

/**
 * K critics of one {@link NetworkSpec}, their target copies, their gradients and their Adam optimizers: the
 * model state every Q-learning update rule shares. The rule computes losses and runs passes; the ensemble steps
 * critic {@code k} from its gradients and moves its target by the {@link TargetUpdate}.
 *
 * <p>Critic {@code k}'s calls touch only critic {@code k}'s networks, gradients and optimizer, so the passes of
 * different critics may run at once (see {@link Backend#runIndependent}). Not thread-safe otherwise.
 */
public final class CriticEnsemble {
    private final NetworkSpec spec;
    private final TargetUpdate targetUpdate;
    private final Network[] critics;
    private final Network[] targets;
    private final Optimizer[] optimizers;
    private final ParameterGradients[] gradients;

    /**
     * Creates {@code count} critics on {@code backend}, each initialised in turn from {@code random} by
     * {@code initialization}, with targets equal to them.
     *
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public CriticEnsemble(Backend backend, NetworkSpec spec, int count, Initialization initialization,
                          SplittableRandom random, TargetUpdate targetUpdate) {
        if (count < 1) {
            throw new IllegalArgumentException("critic ensemble size must be at least 1, found " + count);
        }
        this.spec = spec;
        this.targetUpdate = targetUpdate;
        critics = new Network[count];
        targets = new Network[count];
        optimizers = new Optimizer[count];
        gradients = new ParameterGradients[count];
        for (int k = 0; k < count; k++) {
            critics[k] = backend.createNetwork(spec);
            critics[k].importParameters(ParameterInitializer.initialize(spec, initialization, random));
            targets[k] = backend.createNetwork(spec);
            targets[k].copyParametersFrom(critics[k]);
            optimizers[k] = critics[k].newAdam();
            gradients[k] = critics[k].newGradients();
        }
    }

    /** The number of critics K. */
    public int size() {
        return critics.length;
    }

    /** The network shape of every critic. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The target rule. */
    public TargetUpdate targetUpdate() {
        return targetUpdate;
    }

    /** Critic {@code k}. */
    public Network critic(int k) {
        return critics[k];
    }

    /** Target critic {@code k}. */
    public Network target(int k) {
        return targets[k];
    }

    /** Critic {@code k}'s parameter gradients, which its backward passes add into. */
    public ParameterGradients gradients(int k) {
        return gradients[k];
    }

    /**
     * Critic {@code k}'s Adam step from {@link #gradients(int)} with {@code learningRate}, then its target's move
     * when {@link TargetUpdate#isDue} for update {@code step} (numbered from 1).
     */
    public void step(int k, double learningRate, long step) {
        optimizers[k].step(gradients[k], learningRate);
        if (targetUpdate.isDue(step)) {
            targets[k].softUpdateFrom(critics[k], targetUpdate.tau());
        }
    }

    /** A copy of every parameter and optimizer state. */
    public CriticEnsembleState exportState() {
        int count = size();
        double[][][] c = new double[count][][];
        double[][][] t = new double[count][][];
        AdamState[] o = new AdamState[count];
        for (int k = 0; k < count; k++) {
            c[k] = critics[k].exportParameters();
            t[k] = targets[k].exportParameters();
            o[k] = optimizers[k].exportState();
        }
        return new CriticEnsembleState(c, t, o);
    }

    /** The gradients of every critic, in the parameter layout. */
    public double[][][] exportGradients() {
        double[][][] g = new double[size()][][];
        for (int k = 0; k < g.length; k++) {
            g[k] = gradients[k].export();
        }
        return g;
    }

    /**
     * Replaces every parameter and optimizer state.
     *
     * @throws IllegalArgumentException if the state does not fit (counts, layouts, non-finite values); nothing
     *                                  changes then
     */
    public void importState(CriticEnsembleState state) {
        int count = size();
        if (state == null || state.critics() == null || state.targets() == null || state.optimizers() == null
                || state.critics().length != count || state.targets().length != count
                || state.optimizers().length != count) {
            throw new IllegalArgumentException("critic state must hold " + count + " critics, " + count
                    + " targets and " + count + " optimizer states");
        }
        for (int k = 0; k < count; k++) {
            checkValues("critic " + k, state.critics()[k]);
            checkValues("target " + k, state.targets()[k]);
            AdamState a = state.optimizers()[k];
            if (a == null || a.steps() < 0) {
                throw new IllegalArgumentException("critic " + k + " optimizer state must have steps >= 0");
            }
            checkLayout("critic " + k + " first moments", a.firstMoment());
            checkLayout("critic " + k + " second moments", a.secondMoment());
        }
        CriticEnsembleState before = exportState();
        try {
            for (int k = 0; k < count; k++) {
                critics[k].importParameters(state.critics()[k]);
                targets[k].importParameters(state.targets()[k]);
                optimizers[k].importState(state.optimizers()[k]);
            }
        } catch (IllegalArgumentException e) {
            for (int k = 0; k < count; k++) {
                critics[k].importParameters(before.critics()[k]);
                targets[k].importParameters(before.targets()[k]);
                optimizers[k].importState(before.optimizers()[k]);
            }
            throw e;
        }
    }

    private void checkValues(String what, double[][] parameters) {
        checkLayout(what, parameters);
        for (int i = 0; i < parameters.length; i++) {
            for (double v : parameters[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " parameter array " + i + " must be finite, found "
                            + v);
                }
            }
        }
    }

    private void checkLayout(String what, double[][] arrays) {
        try {
            spec.checkParameterLayout(arrays);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
