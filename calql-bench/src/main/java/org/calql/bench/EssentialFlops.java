package org.calql.bench;

import org.calql.config.CalQlConfig;
import org.calql.discrete.DiscreteConfig;

/**
 * The essential matrix work of one update, in floating-point operations (a multiply-add counts 2, so a
 * product {@code [m×k]·[k×n]} is {@code 2·m·k·n}): what the algorithm needs, not what a naive implementation
 * does. Bias adds, activations and all host-side math are left out (they are O(rows·width), not
 * O(rows·width²)).
 *
 * <p>For a ReLU MLP with widths {@code d0 → d1 → … → dL} on {@code R} rows:
 * <ul>
 *   <li>forward: {@code 2·R·Σ_l d_l·d_{l+1}};</li>
 *   <li>weight gradients: the same as forward;</li>
 *   <li>input gradients: the same as forward without the first layer (no gradient to the data), except where
 *       the input gradient itself is wanted (the actor's gradient to the action columns).</li>
 * </ul>
 * With grouped input (a critic's state shared by the G·(rows per group) actions of a state) the state columns of
 * the first layer are counted on the {@code G} groups, the action columns on all {@code R} rows.
 *
 * <p>Per update with {@code B} states, {@code N} samples, {@code K} critics, {@code N_t = N} target samples with
 * max-target backup ({@code 1} without):
 * <pre>
 *   policy  = 2·fwd_π(B) [at s and s'] + wgrad_π(B) + igrad_π(B)
 *   per critic:
 *     stacked = fwd_Q(G = B, R = B·(1+3N)) + wgrad_Q(same) + igrad_Q(same, no first layer)
 *     target  = fwd_Q(G = B, R = B·N_t)
 *     actor   = fwd_Q(G = B, R = B) + igrad_Q(B, hidden layers + the first layer's action columns)
 *   total   = policy + K·(stacked + target + actor)
 * </pre>
 * No second critic backward for the Lagrange multiplier (its gradient comes from the scalar gaps), no critic
 * parameter gradients in the actor pass, and the policy runs once per state, not once per sampled action.
 *
 * <p><b>Discrete update</b> ({@link #discrete}, {@link org.calql.discrete.DiscreteUpdateStep}): each critic maps an
 * observation to {@code |A|} values, widths {@code obs → hidden… → |A|}, with {@code B} transitions and {@code K}
 * critics:
 * <pre>
 *   per critic:
 *     online  = fwd_Q(B) [at s] + wgrad_Q(B) + igrad_Q(B, no first layer)   the loss and its parameter gradients
 *     next    = fwd_Q(B) [online at s', Double DQN only: it picks a']
 *     target  = fwd_Q(B) [target at s']
 *   total   = K·(online + next + target)
 * </pre>
 * Every forward is counted with its whole last layer: DQN's argmax and Double DQN's mean over the online critics
 * need every action's value, the conservative term's {@code logsumexp_a} too. (Double DQN's target needs only
 * column {@code a'} of its last layer: a per-row dot product instead of the product would save
 * {@code 2·B·d_L·(|A| − 1)} per critic, under 1 % for the benchmark shape; it is counted as the product.) The
 * input gradient of the first layer is left out, as in the continuous update: the observations need no gradient.
 * The conservative term, the TD error and its Huber derivative, the argmax, Adam and the target move are
 * O(B·|A|) or O(parameters) and are not counted.
 */
public final class EssentialFlops {
    private EssentialFlops() {
    }

