package org.calql.reference;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionSpace;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;
import org.calql.env.ResettableToState;
import org.calql.env.StepResult;
import org.calql.random.Rng;

/**
 * A chain of {@code S} states with one-hot observations whose last state is a terminal goal: reaching it pays 1,
 * every other step 0. From state {@code s} the walk moves right (to {@code s + 1}) with probability {@code p(s, a)}
 * and left otherwise (state 0 stays). Continuous: one action in the box {@code [−2, 2]} (environment units),
 * {@code p = (1 + a/2)/2}; discrete: action 1 moves right with probability 0.8, action 0 with 0.2. Episodes start in
 * a uniform non-goal state and are truncated after {@code horizon} steps.
 *
 * <p>The reference policies are stochastic: continuous {@code a ~ U[c_s − 0.5, c_s + 0.5]} with {@code c_s} 0.8 for
 * even states and −0.2 for odd ones, so {@code P_μ(right|s) = (1 + c_s/2)/2}; discrete action 1 with probability
 * {@code q_s} (0.9 even, 0.4 odd). Their exact values are {@code V^μ = (I − γP_μ)⁻¹ r_μ} in transformed units.
 */
final class ChainMdp implements ResettableToState {
    static final int S = 6;
    static final int GOAL = S - 1;
    final boolean discrete;
    final int horizon;
    private int state = -1;
    private int steps;
    private Rng random;

    ChainMdp(boolean discrete, int horizon) {
        this.discrete = discrete;
        this.horizon = horizon;
    }

    @Override
    public int observationDim() {
        return S;
    }

    @Override
    public ActionSpace actionSpace() {
        return discrete ? new DiscreteSpace(2) : BoxSpace.uniform(1, -2.0, 2.0);
    }

    @Override
    public int maxEpisodeSteps() {
        return horizon;
    }

    @Override
    public double[] reset(long seed) {
        random = new Rng(seed);
        state = random.nextInt(GOAL);
        steps = 0;
        return observation(state);
    }

    @Override
    public double[] resetTo(double[] observation, long seed) {
        int s = stateOf(observation);
        if (s < 0 || s == GOAL) {
            throw new IllegalArgumentException("not a non-goal state of the chain");
        }
        random = new Rng(seed);
        state = s;
        steps = 0;
        return observation(state);
    }

    @Override
    public StepResult step(double[] action) {
        double p = rightProbability(discrete, action[0]);
        int next = random.nextDouble() < p ? state + 1 : Math.max(0, state - 1);
        state = next;
        steps++;
        boolean goal = next == GOAL;
        return new StepResult(observation(next), goal ? 1.0 : 0.0, goal, !goal && steps >= horizon, goal);
    }

    static double rightProbability(boolean discrete, double action) {
        return discrete ? (action == 1.0 ? 0.8 : 0.2) : (1.0 + action / 2.0) / 2.0;
    }

    static double[] observation(int s) {
        double[] o = new double[S];
        o[s] = 1.0;
        return o;
    }

    static int stateOf(double[] observation) {
        for (int i = 0; i < observation.length; i++) {
            if (observation[i] == 1.0) {
                return i;
            }
        }
        return -1;
    }

    static double center(int s) {
        return s % 2 == 0 ? 0.8 : -0.2;
    }

    static double rightChoice(int s) {
        return s % 2 == 0 ? 0.9 : 0.4;
    }

    /** μ: stochastic, as the class documentation says. */
    ReferencePolicy mu() {
        if (discrete) {
            return ReferencePolicy.stochastic(S, new DiscreteSpace(2),
                    (o, r) -> new double[] {r.nextDouble() < rightChoice(stateOf(o)) ? 1.0 : 0.0});
        }
        return ReferencePolicy.stochastic(S, BoxSpace.uniform(1, -2.0, 2.0),
                (o, r) -> new double[] {center(stateOf(o)) + (r.nextDouble() - 0.5)});
    }

    /** μ's probability of moving right from {@code s}. */
    double muRight(int s) {
        if (discrete) {
            double q = rightChoice(s);
            return q * 0.8 + (1 - q) * 0.2;
        }
        return (1.0 + center(s) / 2.0) / 2.0;
    }

    /** Exact {@code V^μ(s)} for the non-goal states, rewards {@code scale·r + bias}, discount {@code gamma}. */
    double[] exactValues(double scale, double bias, double gamma) {
        int n = GOAL;
        RealMatrix m = new Array2DRowRealMatrix(n, n);
        RealVector r = new ArrayRealVector(n);
        for (int s = 0; s < n; s++) {
            double p = muRight(s);
            m.addToEntry(s, s, 1.0);
            double goalReward = scale * 1.0 + bias;
            double step = bias;
            if (s + 1 == GOAL) {
                r.setEntry(s, p * goalReward + (1 - p) * step);
            } else {
                r.setEntry(s, step);
                m.addToEntry(s, s + 1, -gamma * p);
            }
            m.addToEntry(s, Math.max(0, s - 1), -gamma * (1 - p));
        }
        return new LUDecomposition(m).getSolver().solve(r).toArray();
    }

    /** Episodes of the uniform behaviour policy; continuous actions stored in the policy range {@code [−1, 1]}. */
    OfflineDataset dataset(int episodes, long seed) {
        OfflineDataset.Builder b = OfflineDataset.builder(S, 1);
        Rng behaviour = new Rng(seed);
        for (int e = 0; e < episodes; e++) {
            double[] obs = reset(behaviour.nextLong());
            while (true) {
                double a = discrete ? behaviour.nextInt(2) : 4.0 * behaviour.nextDouble() - 2.0;
                StepResult r = step(new double[] {a});
                b.step(obs, new double[] {discrete ? a : a / 2.0}, r.reward(), r.observation(), r.terminated(),
                        r.truncated());
                obs = r.observation();
                if (r.done()) {
                    break;
                }
            }
            b.endEpisode();
        }
        return b.build();
    }
}
