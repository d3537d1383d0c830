package org.calql.discrete;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticEnsembleState;
import org.calql.critic.CriticLayout;
import org.calql.data.TransitionBatch;
import org.calql.policy.GreedyPolicy;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.PenaltyInputs;
import org.calql.regularizer.QLayout;
import org.calql.regularizer.ReferenceMeter;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Backend;
import org.calql.spi.Workspace;

/**
 * One discrete-action CQL / Cal-QL gradient update over an ensemble of {@code K} critics
 * {@code Q_k(s, ·) ∈ ℝ^|A|} with targets {@code Q̄_k} (d3rlpy's {@code DiscreteCQL}, generalised to K critics and
 * calibrated as Cal-QL). For a batch of {@code B} transitions {@code (s, a, r, s', done)} with
 * {@code V_ref(s)} from the config's {@link ReferenceValues}:
 * <pre>
 *   a'_b   = argmax_a mean_k Q_k(s'_b, a)        (Double DQN; DQN: mean_k Q̄_k), lowest index on ties
 *   T_b    = min_k Q̄_k(s'_b, a'_b)
 *   y_b    = r_b + γ·(1 − done_b)·T_b            (a constant: no gradient flows into y)
 *   TD_k   = mean_b ℓ(y_b − Q_k(s_b, a_b))         ℓ: {@link TdLoss}, Huber or squared
 *   cons_k = regularizer(Q_k(s_b, ·))              CQL: mean_b [ logsumexp_a Q̃_k(s_b,a) − Q_k(s_b,a_b) ],
 *                                                  Q̃ = calibration(Q, V_ref): max(Q, V_ref) with Cal-QL
 *   loss   = Σ_k (TD_k + cqlAlpha·cons_k)
 * </pre>
 * Every gradient is taken at the parameters before the step; Adam (PyTorch semantics) moves each critic with
 * {@code lr}; after update {@code t}, when {@code t mod P = 0}, the targets move {@code θ̄ ← (1 − τ)·θ̄ + τ·θ}.
 *
 * <p>The conservative term is the config's {@link ConservativeRegularizer} over the
 * {@link QLayout#allActions(int)} layout: the same {@link org.calql.regularizer.CqlRegularizer} and
 * {@link org.calql.regularizer.Calibration} the continuous update uses, with every action's value pushed down and
 * calibrated.
 *
 * <p>Actions travel in a {@link TransitionBatch} of {@code actionDim = 1} whose action column holds the action
 * indices (exact in a double), so samplers, replay, returns-to-go and {@link ReferenceValues} serve discrete data
 * unchanged. Each critic's passes (online at s, online at s' for Double DQN, target at s'), its backward pass and
 * its Adam step with its target move run through {@link Backend#runIndependent}; everything that combines
 * critics runs on the calling thread in critic order, so results do not depend on scheduling. One backward per
 * critic. All buffers are allocated in the constructor; an update allocates only its small result. A bad batch
 * and an update whose losses would be non-finite are rejected before any parameter changes. Not thread-safe.
 */
public final class DiscreteUpdateStep {
    private DiscreteConfig config;
    private final Backend backend;
    private final CriticEnsemble critics;
    private ConservativeRegularizer regularizer;
    private ReferenceValues referenceValues;
    private ReferenceMeter referenceMeter;
    private final int[] greedy;
    private final int batchSize;
    private final int numActions;
    private final int observationDim;
    private final int criticCount;
    private long steps;

    // buffers, sized once
    private final PenaltyInputs penaltyInputs;
    private final Workspace[] workspaces;
    private final Workspace[] nextWorkspaces;
    private final Workspace[] targetWorkspaces;
    private final double[][] q;
    private final double[][] nextQ;
    private final double[][] targetQ;
    private final double[][] gradQ;
    private final int[] nextActions;
    private final double[] tdTargets;

    /**
     * Creates {@code K} critics on {@code backend}, initialised in turn from {@code config.seed()}, with targets
     * equal to them.
     */
    public DiscreteUpdateStep(DiscreteConfig config, Backend backend) {
        this.config = config;
        this.backend = backend;
        this.regularizer = config.regularizer();
        this.referenceValues = config.referenceValues();
        this.referenceMeter = new ReferenceMeter(referenceValues, config.batchSize());
        this.greedy = new int[config.batchSize()];
        this.batchSize = config.batchSize();
        this.numActions = config.numActions();
        this.observationDim = config.observationDim();
        this.criticCount = config.criticCount();
        critics = new CriticEnsemble(backend,
                config.critic().networkSpec(CriticLayout.STATE_TO_ACTION_VALUES, observationDim, numActions),
                criticCount, config.initialization(), new SplittableRandom(config.seed()), config.targetUpdate());
        int b = batchSize;
        int rows = b * numActions;
        penaltyInputs = PenaltyInputs.allActions(b, numActions);
        workspaces = new Workspace[criticCount];
        nextWorkspaces = new Workspace[criticCount];
        targetWorkspaces = new Workspace[criticCount];
        for (int k = 0; k < criticCount; k++) {
            workspaces[k] = critics.critic(k).newWorkspace(b);
            nextWorkspaces[k] = config.doubleDqn() ? critics.critic(k).newWorkspace(b) : null;
            targetWorkspaces[k] = critics.target(k).newWorkspace(b);
        }
        q = new double[criticCount][rows];
        nextQ = new double[criticCount][rows];
        targetQ = new double[criticCount][rows];
        gradQ = new double[criticCount][rows];
        nextActions = new int[b];
        tdTargets = new double[b];
    }

