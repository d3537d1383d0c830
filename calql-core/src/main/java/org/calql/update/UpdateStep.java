package org.calql.update;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticEnsembleState;
import org.calql.critic.CriticLayout;
import org.calql.critic.TargetUpdate;
import org.calql.data.TransitionBatch;
import org.calql.policy.Policy;
import org.calql.policy.PolicyFactory;
import org.calql.policy.PolicyGradients;
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.policy.PolicyState;
import org.calql.optim.ScalarState;
import org.calql.random.DrawKind;
import org.calql.random.UpdateDraws;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.PenaltyInputs;
import org.calql.regularizer.ReferenceMeter;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Backend;
import org.calql.spi.BoundRows;
import org.calql.spi.ParallelPasses;
import org.calql.spi.Workspace;

/**
 * One CQL / Cal-QL gradient update for continuous actions, as the Cal-QL reference implementation computes it
 * (CORL {@code cal_ql.py}, after the authors' JAX code). Every gradient is taken at the parameters before the
 * step; then Adam moves the critics, the policy, the temperature and the Lagrange multiplier, and the targets
 * follow the critics by the {@link TargetUpdate}.
 *
 * <p>The model is a {@link Policy} (any implementation, from the config's {@link PolicyFactory}) and a
 * {@link CriticEnsemble}; the losses are parts of their own:
 * <ul>
 *   <li>{@link TdTarget}: {@code y = r + (1 − done)·γ·T}, {@code T = min_k Q̄_k(s', a')} (with max-target backup
 *       the max over N samples; with backup entropy minus {@code α·log π(a'|s')}); TD loss
 *       {@code mean((Q_k(s,a) − y)²)}.</li>
 *   <li>{@link ConservativeTerm}: the {@link ConservativeRegularizer} over Q-values of data, random,
 *       next-state-policy and current-policy actions, all evaluated at {@code s} in one stacked forward per
 *       critic; weight {@code cqlAlpha}, or {@code α'·cqlAlpha·(gap − targetActionGap)} with the
 *       {@link LagrangeMultiplier}.</li>
 *   <li>{@link ActorLoss}: {@code mean(α·log π(ã|s) − min_k Q_k(s, ã))} (behaviour cloning for the first
 *       {@code bcSteps}); {@link Temperature}: {@code −mean(logAlpha·(log π + targetEntropy))}.</li>
 * </ul>
 *
 * <p>The network work comes in sections that go through {@link Backend#runIndependent}, so a backend may run
 * their passes at once: the policy at s and at s'; each critic's forward passes (target at s', actor at (s, ã),
 * stacked at s); each critic's backward passes; and the optimizer steps (each critic's with its target move, and
 * the policy's). The three action samplings at s and s' run at once on {@link ParallelPasses#shared()}. A
 * section's inputs are the arguments its passes capture; everything that combines critics (minima, sums, the
 * regularizer, the Lagrange gradient) runs on the calling thread in critic order between the sections, so
 * results do not depend on how the passes were scheduled.
 *
 * <p>The batch goes to the backend once per update: the observations at s and s' and the three action sets (the
 * stacked {@code B·(1+3N)} rows, a' at s', ã at s) are staged through {@link Backend#bindRows}, the policy samples
 * straight into their places ({@link Policy#sampleInto}), and every pass reads the staged rows. On a backend that
 * keeps them on the host (the default) this is the same arithmetic as passing host arrays, bit for bit.
 *
 * <p>All buffers are allocated in the constructor; an update allocates only its small {@link UpdateResult} and
 * the section lambdas. A batch that does not fit or holds NaN/Inf, and an update whose losses would be
 * non-finite, are rejected before any parameter changes. Not thread-safe.
 */
public final class UpdateStep {
    private CalQlConfig config;
    private final int batchSize;
    private final int samples;
    private final int actionDim;
    private final int observationDim;
    private final int criticCount;
    private final int stride;
    private final int targetSamples;

    private final Backend backend;
    private final Policy policy;
    private final PolicyGradients policyGradients;
    private final CriticEnsemble critics;
    private final Temperature temperature;
    private final LagrangeMultiplier lagrange;
    private final TdTarget tdTarget;
    private final ActorLoss actorLoss;

