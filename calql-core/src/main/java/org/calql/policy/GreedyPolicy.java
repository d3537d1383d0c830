package org.calql.policy;

import java.util.List;
import org.calql.critic.CriticEnsemble;
import org.calql.spi.Network;
import org.calql.spi.Workspace;

/**
 * The greedy policy over discrete-action critics: {@code π(s) = argmax_a mean_k Q_k(s, a)}, the lowest index on
 * ties, for critics that map an observation to one Q-value per action
 * ({@link org.calql.critic.CriticLayout#STATE_TO_ACTION_VALUES}). The same rule chooses the Double-DQN next action
 * of {@code org.calql.discrete.DiscreteUpdateStep} ({@link #argmaxOfMean}).
 *
 * <p>Thread-safe: each calling thread gets its own workspaces and buffers (allocated on its first call), so
 * several threads may act at once while no parameters change. Acting while the critics are trained is not
 * supported; act on a copy.
 */
public final class GreedyPolicy {
    private final Network[] critics;
    private final int observationDim;
    private final int numActions;
    private final ThreadLocal<Buffers> buffers;

    /**
     * The greedy policy over {@code critics}.
     *
     * @throws IllegalArgumentException if there are none or their shapes differ
     */
    public GreedyPolicy(List<Network> critics) {
        if (critics == null || critics.isEmpty()) {
            throw new IllegalArgumentException("a greedy policy needs at least one critic");
        }
        this.critics = critics.toArray(new Network[0]);
        this.observationDim = this.critics[0].spec().inputDim();
        this.numActions = this.critics[0].spec().outputDim();
        for (int k = 1; k < this.critics.length; k++) {
            if (!this.critics[k].spec().equals(this.critics[0].spec())) {
                throw new IllegalArgumentException("critic " + k + " has shape " + this.critics[k].spec()
                        + ", critic 0 has " + this.critics[0].spec());
            }
        }
        if (numActions < 2) {
            throw new IllegalArgumentException("critics must output a Q-value per action (at least 2), found "
                    + numActions);
        }
        this.buffers = ThreadLocal.withInitial(Buffers::new);
    }

    /** The greedy policy over the (online) critics of {@code ensemble}. */
    public static GreedyPolicy of(CriticEnsemble ensemble) {
        Network[] c = new Network[ensemble.size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = ensemble.critic(k);
        }
        return new GreedyPolicy(List.of(c));
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** {@code |A|}. */
    public int numActions() {
        return numActions;
    }

    /**
     * {@code argmax_a mean_k Q_k(observation, a)}, the lowest index on ties.
     *
     * @throws IllegalArgumentException if the observation has the wrong length or a non-finite value
     */
    public int act(double[] observation) {
        if (observation == null || observation.length != observationDim) {
            throw new IllegalArgumentException("observation must have length " + observationDim + ", found "
                    + (observation == null ? "null" : observation.length));
        }
        for (int i = 0; i < observation.length; i++) {
            if (!Double.isFinite(observation[i])) {
                throw new IllegalArgumentException("observation[" + i + "] must be finite, found " + observation[i]);
            }
        }
        Buffers b = buffers.get();
        for (int k = 0; k < critics.length; k++) {
            critics[k].forward(b.workspaces[k], observation, 1, b.q[k]);
        }
        return argmaxOfMean(b.q, critics.length, 0, numActions);
    }

    /**
     * {@code argmax_a (Σ_k values[k][offset + a]) / count} over {@code a ∈ [0, numActions)}, the lowest index on
     * ties (and on NaN means, which never win).
     */
    public static int argmaxOfMean(double[][] values, int count, int offset, int numActions) {
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < numActions; a++) {
            double sum = 0.0;
            for (int k = 0; k < count; k++) {
                sum += values[k][offset + a];
            }
            double mean = sum / count;
            if (mean > bestMean) {
                bestMean = mean;
                best = a;
            }
        }
        return best;
    }

    private final class Buffers {
        final Workspace[] workspaces = new Workspace[critics.length];
        final double[][] q = new double[critics.length][numActions];

        Buffers() {
            for (int k = 0; k < critics.length; k++) {
                workspaces[k] = critics[k].newWorkspace(1);
            }
        }
    }
}