    /** The configuration. */
    public DiscreteConfig config() {
        return config;
    }

    /**
     * Switches to {@code next} for the following updates, e.g. a fine-tuning phase with another CQL α or with
     * calibration off. Only training settings may change (learning rate, discount, CQL α, TD loss, target rule,
     * regularizer, reference values); the fields that shape networks and buffers must be equal.
     *
     * @throws IllegalArgumentException naming the first structural field that differs
     */
    public void reconfigure(DiscreteConfig next) {
        same("observationDim", config.observationDim(), next.observationDim());
        same("numActions", config.numActions(), next.numActions());
        same("batchSize", config.batchSize(), next.batchSize());
        same("critic", config.critic(), next.critic());
        same("criticCount", config.criticCount(), next.criticCount());
        same("initialization", config.initialization(), next.initialization());
        same("seed", config.seed(), next.seed());
        same("doubleDqn", config.doubleDqn(), next.doubleDqn());
        same("targetUpdate", config.targetUpdate(), next.targetUpdate());
        this.config = next;
        this.regularizer = next.regularizer();
        if (next.referenceValues() != referenceValues) {
            this.referenceMeter = new ReferenceMeter(next.referenceValues(), batchSize);
        }
        this.referenceValues = next.referenceValues();
    }

    private static void same(String field, Object current, Object next) {
        if (!current.equals(next)) {
            throw new IllegalArgumentException(field + " cannot change after creation: it is " + current
                    + ", found " + next);
        }
    }

    /** The critics and their targets (their parameters change with every update). */
    public CriticEnsemble critics() {
        return critics;
    }

    /** Updates taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * One update on {@code batch}: {@code [batchSize rows, observationDim, actionDim 1]}, the action column holding
     * action indices.
     *
     * @throws IllegalArgumentException if the batch does not fit, holds NaN/Inf or an action that is not an index
     *                                  in {@code [0, |A|)}, or a reference value is not finite (nothing changes)
     * @throws IllegalStateException    if a loss would be non-finite (nothing changes)
     */
    public DiscreteUpdateResult update(TransitionBatch batch) {
        checkBatch(batch);
        double[] reference = penaltyInputs.referenceValues();
        referenceValues.compute(batch, reference);
        for (int i = 0; i < batchSize; i++) {
            if (!Double.isFinite(reference[i])) {
                throw new IllegalArgumentException("reference value of row " + i + " must be finite, found "
                        + reference[i] + " (from " + referenceValues + ")");
            }
        }
        int[] actions = penaltyInputs.dataIndices();
        double[] observations = batch.observations();
        double[] nextObservations = batch.nextObservations();
        backend.runIndependent(criticCount, k -> forwardCritic(k, observations, nextObservations));

        double averageTargetQ = computeTargets(batch);
        double alpha = config.cqlAlpha();
        TdLoss tdLoss = config.tdLoss();
        double invB = 1.0 / batchSize;
        double[] td = new double[criticCount];
        double[] conservative = new double[criticCount];
        double[] averageQ = new double[criticCount];
        double[] boundRate = new double[criticCount];
        double total = 0.0;
        for (int k = 0; k < criticCount; k++) {
            double[] qk = q[k];
            double[] g = gradQ[k];
            conservative[k] = regularizer.evaluate(penaltyInputs, qk, g);
            int rows = batchSize * numActions;
            for (int i = 0; i < rows; i++) {
                g[i] *= alpha;
            }
            double tdSum = 0.0;
            double qSum = 0.0;
            for (int b = 0; b < batchSize; b++) {
                int i = b * numActions + actions[b];
                double d = tdTargets[b] - qk[i];
                tdSum += tdLoss.loss(d);
                g[i] -= tdLoss.derivative(d) * invB;
                qSum += qk[i];
            }
            td[k] = tdSum / batchSize;
            averageQ[k] = qSum / batchSize;
            boundRate[k] = penaltyInputs.boundRate(qk, 0);
            total += td[k] + alpha * conservative[k];
        }
        referenceMeter.start(batch, reference);
        greedyActions();
        for (int k = 0; k < criticCount; k++) {
            referenceMeter.addAt(q[k], batchSize, numActions, greedy);
        }
        DiscreteUpdateResult result = new DiscreteUpdateResult(steps + 1, td, conservative, total, averageQ,
                boundRate, averageTargetQ, referenceMeter.result());
        if (!Double.isFinite(total)) {
            throw new IllegalStateException("update " + result.step() + " produced a non-finite loss (td "
                    + Arrays.toString(td) + ", conservative " + Arrays.toString(conservative)
                    + "); no parameters were changed");
        }
        backend.runIndependent(criticCount, this::backwardCritic);
        long step = steps + 1;
        double lr = config.lr();
        backend.runIndependent(criticCount, k -> critics.step(k, lr, step));
        steps = step;
        return result;
    }