    private ConservativeRegularizer regularizer;
    private ReferenceValues referenceValues;
    private ReferenceMeter referenceMeter;
    private final UpdateDraws draws;
    private long steps;
    private double lastLogAlphaGradient;
    private double lastLogAlphaPrimeGradient;

    // buffers, sized once
    private final PolicyPass passCurrent;
    private final PolicyPass passNext;
    private final PolicySamples actorSamples;
    private final PolicySamples targetSamplesAtNext;
    private final PolicySamples currentSamples;
    private final PolicySamples nextSamples;
    private final Workspace[] stackedWorkspaces;
    private final Workspace[] targetWorkspaces;
    private final Workspace[] actorWorkspaces;
    private final PenaltyInputs penaltyInputs;
    private final double[] policyNoise;
    private final double[] targetNoise;
    private final double[] randomActions;
    private final double[] currentNoise;
    private final double[] nextNoise;
    private final double[] gradActorActions;
    private final double[][] actorQ;
    private final double[][] actorGradQ;
    private final double[][] actorGradTail;
    private final double[][] targetQ;
    /** The batch's observations at s and s', staged once per update for every pass that reads them. */
    private final BoundRows observations;
    private final BoundRows nextObservations;
    /** Each state's 1 + 3N actions (data, random, next-policy, current-policy), sampled straight into place. */
    private final BoundRows stackedActions;
    /** a' at s' for the target passes; ã at s for the actor passes. */
    private final BoundRows targetActions;
    private final BoundRows actorActions;
    private final double[][] stackedQ;
    private final double[][] stackedGradQ;

    /**
     * Creates the critics and then the policy on {@code backend}, initialised in that order from
     * {@code config.seed()}, with targets equal to the critics.
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
        this.referenceMeter = new ReferenceMeter(referenceValues, config.batchSize());
        this.draws = draws;
        this.backend = backend;

        SplittableRandom init = new SplittableRandom(config.seed());
        critics = new CriticEnsemble(backend,
                config.critic().networkSpec(CriticLayout.STATE_ACTION, observationDim, actionDim), criticCount,
                config.initialization(), init, new TargetUpdate(config.tau(), config.targetUpdatePeriod()));
        policy = config.policy().create(new PolicyFactory.Context(observationDim, actionDim, config.maxAction(),
                backend, config.initialization(), init));
        if (policy.observationDim() != observationDim || policy.actionDim() != actionDim) {
            throw new IllegalArgumentException("the policy factory made a policy for observationDim "
                    + policy.observationDim() + " and actionDim " + policy.actionDim() + ", config says "
                    + observationDim + " and " + actionDim);
        }
        policyGradients = policy.newGradients();
        temperature = new Temperature(config.initLogAlpha());
        lagrange = new LagrangeMultiplier(config.initLogAlphaPrime());

        int b = batchSize;
        int a = actionDim;
        int n = samples;
        int noise = policy.noiseDim();
        tdTarget = new TdTarget(b, targetSamples);
        actorLoss = new ActorLoss(b);
        passCurrent = policy.newPass(b);
        passNext = policy.newPass(b);
        actorSamples = policy.newSamples(b, 1);
        targetSamplesAtNext = policy.newSamples(b, targetSamples);
        currentSamples = policy.newSamples(b, n);
        nextSamples = policy.newSamples(b, n);
        stackedWorkspaces = new Workspace[criticCount];
        targetWorkspaces = new Workspace[criticCount];
        actorWorkspaces = new Workspace[criticCount];
        for (int k = 0; k < criticCount; k++) {
            actorWorkspaces[k] = critics.critic(k).newWorkspace(b);
            stackedWorkspaces[k] = critics.critic(k).newWorkspace(b * stride);
            targetWorkspaces[k] = critics.target(k).newWorkspace(b * targetSamples);
        }
        penaltyInputs = new PenaltyInputs(b, n, a);
        policyNoise = new double[b * noise];
        targetNoise = new double[b * targetSamples * noise];
        randomActions = new double[b * n * a];
        currentNoise = new double[b * n * noise];
        nextNoise = new double[b * n * noise];
        gradActorActions = new double[b * a];
        actorQ = new double[criticCount][b];
        actorGradQ = new double[criticCount][b];
        actorGradTail = new double[criticCount][b * a];
        targetQ = new double[criticCount][b * targetSamples];
        observations = backend.bindRows(b, observationDim);
        nextObservations = backend.bindRows(b, observationDim);
        stackedActions = backend.bindRows(b * stride, a);
        targetActions = backend.bindRows(b * targetSamples, a);
        actorActions = backend.bindRows(b, a);
        stackedQ = new double[criticCount][b * stride];
        stackedGradQ = new double[criticCount][b * stride];
    }

    /** The configuration. */
    public CalQlConfig config() {
        return config;
    }

