package org.calql.reference;

import java.util.SplittableRandom;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticLayout;
import org.calql.critic.CriticSpec;
import org.calql.critic.TargetUpdate;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.random.Rng;
import org.calql.spi.Backend;
import org.calql.spi.Initialization;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Workspace;
import org.calql.train.EstimatorProgress;
import org.calql.train.TrainingListener;

/**
 * Fitted Q evaluation (FQE; Le et al. 2019, d3rlpy's {@code FQE} / {@code DiscreteFQE}) of a reference policy μ on
 * offline data: a Q network {@code Q^μ} trained by TD on the data's transitions with μ's next action,
 * <pre>
 *   L(θ) = mean_b (Q_θ(s_b, a_b) − y_b)²,   y_b = r'_b + γ·(1 − done_b)·Q_θ̄(s'_b, a'_b),   a'_b ~ μ(s'_b)
 * </pre>
 * with the target {@code θ̄} copied from {@code θ} every {@link FitSettings#targetUpdatePeriod()} updates, and
 * {@code V^μ(s) = E_{a~μ(s)} Q^μ(s, a)}, the mean over {@link FitSettings#valueSamples()} drawn actions (one for a
 * deterministic μ). Rewards are the data's transformed ones and {@code γ} the config's, so values are in
 * {@link CriticUnits}; a transition that ends an episode without a terminal (a time limit) bootstraps, as the critic's
 * TD target does. The critic is {@code (s, a) → 1} for continuous data ({@link CriticLayout#STATE_ACTION}, μ's
 * actions mapped to the policy range) and {@code s → |A|} for discrete data
 * ({@link CriticLayout#STATE_TO_ACTION_VALUES}), run on the chosen backend through a one-critic
 * {@link CriticEnsemble}. Deterministic next actions are drawn once per transition; stochastic ones afresh per
 * update, from a generator seeded by {@link FitSettings#seed()}.
 *
 * <p>It is also off-policy evaluation on its own: {@link #startStateValue()} estimates μ's value at the data's
 * episode start states. {@link #reference} turns it into {@code V_ref}: a state-value network fitted to
 * {@code V^μ} at the data's states, which needs neither μ nor the Q network afterwards and is saved with the agent.
 */
public final class FittedQEvaluation {
    private final ReferenceData data;
    private final ReferencePolicy mu;
    private final FitSettings settings;
    private final Network q;
    private final int samples;
    private final double finalLoss;

    private FittedQEvaluation(ReferenceData data, ReferencePolicy mu, FitSettings settings, Network q,
                              double finalLoss) {
        this.data = data;
        this.mu = mu;
        this.settings = settings;
        this.q = q;
        this.samples = mu.stochastic() ? settings.valueSamples() : 1;
        this.finalLoss = finalLoss;
    }

