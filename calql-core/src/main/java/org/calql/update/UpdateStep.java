package org.calql.update;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.init.ParameterInitializer;
import org.calql.policy.PolicyPass;
import org.calql.policy.TanhGaussian;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.random.DrawKind;
import org.calql.random.UpdateDraws;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.PenaltyInputs;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.AdamState;
import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParallelPasses;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;

/**
 * One CQL / Cal-QL gradient update, as the Cal-QL reference implementation computes it (CORL
 * {@code cal_ql.py}, after the authors' JAX code). Every gradient is taken at the parameters before the
 * step; then Adam moves the critics, the policy, the temperature and the Lagrange multiplier, and the
 * targets move toward the critics.
 *
 * <ul>
 *   <li>TD target {@code y = r + (1 − done)·γ·T}, {@code T = min_k Q̄_k(s', a')} (with max-target backup the
 *       max over N samples; with backup entropy minus {@code α·log π(a'|s')}); TD loss
 *       {@code mean((Q_k(s,a) − y)²)}.</li>
 *   <li>Conservative term per critic from the {@link ConservativeRegularizer} over Q-values of data, random,
 *       next-state-policy and current-policy actions, all evaluated at {@code s} in one stacked forward per
 *       critic; weight {@code cqlAlpha}, or {@code α'·cqlAlpha·(gap − targetActionGap)} with Lagrange,
 *       {@code α' = clamp(exp(logAlphaPrime), 0, 1e6)}.</li>
 *   <li>Policy loss {@code mean(α·log π(ã|s) − min_k Q_k(s, ã))}; temperature loss
 *       {@code −mean(logAlpha·(log π + targetEntropy))}.</li>
 * </ul>
 *
 * <p>The network work comes in sections that go through {@link Backend#runIndependent}, so a backend may
 * run their passes at once: the policy at s and at s'; each critic's forward passes (target at s', actor at
 * (s, ã), stacked at s); each critic's backward passes; and the Adam steps (each critic's with its soft
 * target update, and the policy network's). The three action samplings at s and s' run at once on
 * {@link ParallelPasses#shared()}. Everything that combines critics (minima, sums, the regularizer, the
 * Lagrange gradient) runs on the calling thread in critic order between the sections, so results do not
 * depend on how the passes were scheduled.
 *
 * <p>All buffers are allocated in the constructor; an update allocates only its small {@link UpdateResult}.
 * A batch that does not fit or holds NaN/Inf, and an update whose losses would be non-finite, are rejected
 * before any parameter changes. Not thread-safe.
 */
public final class UpdateStep {
    private static final double ALPHA_PRIME_MAX = 1e6;

    private CalQlConfig config;
    private final int batchSize;
    private final int samples;
    private final int actionDim;
    private final int observationDim;
    private final int criticCount;
    private final int stride;
    private final int targetSamples;

    private final Backend backend;
    private final TanhGaussianPolicy policy;
    private final Optimizer policyOptimizer;
    private final ParameterGradients policyGradients;
    private final double[] policyScalarGradients = new double[2];
    private final ScalarAdam multiplierAdam = new ScalarAdam();
    private final ScalarAdam offsetAdam = new ScalarAdam();

    private final Network[] critics;
    private final Network[] targets;
    private final Optimizer[] criticOptimizers;
    private final ParameterGradients[] criticGradients;

    private double logAlpha;
    private double logAlphaGradient;
    private final ScalarAdam alphaAdam = new ScalarAdam();
    private double logAlphaPrime;
    private double logAlphaPrimeGradient;
    private final ScalarAdam alphaPrimeAdam = new ScalarAdam();

    private ConservativeRegularizer regularizer;
    private ReferenceValues referenceValues;
    private final UpdateDraws draws;
    private long steps;

