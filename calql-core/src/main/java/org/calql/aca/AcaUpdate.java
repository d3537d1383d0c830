package org.calql.aca;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticLayout;
import org.calql.critic.CriticSpec;
import org.calql.critic.TargetUpdate;
import org.calql.data.TransitionBatch;
import org.calql.optim.ScalarAdam;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyFactory;
import org.calql.policy.PolicyGradients;
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.policy.GaussianPolicy;
import org.calql.policy.NonSquashedGaussianPolicy;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.random.Rng;
import org.calql.spi.Backend;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;

/**
 * One ACA gradient update, offline ("SAC+ML") or online (SAC on the reparameterised critic), in the authors' order:
 * each part steps before the next is computed, as d3rlpy's {@code update_temp}, {@code update_critic},
 * {@code update_baseline}, {@code update_actor} do.
 *
 * <ol>
 *   <li>Temperature: {@code log α ← Adam(−mean(log α·(log π(ã|s) + targetEntropy)))}, then {@code α = exp(log α)}.</li>
 *   <li>Critics: {@code y = r + shift + γ(1 − d)·[min_k Q̄_k(s',a') − α·log π(a'|s')]}, loss
 *       {@code Σ_k mean((Q_k(s,a) − y)²)}; online {@code Q_k = R_k + w·ℓ} on both sides, so
 *       {@code y} uses {@code min_k R̄_k(s',a') + w·ℓ(s',a')} ({@link ReparameterisedCritic}); shift is
 *       {@link AcaConfig#onlineRewardShift()} online, 0 offline. Soft target step τ.</li>
 *   <li>Offline only, {@link ZEnsemble}: {@code L_Z} with the temperature's new α.</li>
 *   <li>Actor, on the critics after their step. Offline:
 *       {@code λ·mean(α log π(ã|s) − min_k Q_k(s,ã)) − mean_D log π(a|s)}, {@code λ = w_ML / mean|min_k Q_k(s,ã)|}
 *       held constant. Online: {@code mean(α log π(ã|s) − min_k R_k(s,ã) − w·ℓ(s,ã))}, gradient norm clipped at
 *       {@link AcaConfig#actorGradClip()} (PyTorch's {@code clip_grad_norm_}); then w takes its next value.</li>
 * </ol>
 *
 * <p>{@link #align()} switches to online. Every draw comes from the {@link Rng} given at construction (four blocks
 * of {@code B·A} standard normals per offline update, in the order temperature, critic target, Z target, actor;
 * three online), so the same seed gives the same bits. Buffers are allocated once; an update allocates its small
 * result, and online the policy gradients' export for the norm. A batch with non-finite values is refused before
 * anything changes. Not thread-safe.
 */
public final class AcaUpdate {
    private static final double CLIP_EPS = 1e-6;

    private final AcaConfig config;
    private final int b;
    private final int a;
    private final int k;
    private final Rng draws;
    private final GaussianPolicy policy;
    private final GaussianPolicy reference;
    private final PolicyGradients policyGradients;
    private final CriticEnsemble critics;
    private final ZEnsemble z;
    private final InterpolationSchedule schedule;
    private final ScalarAdam alphaAdam = new ScalarAdam();
    private ReparameterisedCritic term;
    private double logAlpha;
    private double weight;
    private boolean online;
    private long steps;
    private double lambda = Double.NaN;

    private final PolicyPass passS;
    private final PolicyPass passN;
    private final PolicySamples temperatureSamples;
    private final PolicySamples targetSamples;
    private final PolicySamples zSamples;
    private final PolicySamples actorSamples;
    private final Workspace[] dataWs;
    private final Workspace[] targetWs;
    private final Workspace[] actorWs;
    private final double[] noise;
    private final double[] mean;
    private final double[] logStd;
    private final double[] logPiData;
    private final double[] ellData;
    private final double[] ellNext;
    private final double[] ellActor;
    private final double[] gradEll;
    private final double[] y;
    private final double[][] q;
    private final double[][] gradQ;
    private final double[][] gradTail;
    private final double[] minQ;
    private final int[] argmin;
    private final double[] gradActions;
    private final double[] gradLogPi;