    /**
     * Switches to {@code next} for the following updates, e.g. a fine-tuning phase with another CQL α or with
     * calibration off. Only training settings may change: every field of {@link CalQlConfig#structure()} must be
     * equal.
     *
     * @throws IllegalArgumentException naming the first structural field that differs
     */
    public void reconfigure(CalQlConfig next) {
        config.structure().requireSame(next.structure());
        this.config = next;
        this.regularizer = next.regularizer();
        if (next.referenceValues() != referenceValues) {
            this.referenceMeter = new ReferenceMeter(next.referenceValues(), batchSize);
        }
        this.referenceValues = next.referenceValues();
    }

    /** The policy (its parameters change with every update). */
    public Policy policy() {
        return policy;
    }

    /** The critics and their targets. */
    public CriticEnsemble critics() {
        return critics;
    }

    /** Updates taken so far. */
    public long steps() {
        return steps;
    }

    /** The current temperature {@code α}. */
    public double alpha() {
        return temperature.alpha(config.autoEntropy(), config.alphaMultiplier());
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
        observations.load(batch.observations(), batchSize);
        nextObservations.load(batch.nextObservations(), batchSize);
        backend.runIndependent(2, pass -> policy.forward(pass == 0 ? passCurrent : passNext,
                pass == 0 ? observations : nextObservations));

        double alpha = alpha();
        policy.sampleInto(passCurrent, policyNoise, actorSamples, actorActions.values(), 0, actionDim);
        double[] logPi = actorSamples.logProbs();
        double alphaLoss = 0.0;
        double logAlphaGradient = 0.0;
        if (config.autoEntropy()) {
            alphaLoss = temperature.loss(logPi, batchSize, config.targetEntropy());
            logAlphaGradient = Temperature.gradient(logPi, batchSize, config.targetEntropy());
        }
        boolean cloning = steps + 1 <= config.bcSteps();
        ParallelPasses.shared().run(3, this::sampleCriticActions);
        System.arraycopy(currentSamples.logProbs(), 0, penaltyInputs.logProbCurrent(), 0, batchSize * samples);
        System.arraycopy(nextSamples.logProbs(), 0, penaltyInputs.logProbNext(), 0, batchSize * samples);
        stackActions(batch.actions());
        stackedActions.stage(batchSize * stride);
        targetActions.stage(batchSize * targetSamples);
        if (!cloning) {
            actorActions.stage(batchSize);
        }
        backend.runIndependent(criticCount, k -> forwardCritic(k, !cloning));
        double averageTargetQ = tdTarget.compute(targetQ, targetSamplesAtNext.logProbs(), batch, alpha,
                config.discount(), config.backupEntropy());
        passCurrent.zeroGradients();
        double policyLoss = cloning
                ? actorLoss.cloningLoss(policy, passCurrent, batch.actions(), logPi, alpha)
                : actorLoss.criticLoss(actorQ, logPi, alpha, actorGradQ);

        boolean useLagrange = config.lagrange();
        double alphaPrime = useLagrange ? lagrange.value() : 0.0;
        double weight = useLagrange ? alphaPrime * config.cqlAlpha() : config.cqlAlpha();
        double[] td = new double[criticCount];
        double[] gap = new double[criticCount];
        double[] conservative = new double[criticCount];
        double[] averageQ = new double[criticCount];
        double[] boundCurrent = new double[criticCount];
        double[] boundNext = new double[criticCount];
        double gapSum = 0.0;
        for (int k = 0; k < criticCount; k++) {
            double[] q = stackedQ[k];
            gap[k] = ConservativeTerm.gap(regularizer, penaltyInputs, q, stackedGradQ[k], weight);
            conservative[k] = ConservativeTerm.loss(gap[k], weight, useLagrange, config.targetActionGap());
            gapSum += gap[k] - config.targetActionGap();
            td[k] = tdTarget.lossAndGradient(q, stride, stackedGradQ[k]);
            averageQ[k] = dataActionMean(q);
            boundCurrent[k] = ConservativeTerm.boundRate(q, penaltyInputs, 2 * samples + 1);
            boundNext[k] = ConservativeTerm.boundRate(q, penaltyInputs, samples + 1);
        }
        referenceMeter.start(batch, reference);
        for (int k = 0; k < criticCount; k++) {
            referenceMeter.add(stackedQ[k], batchSize, stride, 2 * samples + 1, samples);
        }
        backend.runIndependent(criticCount, k -> backwardCritic(k, !cloning));
        policyBackward(cloning);
        double alphaPrimeLoss = 0.0;
        double logAlphaPrimeGradient = 0.0;
        if (useLagrange) {
            double penaltySum = 0.0;
            for (int k = 0; k < criticCount; k++) {
                penaltySum += conservative[k];
            }
            alphaPrimeLoss = -penaltySum / criticCount;
            logAlphaPrimeGradient = lagrange.gradient(gapSum, criticCount, config.cqlAlpha());
        }

        UpdateResult result = new UpdateResult(steps + 1, td, gap, conservative, averageQ, boundCurrent, boundNext,
                policyLoss, alphaLoss, alphaPrimeLoss, alpha, alphaPrime, mean(logPi, batchSize), averageTargetQ,
                referenceMeter.result());
        checkFinite(result, logAlphaGradient, logAlphaPrimeGradient);
        lastLogAlphaGradient = logAlphaGradient;
        lastLogAlphaPrimeGradient = logAlphaPrimeGradient;
        applyGradients(logAlphaGradient, logAlphaPrimeGradient);
        return result;
    }