    // buffers, sized once
    private final PolicyPass passCurrent;
    private final PolicyPass passNext;
    private final Workspace[] stackedWorkspaces;
    private final Workspace[] targetWorkspaces;
    private final Workspace[] actorWorkspaces;
    private final PenaltyInputs penaltyInputs;
    private final double[] policyNoise;
    private final double[] newActions;
    private final double[] newSquashed;
    private final double[] newLogPi;
    private final double[] gradNewLogPi;
    private final double[] gradNewActions;
    private final double[][] actorQ;
    private final double[][] actorGradQ;
    private final double[][] actorGradTail;
    private final double[] targetNoise;
    private final double[] targetActions;
    private final double[] targetSquashed;
    private final double[] targetLogPi;
    private final double[][] targetQ;
    private final double[] targetMinQ;
    private final double[] backedUp;
    private final double[] tdTarget;
    private final double[] randomActions;
    private final double[] currentNoise;
    private final double[] nextNoise;
    private final double[] currentActions;
    private final double[] nextActions;
    private final double[] sampleSquashed;
    private final double[] sampleSquashedNext;
    private final double[] stackedActions;
    private final double[][] stackedQ;
    private final double[][] stackedGradQ;

    // the sections whose passes may run at once (see Backend.runIndependent), and what they read
    private final IntConsumer samplingSection = this::sampleCriticActions;
    private final IntConsumer policySection = this::forwardPolicy;
    private final IntConsumer forwardSection = this::forwardCritic;
    private final IntConsumer backwardSection = this::backwardCritic;
    private final IntConsumer stepSection = this::stepNetwork;
    private TransitionBatch batchInFlight;
    private boolean actorInFlight;
    private boolean softUpdateInFlight;

    /**
     * Creates networks on {@code backend}, initialised from {@code config.seed()}, with targets equal to the critics.
     *
     * @param draws the update's random numbers (see {@link UpdateDraws#from})
     */
    public UpdateStep(CalQlConfig config, Backend backend, UpdateDraws draws) {
        this.config = config;
        this.batchSize = config.batchSize();
        this.samples = config.cqlNActions();
        this.actionDim = config.actionDim();
        this.observationDim = config.observationDim();
        this.criticCount = config.criticEnsembleSize();
        this.stride = 1 + 3 * samples;
        this.targetSamples = config.maxTargetBackup() ? samples : 1;
        this.regularizer = config.regularizer();
        this.referenceValues = config.referenceValues();
        this.draws = draws;
        this.backend = backend;

        SplittableRandom init = new SplittableRandom(config.seed());
        NetworkSpec criticSpec = NetworkSpec.of(observationDim + actionDim, config.qHidden(), 1);
        NetworkSpec policySpec = NetworkSpec.of(observationDim, config.policyHidden(), 2 * actionDim);
        critics = new Network[criticCount];
        targets = new Network[criticCount];
        criticOptimizers = new Optimizer[criticCount];
        criticGradients = new ParameterGradients[criticCount];
        for (int k = 0; k < criticCount; k++) {
            critics[k] = backend.createNetwork(criticSpec);
            critics[k].importParameters(ParameterInitializer.initialize(criticSpec, config.initialization(), init));
            targets[k] = backend.createNetwork(criticSpec);
            targets[k].copyParametersFrom(critics[k]);
            criticOptimizers[k] = critics[k].newAdam();
            criticGradients[k] = critics[k].newGradients();
        }
        Network policyNetwork = backend.createNetwork(policySpec);
        policyNetwork.importParameters(ParameterInitializer.initialize(policySpec, config.initialization(), init));
        policy = new TanhGaussianPolicy(policyNetwork, actionDim, config.maxAction(), config.logStdMultiplier(),
                config.logStdOffset());
        policyOptimizer = policyNetwork.newAdam();
        policyGradients = policyNetwork.newGradients();
        logAlpha = config.initLogAlpha();
        logAlphaPrime = config.initLogAlphaPrime();

        int b = batchSize;
        int a = actionDim;
        int n = samples;
        passCurrent = policy.newPass(b);
        passNext = policy.newPass(b);
        stackedWorkspaces = new Workspace[criticCount];
        targetWorkspaces = new Workspace[criticCount];
        actorWorkspaces = new Workspace[criticCount];
        actorQ = new double[criticCount][b];
        actorGradQ = new double[criticCount][b];
        for (int k = 0; k < criticCount; k++) {
            actorWorkspaces[k] = critics[k].newWorkspace(b);
            stackedWorkspaces[k] = critics[k].newWorkspace(b * stride);
            targetWorkspaces[k] = targets[k].newWorkspace(b * targetSamples);
        }
        penaltyInputs = new PenaltyInputs(b, n, a);
        policyNoise = new double[b * a];
        newActions = new double[b * a];
        newSquashed = new double[b * a];
        newLogPi = new double[b];
        gradNewLogPi = new double[b];
        gradNewActions = new double[b * a];
        actorGradTail = new double[criticCount][b * a];
        targetNoise = new double[b * targetSamples * a];
        targetActions = new double[b * targetSamples * a];
        targetSquashed = new double[b * targetSamples * a];
        targetLogPi = new double[b * targetSamples];
        targetQ = new double[criticCount][b * targetSamples];
        targetMinQ = new double[b * targetSamples];
        backedUp = new double[b];
        tdTarget = new double[b];
        randomActions = new double[b * n * a];
        currentNoise = new double[b * n * a];
        nextNoise = new double[b * n * a];
        currentActions = new double[b * n * a];
        nextActions = new double[b * n * a];
        sampleSquashed = new double[b * n * a];
        sampleSquashedNext = new double[b * n * a];
        stackedActions = new double[b * stride * a];
        stackedQ = new double[criticCount][b * stride];
        stackedGradQ = new double[criticCount][b * stride];
    }