    /**
     * Creates the critics, then the Z ensemble, then the policy on {@code backend}, initialised in that order from
     * {@code config.seed()}; the targets equal the critics, {@code log α = log initialTemperature}.
     *
     * @param draws the update's random numbers (owned by the caller, who may checkpoint it)
     */
    public AcaUpdate(AcaConfig config, Backend backend, Rng draws) {
        this.config = config;
        this.b = config.batchSize();
        this.a = config.actionDim();
        this.k = config.criticCount();
        this.draws = draws;
        int o = config.observationDim();
        SplittableRandom init = new SplittableRandom(config.seed());
        CriticSpec spec = CriticSpec.mlp(config.criticHidden());
        critics = new CriticEnsemble(backend, spec.networkSpec(CriticLayout.STATE_ACTION, o, a), k,
                config.initialization(), init, new TargetUpdate(config.tau(), 1));
        NetworkSpec zSpec = spec.networkSpec(CriticLayout.STATE_TO_ACTION_VALUES, o, 1);
        z = new ZEnsemble(backend, zSpec, k, config.initialization(), init, b);
        PolicyFactory factory = config.policy() == AcaConfig.PolicyKind.NON_SQUASHED_GAUSSIAN
                ? NonSquashedGaussianPolicy.factory(config.policyHidden())
                : TanhGaussianPolicy.factory(config.policyHidden(), 1.0, 0.0);
        policy = (GaussianPolicy) factory.create(new PolicyFactory.Context(o, a, config.maxAction(), backend,
                config.initialization(), init));
        reference = (GaussianPolicy) factory.create(new PolicyFactory.Context(o, a, config.maxAction(), backend,
                config.initialization(), new SplittableRandom(0)));
        policyGradients = policy.newGradients();
        schedule = InterpolationSchedule.of(config);
        logAlpha = Math.log(config.initialTemperature());

        passS = policy.newPass(b);
        passN = policy.newPass(b);
        temperatureSamples = policy.newSamples(b, 1);
        targetSamples = policy.newSamples(b, 1);
        zSamples = policy.newSamples(b, 1);
        actorSamples = policy.newSamples(b, 1);
        dataWs = new Workspace[k];
        targetWs = new Workspace[k];
        actorWs = new Workspace[k];
        for (int i = 0; i < k; i++) {
            dataWs[i] = critics.critic(i).newWorkspace(b);
            actorWs[i] = critics.critic(i).newWorkspace(b);
            targetWs[i] = critics.target(i).newWorkspace(b);
        }
        noise = new double[b * policy.noiseDim()];
        mean = new double[b * a];
        logStd = new double[b * a];
        logPiData = new double[b];
        ellData = new double[b];
        ellNext = new double[b];
        ellActor = new double[b];
        gradEll = new double[b * a];
        y = new double[b];
        q = new double[k][b];
        gradQ = new double[k][b];
        gradTail = new double[k][b * a];
        minQ = new double[b];
        argmin = new int[b];
        gradActions = new double[b * a];
        gradLogPi = new double[b];
    }

    /** The configuration. */
    public AcaConfig config() {
        return config;
    }

    /** The policy π ({@link AcaConfig#policy()}'s kind). */
    public GaussianPolicy policy() {
        return policy;
    }

    /** The critics ({@code Q_i} offline, {@code R_i} online) and their targets. */
    public CriticEnsemble critics() {
        return critics;
    }

    /** The state values {@code Z_i}. */
    public ZEnsemble zEnsemble() {
        return z;
    }

    /** The reparameterised critic's term (π₀ and its floor), or null before {@link #align()}. */
    public ReparameterisedCritic reparameterisedCritic() {
        return term;
    }

    /** The temperature {@code α = exp(log α)}. */
    public double alpha() {
        return Math.exp(logAlpha);
    }

    /** The current w (0 before alignment). */
    public double weight() {
        return online ? weight : 0.0;
    }

    /** Whether {@link #align()} has happened. */
    public boolean online() {
        return online;
    }

    /** Updates taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * The alignment step, once, before fine-tuning: π₀ becomes a frozen copy of π (π continues from it), {@code α}
     * is reset to 1 ({@code log α = 0}; its Adam moments are kept, as the authors overwrite the parameter only),
     * every critic {@code R_i} takes {@code Z_i}'s weights with its action columns zeroed and every target is
     * hard-synced ({@link Alignment}); w starts at {@link AcaConfig#interpolationStart()}. The critics' Adam states
     * are kept, as the authors' loaded optimizer states are.
     *
     * @throws IllegalStateException if already aligned
     */
    public void align() {
        if (online) {
            throw new IllegalStateException("ACA is already aligned (update " + steps + ")");
        }
        Alignment.align(z, critics, config.observationDim());
        reference.importState(policy.exportState());
        term = new ReparameterisedCritic(reference, config.beta(), b);
        logAlpha = 0.0;
        weight = config.interpolationStart();
        online = true;
    }