    // ---- the passes of the sections; each touches only its own networks, workspaces and arrays ----

    /** Target at (s', a'), actor at (s, ã) unless cloning ({@code actor} false), stacked at s. */
    private void forwardCritic(int k, boolean actor) {
        critics.target(k).forward(targetWorkspaces[k], nextObservations, targetActions, targetSamples, targetQ[k]);
        if (actor) {
            critics.critic(k).forward(actorWorkspaces[k], observations, actorActions, 1, actorQ[k]);
        }
        critics.critic(k).forward(stackedWorkspaces[k], observations, stackedActions, stride, stackedQ[k]);
    }

    /** Parameter gradients of the critic loss; the actor's action gradient when {@code actor}. */
    private void backwardCritic(int k, boolean actor) {
        if (actor) {
            critics.critic(k).backward(actorWorkspaces[k], actorGradQ[k], null, null, actorGradTail[k]);
        }
        critics.gradients(k).zero();
        critics.critic(k).backward(stackedWorkspaces[k], stackedGradQ[k], critics.gradients(k), null, null);
    }

    /**
     * Pass 0: the policy's optimizer step. Pass k + 1: critic k's Adam step, then its target's move when due
     * after update {@code step}.
     */
    private void stepNetwork(int pass, long step) {
        if (pass == 0) {
            policy.step(policyGradients, config.policyLr());
        } else {
            critics.step(pass - 1, config.qfLr(), step);
        }
    }