    /** The configuration. */
    public CalQlConfig config() {
        return config;
    }

    /**
     * Switches to {@code next} for the following updates, e.g. a fine-tuning phase with another CQL α or with
     * calibration off. Only training settings may change: every field that shapes networks, buffers or draws
     * (dimensions, widths, ensemble size, batch size, N, max-target backup, initialisation, seed) must be equal.
     *
     * @throws IllegalArgumentException naming the first structural field that differs
     */
    public void reconfigure(CalQlConfig next) {
        requireSame("observationDim", config.observationDim(), next.observationDim());
        requireSame("actionDim", config.actionDim(), next.actionDim());
        requireSame("batchSize", config.batchSize(), next.batchSize());
        requireSame("criticEnsembleSize", config.criticEnsembleSize(), next.criticEnsembleSize());
        requireSame("cqlNActions", config.cqlNActions(), next.cqlNActions());
        requireSame("qHidden", Arrays.toString(config.qHidden()), Arrays.toString(next.qHidden()));
        requireSame("policyHidden", Arrays.toString(config.policyHidden()), Arrays.toString(next.policyHidden()));
        requireSame("maxTargetBackup", config.maxTargetBackup(), next.maxTargetBackup());
        requireSame("maxAction", config.maxAction(), next.maxAction());
        requireSame("initialization", config.initialization(), next.initialization());
        requireSame("seed", config.seed(), next.seed());
        this.config = next;
        this.regularizer = next.regularizer();
        this.referenceValues = next.referenceValues();
    }

    private static void requireSame(String field, Object current, Object next) {
        if (!current.equals(next)) {
            throw new IllegalArgumentException(field + " cannot change after creation: it is " + current
                    + ", found " + next);
        }
    }

    /** The policy (its parameters change with every update). */
    public TanhGaussianPolicy policy() {
        return policy;
    }

    /** Critic {@code k}. */
    public Network critic(int k) {
        return critics[k];
    }

    /** Updates taken so far. */
    public long steps() {
        return steps;
    }

    /** The current temperature {@code α}. */
    public double alpha() {
        return config.autoEntropy() ? Math.exp(logAlpha) * config.alphaMultiplier() : config.alphaMultiplier();
    }