    /** {@code argmax_a mean_k Q_k(s_b, a)} per row into {@link #greedy}, the lowest index on ties. */
    private void greedyActions() {
        for (int b = 0; b < batchSize; b++) {
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < numActions; a++) {
                double sum = 0.0;
                for (int k = 0; k < criticCount; k++) {
                    sum += q[k][b * numActions + a];
                }
                if (sum > bestValue) {
                    bestValue = sum;
                    best = a;
                }
            }
            greedy[b] = best;
        }
    }

    // ---- the passes of the sections; each touches only its own networks, workspaces and arrays ----

    /** Online critic at s, online at s' (Double DQN), target at s'. */
    private void forwardCritic(int k, double[] observations, double[] nextObservations) {
        critics.critic(k).forward(workspaces[k], observations, batchSize, q[k]);
        if (config.doubleDqn()) {
            critics.critic(k).forward(nextWorkspaces[k], nextObservations, batchSize, nextQ[k]);
        }
        critics.target(k).forward(targetWorkspaces[k], nextObservations, batchSize, targetQ[k]);
    }

    private void backwardCritic(int k) {
        critics.gradients(k).zero();
        critics.critic(k).backward(workspaces[k], gradQ[k], critics.gradients(k), null, null);
    }

    /** Next actions, TD targets; returns {@code mean_b min_k Q̄_k(s'_b, a'_b)}. */
    private double computeTargets(TransitionBatch batch) {
        double[][] chooser = config.doubleDqn() ? nextQ : targetQ;
        double[] rewards = batch.rewards();
        double[] dones = batch.dones();
        double gamma = config.discount();
        double sum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            int offset = b * numActions;
            int next = GreedyPolicy.argmaxOfMean(chooser, criticCount, offset, numActions);
            nextActions[b] = next;
            double target = targetQ[0][offset + next];
            for (int k = 1; k < criticCount; k++) {
                target = Math.min(target, targetQ[k][offset + next]);
            }
            sum += target;
            tdTargets[b] = rewards[b] + gamma * (1.0 - dones[b]) * target;
        }
        return sum / batchSize;
    }

    private void checkBatch(TransitionBatch batch) {
        if (batch.size() != batchSize || batch.observationDim() != observationDim || batch.actionDim() != 1) {
            throw new IllegalArgumentException("batch must be [" + batchSize + " rows, observationDim "
                    + observationDim + ", actionDim 1 (the action index)] as configured, found [" + batch.size()
                    + ", " + batch.observationDim() + ", " + batch.actionDim() + "]");
        }
        batch.validate();
        double[] a = batch.actions();
        int[] indices = penaltyInputs.dataIndices();
        for (int i = 0; i < batchSize; i++) {
            double v = a[i];
            if (!(v >= 0 && v < numActions) || v != Math.rint(v)) {
                throw new IllegalArgumentException("batch actions row " + i + " must be an action index in [0, "
                        + numActions + "), found " + v);
            }
            indices[i] = (int) v;
        }
    }

    /** The next actions {@code a'} of the last update (a copy). */
    public int[] lastNextActions() {
        return nextActions.clone();
    }

    /** The TD targets {@code y} of the last update (a copy). */
    public double[] lastTdTargets() {
        return tdTargets.clone();
    }

    /** The critics' gradients of the last update, at the parameters before its step: {@code [K][arrays][values]}. */
    public double[][][] lastGradients() {
        return critics.exportGradients();
    }

    /** Everything needed to continue bit for bit (parameters, optimizer states, step count). */
    public DiscreteUpdateState exportState() {
        return new DiscreteUpdateState(critics.exportState(), steps);
    }

    /**
     * Replaces every learned value and the step count.
     *
     * @throws IllegalArgumentException if the state does not fit the config or holds a non-finite value; nothing
     *                                  changes then
     */
    public void importState(DiscreteUpdateState state) {
        if (state == null || state.steps() < 0) {
            throw new IllegalArgumentException("discrete update state must have steps >= 0, found "
                    + (state == null ? "null" : state.steps()));
        }
        CriticEnsembleState c = state.critics();
        critics.importState(c);
        steps = state.steps();
    }
}