    /** The parts of one update's essential work, in FLOPs. */
    public record Breakdown(double policy, double criticStacked, double target, double actor, int critics) {
        /** The whole update. */
        public double total() {
            return policy + critics * (criticStacked + target + actor);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "policy %.3f + %d critics × (stacked %.3f + target %.3f + actor %.3f) = %.3f GFLOP",
                    policy / 1e9, critics, criticStacked / 1e9, target / 1e9, actor / 1e9, total() / 1e9);
        }
    }

    /** The essential FLOPs of one {@link org.calql.update.UpdateStep#update} with {@code config}. */
    public static double update(CalQlConfig config) {
        return breakdown(config).total();
    }

    /** {@link #update} split into its parts. */
    public static Breakdown breakdown(CalQlConfig config) {
        int b = config.batchSize();
        int n = config.cqlNActions();
        int obs = config.observationDim();
        int act = config.actionDim();
        int[] q = config.qHidden();
        int[] pi = widths(obs, config.policyHidden(), 2 * act);
        int targetSamples = config.maxTargetBackup() ? n : 1;

        double policy = 2 * mlpForward(b, pi) + mlpForward(b, pi) + mlpInputGradient(b, pi);
        double stacked = criticForwardBackward(b, b * (1 + 3 * n), obs, act, q);
        double target = criticForward(b, (long) b * targetSamples, obs, act, q);
        double actor = criticForward(b, b, obs, act, q) + criticActionGradient(b, obs, act, q);
        return new Breakdown(policy, stacked, target, actor, config.criticEnsembleSize());
    }

    /** The parts of one discrete update's essential work, in FLOPs (per critic, then {@code critics} of them). */
    public record DiscreteBreakdown(double online, double next, double target, int critics) {
        /** The whole update. */
        public double total() {
            return critics * (online + next + target);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%d critics × (online at s, fwd + bwd %.4f + online at s' %.4f + target at s' %.4f) = %.4f GFLOP",
                    critics, online / 1e9, next / 1e9, target / 1e9, total() / 1e9);
        }
    }

    /** The essential FLOPs of one {@link org.calql.discrete.DiscreteUpdateStep#update} with {@code config}. */
    public static double discreteUpdate(DiscreteConfig config) {
        return discrete(config).total();
    }

    /** {@link #discreteUpdate} split into its parts (see the class comment). */
    public static DiscreteBreakdown discrete(DiscreteConfig config) {
        int b = config.batchSize();
        int[] q = widths(config.observationDim(), config.critic().hidden(), config.numActions());
        double forward = mlpForward(b, q);
        double online = forward + forward + mlpInputGradient(b, q);
        return new DiscreteBreakdown(online, config.doubleDqn() ? forward : 0.0, forward, config.criticCount());
    }

    /** {@code d0 → hidden… → out} as one array. */
    public static int[] widths(int in, int[] hidden, int out) {
        int[] w = new int[hidden.length + 2];
        w[0] = in;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = out;
        return w;
    }

    /** Forward of an MLP with {@code widths} on {@code rows} rows: {@code 2·R·Σ d_l·d_{l+1}}. */
    public static double mlpForward(long rows, int[] widths) {
        double macs = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            macs += (double) widths[l] * widths[l + 1];
        }
        return 2.0 * rows * macs;
    }

    /** Input gradients of every layer but the first (the data needs none): {@code 2·R·Σ_{l≥1} d_l·d_{l+1}}. */
    public static double mlpInputGradient(long rows, int[] widths) {
        double macs = 0;
        for (int l = 1; l + 1 < widths.length; l++) {
            macs += (double) widths[l] * widths[l + 1];
        }
        return 2.0 * rows * macs;
    }

    /** A critic's forward on {@code groups} states and {@code rows} actions (state columns once per group). */
    public static double criticForward(long groups, long rows, int obs, int act, int[] hidden) {
        int[] w = widths(obs + act, hidden, 1);
        double firstLayer = 2.0 * ((double) groups * obs + (double) rows * act) * w[1];
        return firstLayer + afterFirstLayer(rows, w);
    }

    /** Forward + weight gradients + input gradients (no first layer) of the stacked critic pass. */
    public static double criticForwardBackward(long groups, long rows, int obs, int act, int[] hidden) {
        int[] w = widths(obs + act, hidden, 1);
        return 2 * criticForward(groups, rows, obs, act, hidden) + mlpInputGradient(rows, w);
    }

    /** {@code 2·R·Σ_{l≥1} d_l·d_{l+1}}: every layer but the first. */
    private static double afterFirstLayer(long rows, int[] widths) {
        return mlpInputGradient(rows, widths);
    }

    /** The actor's backward through a critic: input gradients of every layer, the first for the action columns. */
    public static double criticActionGradient(long rows, int obs, int act, int[] hidden) {
        int[] w = widths(obs + act, hidden, 1);
        return mlpInputGradient(rows, w) + 2.0 * rows * act * w[1];
    }
}