    /**
     * One update on {@code batch}.
     *
     * @throws IllegalArgumentException if the batch has other dimensions or non-finite values (nothing changes)
     * @throws IllegalStateException    if a loss or gradient would be non-finite (nothing changes)
     */
    public UpdateResult update(TransitionBatch batch) {
        checkBatch(batch);
        double[] reference = penaltyInputs.referenceValues();
        referenceValues.compute(batch, reference);
        for (int i = 0; i < batchSize; i++) {
            if (!Double.isFinite(reference[i])) {
                throw new IllegalArgumentException("reference value of row " + i + " must be finite, found "
                        + reference[i] + " (from " + referenceValues + ")");
            }
        }
        drawAll();
        batchInFlight = batch;
        try {
            return updateOn(batch, reference);
        } finally {
            batchInFlight = null;
        }
    }

    private UpdateResult updateOn(TransitionBatch batch, double[] reference) {
        backend.runIndependent(2, policySection);

        double alpha = alpha();
        double alphaLoss = temperatureLoss();
        boolean cloning = steps + 1 <= config.bcSteps();
        actorInFlight = !cloning;
        ParallelPasses.shared().run(3, samplingSection);
        stackActions(batch.actions());
        backend.runIndependent(criticCount, forwardSection);
        double averageTargetQ = tdTargets(batch, alpha);
        double policyLoss = policyLoss(batch, alpha, cloning);

        boolean lagrange = config.lagrange();
        double alphaPrime = lagrange ? Math.max(0.0, Math.min(ALPHA_PRIME_MAX, Math.exp(logAlphaPrime))) : 0.0;
        double weight = lagrange ? alphaPrime * config.cqlAlpha() : config.cqlAlpha();
        double[] td = new double[criticCount];
        double[] gap = new double[criticCount];
        double[] conservative = new double[criticCount];
        double[] averageQ = new double[criticCount];
        double[] boundCurrent = new double[criticCount];
        double[] boundNext = new double[criticCount];
        double gapSum = 0.0;
        for (int k = 0; k < criticCount; k++) {
            double[] stackedQ = this.stackedQ[k];
            double[] stackedGradQ = this.stackedGradQ[k];
            gap[k] = regularizer.evaluate(penaltyInputs, stackedQ, stackedGradQ);
            conservative[k] = lagrange ? weight * (gap[k] - config.targetActionGap()) : weight * gap[k];
            gapSum += gap[k] - config.targetActionGap();
            double tdSum = 0.0;
            double qSum = 0.0;
            for (int b = 0; b < batchSize; b++) {
                int base = b * stride;
                double q = stackedQ[base];
                double err = q - tdTarget[b];
                tdSum += err * err;
                qSum += q;
                for (int j = 1; j < stride; j++) {
                    stackedGradQ[base + j] *= weight;
                }
                stackedGradQ[base] = stackedGradQ[base] * weight + 2.0 * err / batchSize;
            }
            td[k] = tdSum / batchSize;
            averageQ[k] = qSum / batchSize;
            boundCurrent[k] = boundRate(stackedQ, 2 * samples + 1, reference);
            boundNext[k] = boundRate(stackedQ, samples + 1, reference);
        }
        backend.runIndependent(criticCount, backwardSection);
        policyBackward(cloning);
        double alphaPrimeLoss = 0.0;
        logAlphaPrimeGradient = 0.0;
        if (lagrange) {
            double penaltySum = 0.0;
            for (int k = 0; k < criticCount; k++) {
                penaltySum += conservative[k];
            }
            alphaPrimeLoss = -penaltySum / criticCount;
            double raw = Math.exp(logAlphaPrime);
            boolean inside = raw >= 0.0 && raw <= ALPHA_PRIME_MAX;
            logAlphaPrimeGradient = inside ? -config.cqlAlpha() * gapSum / criticCount * raw : 0.0;
        }

        UpdateResult result = new UpdateResult(steps + 1, td, gap, conservative, averageQ, boundCurrent, boundNext,
                policyLoss, alphaLoss, alphaPrimeLoss, alpha, alphaPrime, mean(newLogPi, batchSize), averageTargetQ);
        checkFinite(result);
        applyGradients();
        return result;
    }

