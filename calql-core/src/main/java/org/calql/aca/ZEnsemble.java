package org.calql.aca;

import java.util.SplittableRandom;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticEnsembleState;
import org.calql.critic.TargetUpdate;
import org.calql.spi.Backend;
import org.calql.spi.Initialization;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;

/**
 * The state values {@code Z_i(s)} of ACA's offline phase, fitted so that {@code log π(a|s) + Z_i(s)} is a soft
 * Q-value of the current policy:
 * <pre>
 *   L_Z = Σ_i mean_B (log π(a|s) + Z_i(s) − y)²,   y = r + γ(1 − d)·[log π(a'|s') + min_j Z_j(s') − α·log π(a'|s')]
 * </pre>
 * with {@code a} the data action, {@code a' ~ π(·|s')}, every {@code log π} held constant and no target network
 * ({@code min_j Z_j(s')} is the current ensemble's, held constant), as the authors' {@code update_baseline}. Each
 * {@code Z_i} is an MLP {@code observation → hidden → 1} with the critics' hidden widths, so alignment can copy it into
 * a critic. Stored as a {@link CriticEnsemble} whose targets never move and are never read.
 */
public final class ZEnsemble {
    private final CriticEnsemble networks;
    private final int batchSize;
    private final Workspace[] current;
    private final Workspace[] next;
    private final double[][] z;
    private final double[][] zNext;
    private final double[][] grad;
    private final double[] target;

    /** {@code count} networks of {@code spec} ({@code observationDim → … → 1}), initialised in turn from {@code random}. */
    public ZEnsemble(Backend backend, NetworkSpec spec, int count, Initialization initialization,
                     SplittableRandom random, int batchSize) {
        if (spec.outputDim() != 1) {
            throw new IllegalArgumentException("a Z network has one output, found " + spec.outputDim());
        }
        this.networks = new CriticEnsemble(backend, spec, count, initialization, random,
                new TargetUpdate(1.0, Integer.MAX_VALUE));
        this.batchSize = batchSize;
        this.current = new Workspace[count];
        this.next = new Workspace[count];
        for (int k = 0; k < count; k++) {
            current[k] = networks.critic(k).newWorkspace(batchSize);
            next[k] = networks.critic(k).newWorkspace(batchSize);
        }
        this.z = new double[count][batchSize];
        this.zNext = new double[count][batchSize];
        this.grad = new double[count][batchSize];
        this.target = new double[batchSize];
    }

    /** The number of networks. */
    public int size() {
        return networks.size();
    }

    /** Network {@code Z_k}. */
    public Network network(int k) {
        return networks.critic(k);
    }

    /**
     * The loss {@code L_Z} on a batch, with each network's parameter gradients left in its gradients (zeroed first).
     *
     * @param logPiData {@code log π(a|s)} of the data actions {@code [B]}
     * @param logPiNext {@code log π(a'|s')} of actions drawn at {@code s'} {@code [B]}
     * @return {@code Σ_i mean_B (log π(a|s) + Z_i(s) − y)²}
     */
    double lossAndGradients(double[] observations, double[] nextObservations, double[] rewards, double[] dones,
                            double[] logPiData, double[] logPiNext, double alpha, double discount) {
        int count = size();
        int b = batchSize;
        for (int k = 0; k < count; k++) {
            networks.critic(k).forward(next[k], nextObservations, b, zNext[k]);
        }
        for (int i = 0; i < b; i++) {
            double min = zNext[0][i];
            for (int k = 1; k < count; k++) {
                min = Math.min(min, zNext[k][i]);
            }
            target[i] = rewards[i] + discount * (1.0 - dones[i]) * (logPiNext[i] + min - alpha * logPiNext[i]);
        }
        double loss = 0.0;
        for (int k = 0; k < count; k++) {
            Network net = networks.critic(k);
            net.forward(current[k], observations, b, z[k]);
            double sum = 0.0;
            for (int i = 0; i < b; i++) {
                double e = logPiData[i] + z[k][i] - target[i];
                sum += e * e;
                grad[k][i] = 2.0 * e / b;
            }
            loss += sum / b;
            networks.gradients(k).zero();
            net.backward(current[k], grad[k], networks.gradients(k), null, null);
        }
        return loss;
    }

    /** One Adam step of every network from its gradients. */
    void step(double learningRate, long step) {
        for (int k = 0; k < size(); k++) {
            networks.step(k, learningRate, step);
        }
    }

    /** The gradients of every network, in the parameter layout. */
    double[][][] exportGradients() {
        return networks.exportGradients();
    }

    /** Every parameter and optimizer state (the targets too, which never move). */
    public CriticEnsembleState exportState() {
        return networks.exportState();
    }

    /**
     * Replaces every parameter and optimizer state.
     *
     * @throws IllegalArgumentException if the state does not fit; nothing changes then
     */
    public void importState(CriticEnsembleState state) {
        networks.importState(state);
    }
}