    /**
     * One update on {@code batch} (offline before {@link #align()}, online after).
     *
     * @throws IllegalArgumentException if the batch has other dimensions or non-finite values (nothing changes)
     * @throws IllegalStateException    if a loss turns non-finite (the parts stepped before it keep their step)
     */
    public AcaUpdateResult update(TransitionBatch batch) {
        if (batch.size() != b || batch.observationDim() != config.observationDim() || batch.actionDim() != a) {
            throw new IllegalArgumentException("batch must be " + b + " x (" + config.observationDim() + ", " + a
                    + "), found " + batch.size() + " x (" + batch.observationDim() + ", " + batch.actionDim() + ")");
        }
        batch.validate();
        long step = steps + 1;
        double w = online ? weight : 0.0;
        policy.forward(passS, batch.observations(), b);
        policy.forward(passN, batch.nextObservations(), b);
        if (online) {
            term.forward(0, batch.observations(), b);
            term.forward(1, batch.nextObservations(), b);
        }
        double alphaLoss = temperatureStep(step);
        double alpha = alpha();
        double[] td = new double[k];
        double[] averageQ = new double[k];
        double averageTarget = criticStep(batch, alpha, w, step, td, averageQ);
        policy.distribution(passS, mean, logStd);
        for (int r = 0; r < b; r++) {
            logPiData[r] = policy.logDensity(mean, logStd, r * a, batch.actions(), r * a, null, 0);
        }
        double zLoss = Double.NaN;
        if (!online) {
            fillNoise();
            policy.sample(passN, noise, zSamples);
            zLoss = z.lossAndGradients(batch.observations(), batch.nextObservations(), batch.rewards(),
                    batch.dones(), logPiData, zSamples.logProbs(), alpha, config.discount());
            requireFinite("Z loss", zLoss, step);
            z.step(config.zLr(), step);
        }
        fillNoise();
        policy.sample(passS, noise, actorSamples);
        double actorLoss = actorLossAndGradients(batch.observations(), batch.actions(), alpha, w, null);
        requireFinite("actor loss", actorLoss, step);
        double norm = gradientNorm();
        if (online && norm > config.actorGradClip()) {
            policyGradients.scale(config.actorGradClip() / (norm + CLIP_EPS));
        }
        policy.step(policyGradients, config.actorLr());
        if (online) {
            weight = schedule.next(weight);
        }
        steps = step;
        return new AcaUpdateResult(step, online, td, averageQ, zLoss, actorLoss, alphaLoss, alpha,
                mean(actorSamples.logProbs()), w, averageTarget, norm);
    }

    private double temperatureStep(long step) {
        fillNoise();
        policy.sample(passS, noise, temperatureSamples);
        double[] lp = temperatureSamples.logProbs();
        double h = config.targetEntropy();
        double sum = 0.0;
        for (int r = 0; r < b; r++) {
            sum += lp[r] + h;
        }
        double loss = -logAlpha * sum / b;
        requireFinite("temperature loss", loss, step);
        if (config.temperatureLr() > 0) {
            logAlpha = alphaAdam.step(logAlpha, -sum / b, config.temperatureLr());
        }
        return loss;
    }

    /** Targets, TD losses and each critic's step; returns the mean target. */
    private double criticStep(TransitionBatch batch, double alpha, double w, long step, double[] td,
                              double[] averageQ) {
        fillNoise();
        policy.sample(passN, noise, targetSamples);
        double averageTarget = criticLossAndGradients(batch, alpha, w, td, averageQ);
        for (int i = 0; i < k; i++) {
            requireFinite("TD loss of critic " + i, td[i], step);
        }
        for (int i = 0; i < k; i++) {
            critics.step(i, config.criticLr(), step);
        }
        return averageTarget;
    }