    /**
     * Samples a' at s' for the TD target (part 0) and the penalty's N current- (part 1) and next-policy (part 2)
     * actions at s, the latter straight into their places among each state's stacked actions; samplings into
     * distinct buffers and disjoint ranges, so the parts run at once on the shared gang.
     */
    private void sampleCriticActions(int part) {
        int a = actionDim;
        int n = samples;
        if (part == 0) {
            policy.sampleInto(passNext, targetNoise, targetSamplesAtNext, targetActions.values(), 0,
                    targetSamples * a);
        } else if (part == 1) {
            policy.sampleInto(passCurrent, currentNoise, currentSamples, stackedActions.values(), (1 + 2 * n) * a,
                    stride * a);
        } else {
            policy.sampleInto(passNext, nextNoise, nextSamples, stackedActions.values(), (1 + n) * a, stride * a);
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

    /** The policy's gradients, once the critics' action gradients are in (none when cloning). */
    private void policyBackward(boolean cloning) {
        double[] gradActions = null;
        if (!cloning) {
            Arrays.fill(gradActorActions, 0.0);
            for (int k = 0; k < criticCount; k++) {
                double[] tail = actorGradTail[k];
                for (int i = 0; i < gradActorActions.length; i++) {
                    gradActorActions[i] += tail[i];
                }
            }
            gradActions = gradActorActions;
        }
        policy.addSampleGradient(passCurrent, actorSamples, gradActions, actorLoss.gradLogPi());
        policyGradients.zero();
        policy.backward(passCurrent, policyGradients);
    }

    /**
     * Completes each state's 1 + 3N stacked actions (data, random, next-policy, current-policy) with the data and
     * random ones; the samplings already wrote the policy actions in place.
     */
    private void stackActions(double[] dataActions) {
        int a = actionDim;
        int n = samples;
        double[] stacked = stackedActions.values();
        for (int b = 0; b < batchSize; b++) {
            int dst = b * stride * a;
            System.arraycopy(dataActions, b * a, stacked, dst, a);
            System.arraycopy(randomActions, b * n * a, stacked, dst + a, n * a);
        }
    }

    /** {@code mean_B Q(s, a_data)}: entry 0 of each state's block. */
    private double dataActionMean(double[] q) {
        double sum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            sum += q[b * stride];
        }
        return sum / batchSize;
    }

    private static double mean(double[] values, int count) {
        double s = 0.0;
        for (int i = 0; i < count; i++) {
            s += values[i];
        }
        return s / count;
    }

    private void checkFinite(UpdateResult r, double logAlphaGradient, double logAlphaPrimeGradient) {
        double total = r.policyLoss() + r.alphaLoss() + r.alphaPrimeLoss() + logAlphaGradient + logAlphaPrimeGradient;
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

    private void applyGradients(double logAlphaGradient, double logAlphaPrimeGradient) {
        long step = steps + 1;
        backend.runIndependent(criticCount + 1, pass -> stepNetwork(pass, step));
        if (config.autoEntropy()) {
            temperature.step(logAlphaGradient, config.policyLr());
        }
        if (config.lagrange()) {
            lagrange.step(logAlphaPrimeGradient, config.qfLr());
        }
        steps = step;
    }

    /** The gradients of the last update (at the parameters before its step); targets are {@code null}. */
    public ModelParameters lastGradients() {
        return new ModelParameters(critics.exportGradients(), null, policyGradients.export(), lastLogAlphaGradient,
                lastLogAlphaPrimeGradient);
    }

    /** A copy of every learned value. */
    public ModelParameters exportParameters() {
        UpdateStepState s = exportState();
        return new ModelParameters(s.critics().critics(), s.critics().targets(), s.policy().parameters(),
                s.temperature().value(), s.lagrange().value());
    }

    /**
     * Replaces every learned value, keeping the optimizer states and the step count.
     *
     * @throws IllegalArgumentException if a layout does not match the config or a value is not finite; nothing
     *                                  changes then
     */
    public void importParameters(ModelParameters p) {
        UpdateStepState current = exportState();
        importState(new UpdateStepState(
                new CriticEnsembleState(p.critics(), p.targetCritics(), current.critics().optimizers()),
                new PolicyState(p.policy(), current.policy().optimizer()),
                new ScalarState(p.logAlpha(), current.temperature().adam()),
                new ScalarState(p.logAlphaPrime(), current.lagrange().adam()), current.steps()));
    }

    /** Everything needed to continue bit for bit (parameters, optimizer states, step count). */
    public UpdateStepState exportState() {
        return new UpdateStepState(critics.exportState(), policy.exportState(), temperature.exportState(),
                lagrange.exportState(), steps);
    }

    /**
     * Restores a state from {@link #exportState()}.
     *
     * @throws IllegalArgumentException if it does not fit this config or holds non-finite values; nothing
     *                                  changes then
     */
    public void importState(UpdateStepState state) {
        if (state == null || state.steps() < 0) {
            throw new IllegalArgumentException("update state must not be null and must have steps >= 0, found "
                    + (state == null ? "null" : state.steps()));
        }
        Runnable applyTemperature = temperature.prepareImport(state.temperature(), "logAlpha");
        Runnable applyLagrange = lagrange.prepareImport(state.lagrange(), "logAlphaPrime");
        UpdateStepState before = exportState();
        critics.importState(state.critics());
        try {
            policy.importState(state.policy());
        } catch (IllegalArgumentException e) {
            critics.importState(before.critics());
            throw e;
        }
        applyTemperature.run();
        applyLagrange.run();
        steps = state.steps();
    }
}