    /**
     * Trains {@code Q^μ} on {@code data} for {@link FitSettings#steps()} updates.
     *
     * @param listener receives {@link EstimatorProgress} named {@code "fqe"} (may be null)
     * @throws IllegalArgumentException if μ does not fit the data, or returns a bad action (null, wrong length, not
     *                                  finite, outside its space), naming the entry and the value
     * @throws IllegalStateException    if the TD loss becomes non-finite
     */
    public static FittedQEvaluation fit(ReferenceData data, ReferencePolicy mu, FitSettings settings, Backend backend,
                                        TrainingListener listener) {
        ReferenceActions actions = new ReferenceActions(mu, data);
        boolean discrete = data.isDiscrete();
        int w = data.observationDim();
        int aw = data.actionDim();
        CriticLayout layout = discrete ? CriticLayout.STATE_TO_ACTION_VALUES : CriticLayout.STATE_ACTION;
        NetworkSpec spec = CriticSpec.builder().hidden(settings.hidden()).activation(settings.activation()).build()
                .networkSpec(layout, w, discrete ? data.numActions() : aw);
        SplittableRandom random = new SplittableRandom(settings.seed());
        CriticEnsemble critic = new CriticEnsemble(backend, spec, 1, Initialization.PYTORCH_DEFAULT, random,
                new TargetUpdate(1.0, settings.targetUpdatePeriod()));
        Rng muRandom = new Rng(settings.seed()).split();
        OfflineDataset d = data.dataset();
        PreparedDataset p = data.prepared();
        int n = data.size();
        double gamma = p.discount();
        double[] raw = new double[w];
        double[] cachedNext = null;
        if (!mu.stochastic()) {
            cachedNext = new double[n * aw];
            for (int t = 0; t < n; t++) {
                d.copyNextObservation(t, raw, 0);
                actions.criticAction(raw, 0, muRandom, cachedNext, t * aw);
            }
        }
        int b = settings.batchSize();
        int outWidth = discrete ? data.numActions() : 1;
        Network net = critic.critic(0);
        Network target = critic.target(0);
        Workspace ws = net.newWorkspace(b);
        Workspace targetWs = target.newWorkspace(b);
        double[] s = new double[b * w];
        double[] a = new double[b * aw];
        double[] s2 = new double[b * w];
        double[] a2 = new double[b * aw];
        double[] y = new double[b];
        double[] qOut = new double[b * outWidth];
        double[] qNext = new double[b * outWidth];
        double[] grad = new double[b * outWidth];
        int[] rows = new int[b];
        double[] obs = data.normalizedObservations();
        double[] next = data.normalizedNextObservations();
        TrainingListener l = listener == null ? TrainingListener.none() : listener;
        double loss = Double.NaN;
        for (int step = 1; step <= settings.steps(); step++) {
            for (int r = 0; r < b; r++) {
                int t = random.nextInt(n);
                rows[r] = t;
                System.arraycopy(obs, t * w, s, r * w, w);
                System.arraycopy(next, t * w, s2, r * w, w);
                d.copyAction(t, a, r * aw);
                if (cachedNext != null) {
                    System.arraycopy(cachedNext, t * aw, a2, r * aw, aw);
                } else {
                    d.copyNextObservation(t, raw, 0);
                    actions.criticAction(raw, 0, muRandom, a2, r * aw);
                }
            }
            if (discrete) {
                target.forward(targetWs, s2, b, qNext);
                net.forward(ws, s, b, qOut);
            } else {
                target.forward(targetWs, s2, a2, aw, b, 1, qNext);
                net.forward(ws, s, a, aw, b, 1, qOut);
            }
            loss = 0.0;
            java.util.Arrays.fill(grad, 0.0);
            for (int r = 0; r < b; r++) {
                int t = rows[r];
                double bootstrap = discrete ? qNext[r * outWidth + (int) a2[r]] : qNext[r];
                y[r] = p.reward(t) + (d.isTerminal(t) ? 0.0 : gamma * bootstrap);
                int at = discrete ? r * outWidth + (int) a[r] : r;
                double e = qOut[at] - y[r];
                loss += e * e;
                grad[at] = 2.0 * e / b;
            }
            loss /= b;
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("FQE diverged at update " + step + ": TD loss " + loss
                        + " (lower the learning rate)");
            }
            critic.gradients(0).zero();
            net.backward(ws, grad, critic.gradients(0), null, null);
            critic.step(0, settings.learningRate(), step);
            if (step % settings.progressInterval() == 0 || step == settings.steps()) {
                l.onEstimatorProgress(new EstimatorProgress("fqe", step, settings.steps(), loss));
            }
        }
        return new FittedQEvaluation(data, mu, settings, net, loss);
    }

    /** The last update's TD loss. */
    public double finalLoss() {
        return finalLoss;
    }

    /** The Q network {@code Q^μ} (its parameters: {@link Network#exportParameters()}). */
    public Network qNetwork() {
        return q;
    }

    /**
     * {@code V^μ(s) = E_{a~μ}Q^μ(s, a)} at the states of {@code transitions} (all transitions when null), in critic
     * units; the actions of a stochastic μ are drawn from a generator seeded by the settings, so the values repeat.
     */
    public double[] values(int[] transitions) {
        int n = transitions == null ? data.size() : transitions.length;
        int w = data.observationDim();
        int aw = data.actionDim();
        ReferenceActions actions = new ReferenceActions(mu, data);
        Rng random = new Rng(settings.seed() ^ 0x5DEECE66DL);
        OfflineDataset d = data.dataset();
        double[] raw = new double[w];
        double[] out = new double[n];
        int chunk = Math.max(1, Chunks.ROWS / samples);
        Workspace ws = q.newWorkspace(Math.min(n, chunk) * samples);
        boolean discrete = data.isDiscrete();
        int outWidth = discrete ? data.numActions() : 1;
        double[] s = new double[Math.min(n, chunk) * w];
        double[] a = new double[Math.min(n, chunk) * samples * aw];
        double[] qv = new double[Math.min(n, chunk) * (discrete ? outWidth : samples)];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            for (int i = 0; i < m; i++) {
                int t = transitions == null ? from + i : transitions[from + i];
                System.arraycopy(data.normalizedObservations(), t * w, s, i * w, w);
                d.copyObservation(t, raw, 0);
                for (int k = 0; k < samples; k++) {
                    actions.criticAction(raw, 0, random, a, (i * samples + k) * aw);
                }
            }
            if (discrete) {
                q.forward(ws, s, m, qv);
            } else {
                q.forward(ws, s, a, aw, m, samples, qv);
            }
            for (int i = 0; i < m; i++) {
                double sum = 0.0;
                for (int k = 0; k < samples; k++) {
                    sum += discrete ? qv[i * outWidth + (int) a[(i * samples + k) * aw]] : qv[i * samples + k];
                }
                out[from + i] = sum / samples;
            }
        }
        return out;
    }

    /**
     * The off-policy estimate of μ's value at the data's episode start states: the mean of {@code V^μ(s₀)} over
     * them, in critic units.
     */
    public double startStateValue() {
        double[] v = values(data.dataset().episodeStarts());
        double sum = 0.0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    /**
     * {@code V_ref} from this evaluation (name {@code "fqe"}): a state-value network fitted by {@link FittedValue}
     * to {@code V^μ} at every state of the data.
     *
     * @param listener receives {@link EstimatorProgress} named {@code "fitted-value"} (may be null)
     */
    public ValueNetworkReference reference(FitSettings valueSettings, Backend backend, TrainingListener listener) {
        return FittedValue.fit("fqe", data, null, values(null), valueSettings, backend, listener);
    }
}