    /**
     * The critics' TD losses at the target actions {@link #targetSamples} drew, each critic's gradient left in its
     * gradients (zeroed first); returns the mean target.
     */
    private double criticLossAndGradients(TransitionBatch batch, double alpha, double w, double[] td,
                                          double[] averageQ) {
        double[] next = targetSamples.actions();
        for (int i = 0; i < k; i++) {
            critics.target(i).forward(targetWs[i], batch.nextObservations(), next, a, b, 1, q[i]);
        }
        if (online) {
            term.evaluate(1, next, b, ellNext, null);
            term.evaluate(0, batch.actions(), b, ellData, null);
        }
        double shift = online ? config.onlineRewardShift() : 0.0;
        double[] lp = targetSamples.logProbs();
        double targetSum = 0.0;
        for (int r = 0; r < b; r++) {
            double min = q[0][r];
            for (int i = 1; i < k; i++) {
                min = Math.min(min, q[i][r]);
            }
            double backup = min + (online ? w * ellNext[r] : 0.0) - alpha * lp[r];
            y[r] = batch.rewards()[r] + shift + config.discount() * (1.0 - batch.dones()[r]) * backup;
            targetSum += y[r];
        }
        for (int i = 0; i < k; i++) {
            critics.critic(i).forward(dataWs[i], batch.observations(), batch.actions(), a, b, 1, q[i]);
            double sum = 0.0;
            double qSum = 0.0;
            for (int r = 0; r < b; r++) {
                double value = q[i][r] + (online ? w * ellData[r] : 0.0);
                double e = value - y[r];
                sum += e * e;
                qSum += value;
                gradQ[i][r] = 2.0 * e / b;
            }
            td[i] = sum / b;
            averageQ[i] = qSum / b;
            critics.gradients(i).zero();
            critics.critic(i).backward(dataWs[i], gradQ[i], critics.gradients(i), null, null);
        }
        return targetSum / b;
    }