    // ---- the passes of the sections; each touches only its own networks, workspaces and arrays ----

    /** Pass 0: the policy at s; pass 1: at s' (two workspaces of one network, as {@link Network} allows). */
    private void forwardPolicy(int pass) {
        if (pass == 0) {
            policy.forward(passCurrent, batchInFlight.observations(), batchSize);
        } else {
            policy.forward(passNext, batchInFlight.nextObservations(), batchSize);
        }
    }

    /** Target at (s', a'), actor at (s, ã) unless cloning, stacked at s. */
    private void forwardCritic(int k) {
        targets[k].forward(targetWorkspaces[k], batchInFlight.nextObservations(), targetActions, actionDim,
                batchSize, targetSamples, targetQ[k]);
        if (actorInFlight) {
            critics[k].forward(actorWorkspaces[k], batchInFlight.observations(), newActions, actionDim, batchSize,
                    1, actorQ[k]);
        }
        critics[k].forward(stackedWorkspaces[k], batchInFlight.observations(), stackedActions, actionDim, batchSize,
                stride, stackedQ[k]);
    }

    /** Parameter gradients of the critic loss; the actor's action gradient unless cloning. */
    private void backwardCritic(int k) {
        if (actorInFlight) {
            critics[k].backward(actorWorkspaces[k], actorGradQ[k], null, null, actorGradTail[k]);
        }
        criticGradients[k].zero();
        critics[k].backward(stackedWorkspaces[k], stackedGradQ[k], criticGradients[k], null, null);
    }

    /** Pass 0: the policy network's Adam step. Pass k + 1: critic k's Adam step, then its soft target update when due. */
    private void stepNetwork(int pass) {
        if (pass == 0) {
            policyOptimizer.step(policyGradients, config.policyLr());
            return;
        }
        int k = pass - 1;
        criticOptimizers[k].step(criticGradients[k], config.qfLr());
        if (softUpdateInFlight) {
            targets[k].softUpdateFrom(critics[k], config.tau());
        }
    }

    private void checkBatch(TransitionBatch batch) {
        if (batch.size() != batchSize || batch.observationDim() != observationDim
                || batch.actionDim() != actionDim) {
            throw new IllegalArgumentException("batch must be [" + batchSize + " rows, observationDim "
                    + observationDim + ", actionDim " + actionDim + "] as configured, found [" + batch.size()
                    + ", " + batch.observationDim() + ", " + batch.actionDim() + "]");
        }
        batch.validate();
    }

    private void drawAll() {
        draws.fill(DrawKind.POLICY_NOISE, policyNoise, policyNoise.length);
        draws.fill(DrawKind.TARGET_NOISE, targetNoise, targetNoise.length);
        draws.fill(DrawKind.RANDOM_ACTIONS, randomActions, randomActions.length);
        draws.fill(DrawKind.CURRENT_NOISE, currentNoise, currentNoise.length);
        draws.fill(DrawKind.NEXT_NOISE, nextNoise, nextNoise.length);
    }

    /** Samples ã at s; returns the temperature loss and sets its gradient. */
    private double temperatureLoss() {
        TanhGaussian.sample(passCurrent.mean(), passCurrent.logStd(), batchSize, 1, actionDim, policyNoise,
                config.maxAction(), newActions, newSquashed, newLogPi);
        if (!config.autoEntropy()) {
            logAlphaGradient = 0.0;
            return 0.0;
        }
        double sumLoss = 0.0;
        double sumGrad = 0.0;
        for (int b = 0; b < batchSize; b++) {
            double shifted = newLogPi[b] + config.targetEntropy();
            sumLoss += logAlpha * shifted;
            sumGrad += shifted;
        }
        logAlphaGradient = -sumGrad / batchSize;
        return -sumLoss / batchSize;
    }

