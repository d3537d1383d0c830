package org.calql.reference;

import org.calql.env.ResettableToState;
import org.calql.env.StepResult;
import org.calql.random.Rng;
import org.calql.spi.Backend;
import org.calql.train.EstimatorProgress;
import org.calql.train.TrainingListener;

/**
 * μ's value by rollouts in an environment that can be reset to a dataset state ({@link ResettableToState}): from
 * each given state, {@code N} episodes of at most {@code horizon} steps acting by μ, each worth
 * {@link CriticUnits#rolloutValue} (transformed rewards discounted by the config's {@code γ}, the sparse rule for an
 * all-failure rollout), averaged. The estimate is unbiased for the {@code horizon}-step value and within
 * {@code γ^horizon·max|V|} of the infinite-horizon one; its standard error, {@code sd/√N}, is reported with it.
 * Rollout {@code j} of state {@code i} draws its reset seed and μ's randomness from a generator split off the
 * seed's in order, so estimates repeat bit for bit.
 */
public final class RolloutEstimator {
    private RolloutEstimator() {
    }

    /**
     * Rollout estimates at raw observations.
     *
     * @param states   raw observations to start from
     * @param rollouts {@code N >= 1} episodes per state
     * @param horizon  steps per rollout at most ({@code >= 1}); an episode the environment ends sooner stops there
     * @param listener receives {@link EstimatorProgress} named {@code "rollouts"} per state done (may be null)
     * @throws IllegalArgumentException if μ does not fit the environment or returns a bad action
     */
    public static Estimate estimate(ResettableToState environment, ReferencePolicy mu, double[][] states,
                                    CriticUnits units, int rollouts, int horizon, long seed,
                                    TrainingListener listener) {
        if (environment == null || mu == null || states == null || units == null) {
            throw new IllegalArgumentException("environment, reference policy, states and units must not be null");
        }
        if (rollouts < 1 || horizon < 1) {
            throw new IllegalArgumentException("rollouts and horizon must be at least 1, found " + rollouts + " and "
                    + horizon);
        }
        if (mu.observationDim() != environment.observationDim()
                || mu.actionSpace().dim() != environment.actionSpace().dim()
                || mu.actionSpace().getClass() != environment.actionSpace().getClass()) {
            throw new IllegalArgumentException("reference policy (observationDim " + mu.observationDim() + ", "
                    + mu.actionSpace() + ") does not fit the environment (observationDim "
                    + environment.observationDim() + ", " + environment.actionSpace() + ")");
        }
        TrainingListener l = listener == null ? TrainingListener.none() : listener;
        Rng root = new Rng(seed);
        double[] mean = new double[states.length];
        double[] stdError = new double[states.length];
        double[] rewards = new double[horizon];
        for (int i = 0; i < states.length; i++) {
            double sum = 0.0;
            double sumSq = 0.0;
            for (int j = 0; j < rollouts; j++) {
                Rng random = root.split();
                double[] obs = environment.resetTo(states[i], random.nextLong());
                int steps = 0;
                boolean terminated = false;
                while (steps < horizon) {
                    double[] action = mu.act(obs, random);
                    ReferenceActions.check(mu, action);
                    StepResult r = environment.step(action);
                    rewards[steps++] = r.reward();
                    obs = r.observation();
                    if (r.terminated()) {
                        terminated = true;
                        break;
                    }
                    if (r.truncated()) {
                        break;
                    }
                }
                double v = units.rolloutValue(rewards, steps, terminated);
                sum += v;
                sumSq += v * v;
            }
            mean[i] = sum / rollouts;
            double variance = rollouts > 1 ? Math.max(0.0, (sumSq - sum * mean[i]) / (rollouts - 1)) : 0.0;
            stdError[i] = Math.sqrt(variance / rollouts);
            l.onEstimatorProgress(new EstimatorProgress("rollouts", i + 1, states.length, Double.NaN));
        }
        return new Estimate(mean, stdError);
    }

    /**
     * {@code V_ref} by rollouts (name {@code "rollouts"}): μ's rollout values from the states of every
     * {@code stride}-th transition of the data, in its units, fitted by {@link FittedValue}.
     *
     * @throws IllegalArgumentException if {@code stride < 1} or as {@link #estimate}
     */
    public static ValueNetworkReference reference(ReferenceData data, ResettableToState environment,
                                                  ReferencePolicy mu, int rollouts, int horizon, int stride,
                                                  FitSettings settings, Backend backend, TrainingListener listener) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, found " + stride);
        }
        int n = (data.size() + stride - 1) / stride;
        int[] transitions = new int[n];
        double[][] states = new double[n][data.observationDim()];
        for (int i = 0; i < n; i++) {
            transitions[i] = i * stride;
            data.dataset().copyObservation(i * stride, states[i], 0);
        }
        Estimate e = estimate(environment, mu, states, data.units(), rollouts, horizon, settings.seed(), listener);
        return FittedValue.fit("rollouts", data, transitions, e.mean(), settings, backend, listener);
    }

    /**
     * Rollout estimates per start state.
     *
     * @param mean      the mean value over the rollouts, in critic units
     * @param stdError  its standard error {@code sd/√N} (0 with one rollout)
     */
    public record Estimate(double[] mean, double[] stdError) {
        /** The mean over states of {@link #mean()}. */
        public double average() {
            double s = 0.0;
            for (double v : mean) {
                s += v;
            }
            return s / mean.length;
        }
    }
}