    /**
     * The actor's loss at the samples {@link #actorSamples} drew from {@link #passS}, its gradient left in
     * {@link #policyGradients}. Offline {@code λ} is {@code w_ML / mean|min Q|} unless {@code fixedLambda} is given.
     */
    double actorLossAndGradients(double[] observations, double[] dataActions, double alpha, double w,
                                 Double fixedLambda) {
        double[] actions = actorSamples.actions();
        double[] lp = actorSamples.logProbs();
        for (int i = 0; i < k; i++) {
            critics.critic(i).forward(actorWs[i], observations, actions, a, b, 1, q[i]);
        }
        double absSum = 0.0;
        for (int r = 0; r < b; r++) {
            int best = 0;
            for (int i = 1; i < k; i++) {
                if (q[i][r] < q[best][r]) {
                    best = i;
                }
            }
            argmin[r] = best;
            minQ[r] = q[best][r];
            absSum += Math.abs(minQ[r]);
        }
        if (online) {
            term.evaluate(0, actions, b, ellActor, gradEll);
        }
        double scale;
        double loss;
        double sum = 0.0;
        if (online) {
            scale = 1.0;
            for (int r = 0; r < b; r++) {
                sum += alpha * lp[r] - minQ[r] - w * ellActor[r];
            }
            loss = sum / b;
        } else {
            scale = fixedLambda != null ? fixedLambda : config.likelihoodWeight() / (absSum / b);
            lambda = scale;
            double likelihood = 0.0;
            for (int r = 0; r < b; r++) {
                sum += alpha * lp[r] - minQ[r];
                likelihood += logPiData[r];
            }
            loss = scale * sum / b - likelihood / b;
        }
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < b; r++) {
                gradQ[i][r] = argmin[r] == i ? -scale / b : 0.0;
            }
            critics.critic(i).backward(actorWs[i], gradQ[i], null, null, gradTail[i]);
        }
        Arrays.fill(gradActions, 0.0);
        for (int i = 0; i < k; i++) {
            double[] tail = gradTail[i];
            for (int j = 0; j < gradActions.length; j++) {
                gradActions[j] += tail[j];
            }
        }
        if (online) {
            for (int j = 0; j < gradActions.length; j++) {
                gradActions[j] -= w * gradEll[j] / b;
            }
        }
        Arrays.fill(gradLogPi, scale * alpha / b);
        passS.zeroGradients();
        policy.addSampleGradient(passS, actorSamples, gradActions, gradLogPi);
        if (!online) {
            policy.addLogLikelihoodGradient(passS, dataActions, -1.0 / b);
        }
        policyGradients.zero();
        policy.backward(passS, policyGradients);
        return loss;
    }

    private double gradientNorm() {
        double sq = 0.0;
        for (double[] g : policyGradients.export()) {
            for (double v : g) {
                sq += v * v;
            }
        }
        return Math.sqrt(sq);
    }

    private void fillNoise() {
        for (int i = 0; i < noise.length; i++) {
            noise[i] = draws.nextGaussian();
        }
    }

    private double mean(double[] values) {
        double s = 0.0;
        for (int i = 0; i < b; i++) {
            s += values[i];
        }
        return s / b;
    }

    private static void requireFinite(String what, double value, long step) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("ACA update " + step + ": " + what + " is " + value);
        }
    }

    /** A copy of every learned value, optimizer state and counter. */
    public AcaUpdateState exportState() {
        return new AcaUpdateState(policy.exportState(), critics.exportState(), z.exportState(),
                new ScalarState(logAlpha, alphaAdam.exportState()), online ? reference.exportState() : null,
                weight, online, steps);
    }

    /**
     * Restores a state from {@link #exportState()}.
     *
     * @throws IllegalArgumentException if it does not fit this config; nothing changes then
     */
    public void importState(AcaUpdateState s) {
        if (s == null || s.steps() < 0 || s.policy() == null || s.logAlpha() == null
                || !Double.isFinite(s.logAlpha().value()) || !Double.isFinite(s.weight())
                || (s.online() && s.reference() == null)) {
            throw new IllegalArgumentException("ACA state must be non-null with steps >= 0, a finite log α and w,"
                    + " and a reference policy when online");
        }
        new ScalarAdam().importState(s.logAlpha().adam());
        AcaUpdateState before = exportState();
        try {
            policy.importState(s.policy());
            critics.importState(s.critics());
            z.importState(s.z());
            if (s.online()) {
                reference.importState(s.reference());
            }
        } catch (IllegalArgumentException e) {
            policy.importState(before.policy());
            critics.importState(before.critics());
            z.importState(before.z());
            if (before.reference() != null) {
                reference.importState(before.reference());
            }
            throw e;
        }
        alphaAdam.importState(s.logAlpha().adam());
        logAlpha = s.logAlpha().value();
        weight = s.weight();
        online = s.online();
        term = online ? new ReparameterisedCritic(reference, config.beta(), b) : null;
        steps = s.steps();
    }

    // ---- for tests: the actor objective alone ----

    /**
     * Draws actor samples at {@code batch}'s states and leaves the actor's loss gradient in the policy gradients
     * without stepping anything (offline with λ fixed to {@code fixedLambda} when non-null); returns the loss.
     */
    double actorObjective(TransitionBatch batch, double[] actorNoise, Double fixedLambda) {
        policy.forward(passS, batch.observations(), b);
        if (online) {
            term.forward(0, batch.observations(), b);
        }
        policy.distribution(passS, mean, logStd);
        for (int r = 0; r < b; r++) {
            logPiData[r] = policy.logDensity(mean, logStd, r * a, batch.actions(), r * a, null, 0);
        }
        policy.sample(passS, actorNoise, actorSamples);
        return actorLossAndGradients(batch.observations(), batch.actions(), alpha(), weight(), fixedLambda);
    }

    /**
     * The critics' loss {@code Σ_k mean((Q_k(s,a) − y)²)} at target actions drawn from {@code targetNoise}, with
     * each critic's gradient left in its gradients and nothing stepped.
     */
    double criticObjective(TransitionBatch batch, double[] targetNoise) {
        policy.forward(passN, batch.nextObservations(), b);
        if (online) {
            term.forward(0, batch.observations(), b);
            term.forward(1, batch.nextObservations(), b);
        }
        policy.sample(passN, targetNoise, targetSamples);
        double[] td = new double[k];
        criticLossAndGradients(batch, alpha(), weight(), td, new double[k]);
        double sum = 0.0;
        for (double v : td) {
            sum += v;
        }
        return sum;
    }

    /** The policy gradients of the last actor objective, in the policy's parameter layout. */
    double[][] policyGradients() {
        return policyGradients.export();
    }

    /** One actor step from the last actor objective's gradients (clipped as online updates clip). */
    void actorStepOnly() {
        double norm = gradientNorm();
        if (online && norm > config.actorGradClip()) {
            policyGradients.scale(config.actorGradClip() / (norm + CLIP_EPS));
        }
        policy.step(policyGradients, config.actorLr());
    }

    /** Sets w (tests: plain SAC on the raw critic is w = 0). */
    void setWeight(double w) {
        weight = w;
    }

    /** The λ of the last offline actor loss. */
    double lastLambda() {
        return lambda;
    }
}