    /**
     * The policy loss (from the actor's Q-values at (s, ã), or behaviour cloning) and its gradient with respect to
     * log π and, via {@link #actorGradQ}, to each critic's Q.
     */
    private double policyLoss(TransitionBatch batch, double alpha, boolean cloning) {
        passCurrent.zeroGradients();
        double invB = 1.0 / batchSize;
        Arrays.fill(gradNewLogPi, 0, batchSize, alpha * invB);
        double loss = alpha * mean(newLogPi, batchSize);
        if (cloning) {
            double logProbData = TanhGaussian.logProbOfActions(passCurrent.mean(), passCurrent.logStd(), batchSize,
                    actionDim, batch.actions(), config.maxAction(), -invB, passCurrent.gradMean(),
                    passCurrent.gradLogStd());
            return loss - logProbData * invB;
        }
        double qMinSum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            double min = actorQ[0][b];
            for (int k = 1; k < criticCount; k++) {
                min = Math.min(min, actorQ[k][b]);
            }
            qMinSum += min;
            int ties = 0;
            for (int k = 0; k < criticCount; k++) {
                if (actorQ[k][b] == min) {
                    ties++;
                }
            }
            for (int k = 0; k < criticCount; k++) {
                actorGradQ[k][b] = actorQ[k][b] == min ? -invB / ties : 0.0;
            }
        }
        return loss - qMinSum * invB;
    }

    /** The policy's gradients (network and log-std scalars), once the critics' action gradients are in. */
    private void policyBackward(boolean cloning) {
        double[] gradActions = null;
        if (!cloning) {
            Arrays.fill(gradNewActions, 0.0);
            for (int k = 0; k < criticCount; k++) {
                double[] tail = actorGradTail[k];
                for (int i = 0; i < gradNewActions.length; i++) {
                    gradNewActions[i] += tail[i];
                }
            }
            gradActions = gradNewActions;
        }
        TanhGaussian.backward(passCurrent.logStd(), batchSize, 1, actionDim, policyNoise, config.maxAction(),
                newSquashed, gradActions, gradNewLogPi, passCurrent.gradMean(), passCurrent.gradLogStd());
        policyGradients.zero();
        policyScalarGradients[0] = 0.0;
        policyScalarGradients[1] = 0.0;
        policy.backward(passCurrent, policyGradients, policyScalarGradients);
    }

    /** Fills {@link #tdTarget}; returns the mean backed-up target value. */
    private double tdTargets(TransitionBatch batch, double alpha) {
        int rows = batchSize * targetSamples;
        System.arraycopy(targetQ[0], 0, targetMinQ, 0, rows);
        for (int k = 1; k < criticCount; k++) {
            double[] q = targetQ[k];
            for (int i = 0; i < rows; i++) {
                targetMinQ[i] = Math.min(targetMinQ[i], q[i]);
            }
        }
        double[] rewards = batch.rewards();
        double[] dones = batch.dones();
        double gamma = config.discount();
        double sum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            int base = b * targetSamples;
            int best = 0;
            for (int j = 1; j < targetSamples; j++) {
                if (targetMinQ[base + j] > targetMinQ[base + best]) {
                    best = j;
                }
            }
            double value = targetMinQ[base + best];
            if (config.backupEntropy()) {
                value -= alpha * targetLogPi[base + best];
            }
            backedUp[b] = value;
            sum += value;
            tdTarget[b] = rewards[b] + (1.0 - dones[b]) * gamma * value;
        }
        return sum / batchSize;
    }

    /**
     * Samples a' at s' for the TD target (part 0) and the penalty's N current- (part 1) and next-policy (part 2)
     * actions at s; host math on disjoint arrays, so the parts run at once on the shared gang.
     */
    private void sampleCriticActions(int part) {
        if (part == 0) {
            TanhGaussian.sample(passNext.mean(), passNext.logStd(), batchSize, targetSamples, actionDim, targetNoise,
                    config.maxAction(), targetActions, targetSquashed, targetLogPi);
        } else if (part == 1) {
            TanhGaussian.sample(passCurrent.mean(), passCurrent.logStd(), batchSize, samples, actionDim,
                    currentNoise, config.maxAction(), currentActions, sampleSquashed, penaltyInputs.logProbCurrent());
        } else {
            TanhGaussian.sample(passNext.mean(), passNext.logStd(), batchSize, samples, actionDim, nextNoise,
                    config.maxAction(), nextActions, sampleSquashedNext, penaltyInputs.logProbNext());
        }
    }

    /** Lays out each state's 1 + 3N actions: data, random, next-policy, current-policy. */
    private void stackActions(double[] dataActions) {
        int a = actionDim;
        int n = samples;
        for (int b = 0; b < batchSize; b++) {
            int dst = b * stride * a;
            System.arraycopy(dataActions, b * a, stackedActions, dst, a);
            System.arraycopy(randomActions, b * n * a, stackedActions, dst + a, n * a);
            System.arraycopy(nextActions, b * n * a, stackedActions, dst + (1 + n) * a, n * a);
            System.arraycopy(currentActions, b * n * a, stackedActions, dst + (1 + 2 * n) * a, n * a);
        }
    }

    /** Fraction of the N entries starting at {@code offset} in each state's block strictly below V_ref. */
    private double boundRate(double[] stackedQ, int offset, double[] reference) {
        int below = 0;
        for (int b = 0; b < batchSize; b++) {
            int base = b * stride + offset;
            for (int j = 0; j < samples; j++) {
                if (stackedQ[base + j] < reference[b]) {
                    below++;
                }
            }
        }
        return (double) below / (batchSize * samples);
    }

    private static double mean(double[] values, int count) {
        double s = 0.0;
        for (int i = 0; i < count; i++) {
            s += values[i];
        }
        return s / count;
    }

    private void checkFinite(UpdateResult r) {
        double total = r.policyLoss() + r.alphaLoss() + r.alphaPrimeLoss() + logAlphaGradient
                + logAlphaPrimeGradient + policyScalarGradients[0] + policyScalarGradients[1];
        for (int k = 0; k < criticCount; k++) {
            total += r.tdLoss()[k] + r.conservativeLoss()[k];
        }
        if (!Double.isFinite(total)) {
            throw new IllegalStateException("update " + r.step() + " produced a non-finite loss (td "
                    + Arrays.toString(r.tdLoss()) + ", conservative " + Arrays.toString(r.conservativeLoss())
                    + ", policy " + r.policyLoss() + ", alpha " + r.alphaLoss() + ", alphaPrime "
                    + r.alphaPrimeLoss() + "); no parameters were changed");
        }
    }

    private void applyGradients() {
        softUpdateInFlight = (steps + 1) % config.targetUpdatePeriod() == 0;
        backend.runIndependent(criticCount + 1, stepSection);
        policy.setLogStdAffine(
                multiplierAdam.step(policy.logStdMultiplier(), policyScalarGradients[0], config.policyLr()),
                offsetAdam.step(policy.logStdOffset(), policyScalarGradients[1], config.policyLr()));
        if (config.autoEntropy()) {
            logAlpha = alphaAdam.step(logAlpha, logAlphaGradient, config.policyLr());
        }
        if (config.lagrange()) {
            logAlphaPrime = alphaPrimeAdam.step(logAlphaPrime, logAlphaPrimeGradient, config.qfLr());
        }
        steps++;
    }

    /** The gradients of the last update (at the parameters before its step); targets are {@code null}. */
    public ModelParameters lastGradients() {
        double[][][] q = new double[criticCount][][];
        for (int k = 0; k < criticCount; k++) {
            q[k] = criticGradients[k].export();
        }
        return new ModelParameters(q, null, policyGradients.export(), policyScalarGradients[0],
                policyScalarGradients[1], logAlphaGradient, logAlphaPrimeGradient);
    }

    /** A copy of every learned value. */
    public ModelParameters exportParameters() {
        double[][][] q = new double[criticCount][][];
        double[][][] t = new double[criticCount][][];
        for (int k = 0; k < criticCount; k++) {
            q[k] = critics[k].exportParameters();
            t[k] = targets[k].exportParameters();
        }
        return new ModelParameters(q, t, policy.network().exportParameters(), policy.logStdMultiplier(),
                policy.logStdOffset(), logAlpha, logAlphaPrime);
    }

    /**
     * Replaces every learned value.
     *
     * @throws IllegalArgumentException if a layout does not match the config; nothing changes then
     */
    public void importParameters(ModelParameters p) {
        if (p.critics() == null || p.critics().length != criticCount || p.targetCritics() == null
                || p.targetCritics().length != criticCount) {
            throw new IllegalArgumentException("parameters must hold " + criticCount + " critics and "
                    + criticCount + " targets");
        }
        for (int k = 0; k < criticCount; k++) {
            critics[k].spec().checkParameterLayout(p.critics()[k]);
            targets[k].spec().checkParameterLayout(p.targetCritics()[k]);
        }
        policy.network().spec().checkParameterLayout(p.policy());
        double[] scalars = {p.logStdMultiplier(), p.logStdOffset(), p.logAlpha(), p.logAlphaPrime()};
        for (double s : scalars) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("scalar parameters must be finite, found "
                        + Arrays.toString(scalars));
            }
        }
        for (int k = 0; k < criticCount; k++) {
            critics[k].importParameters(p.critics()[k]);
            targets[k].importParameters(p.targetCritics()[k]);
        }
        policy.network().importParameters(p.policy());
        policy.setLogStdAffine(p.logStdMultiplier(), p.logStdOffset());
        logAlpha = p.logAlpha();
        logAlphaPrime = p.logAlphaPrime();
    }

    /** Everything needed to continue bit for bit (parameters, optimizer states, step count). */
    public UpdateStepState exportState() {
        AdamState[] critic = new AdamState[criticCount];
        for (int k = 0; k < criticCount; k++) {
            critic[k] = criticOptimizers[k].exportState();
        }
        double[][] scalars = {multiplierAdam.exportState(), offsetAdam.exportState(), alphaAdam.exportState(),
            alphaPrimeAdam.exportState()};
        return new UpdateStepState(exportParameters(), critic, policyOptimizer.exportState(), scalars, steps);
    }

    /**
     * Restores a state from {@link #exportState()}.
     *
     * @throws IllegalArgumentException if it does not fit this config; nothing changes then
     */
    public void importState(UpdateStepState state) {
        if (state.criticOptimizers() == null || state.criticOptimizers().length != criticCount
                || state.scalarOptimizers() == null || state.scalarOptimizers().length != 4 || state.steps() < 0) {
            throw new IllegalArgumentException("update state does not fit: expected " + criticCount
                    + " critic optimizers, 4 scalar optimizers and steps >= 0");
        }
        ModelParameters before = exportParameters();
        AdamState[] criticBefore = new AdamState[criticCount];
        for (int k = 0; k < criticCount; k++) {
            criticBefore[k] = criticOptimizers[k].exportState();
        }
        AdamState policyBefore = policyOptimizer.exportState();
        try {
            importParameters(state.parameters());
            for (int k = 0; k < criticCount; k++) {
                criticOptimizers[k].importState(state.criticOptimizers()[k]);
            }
            policyOptimizer.importState(state.policyOptimizer());
            ScalarAdam[] scalars = {multiplierAdam, offsetAdam, alphaAdam, alphaPrimeAdam};
            double[][] scalarStates = state.scalarOptimizers();
            for (double[] s : scalarStates) {
                new ScalarAdam().importState(s); // validate all four before any of them changes
            }
            for (int i = 0; i < 4; i++) {
                scalars[i].importState(scalarStates[i]);
            }
            steps = state.steps();
        } catch (IllegalArgumentException e) {
            importParameters(before);
            for (int k = 0; k < criticCount; k++) {
                criticOptimizers[k].importState(criticBefore[k]);
            }
            policyOptimizer.importState(policyBefore);
            throw e;
        }
    }
}
