package org.calql.agent;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.ReturnsToGo;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import java.util.function.Function;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticLayout;
import org.calql.spi.Network;
import org.calql.spi.Workspace;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainableAgent;
import org.calql.train.TrainingConfig;

/**
 * Deterministic-policy evaluation and the calibration diagnostic (Q at start states vs realised return), for any
 * agent whose critics are a {@link CriticEnsemble}: {@code Q(s, a)} is the critics' output at {@code (s, a)}
 * ({@link CriticLayout#STATE_ACTION}) or their output for action {@code a} ({@link CriticLayout#STATE_TO_ACTION_VALUES}).
 */
final class Evaluator {
    private static final long EVALUATION_SEED_SALT = 0x5EEDE7A1L;

    private final CriticEnsemble critics;
    private final CriticLayout layout;
    private final long seed;
    private final double discount;
    private final TrainingConfig training;
    private final Workspace[] workspaces;
    private final double[] q;

    Evaluator(CriticEnsemble critics, CriticLayout layout, long seed, double discount, TrainingConfig training) {
        this.critics = critics;
        this.layout = layout;
        this.seed = seed;
        this.discount = discount;
        this.training = training;
        this.workspaces = new Workspace[critics.size()];
        for (int k = 0; k < workspaces.length; k++) {
            workspaces[k] = critics.critic(k).newWorkspace(1);
        }
        this.q = new double[critics.spec().outputDim()];
    }

    /**
     * @param policy the deterministic action for a raw observation
     * @param mapper the agent's actions in the environment's units
     */
    EvaluationResult evaluate(Environment env, Function<double[], double[]> policy, TrainableAgent.ActionMapper mapper,
                              ObservationNormalizer normalizer, Phase phase, long atStep) {
        int episodes = training.evaluationEpisodes();
        double[] envAction = new double[env.actionSpace().dim()];
        double returnSum = 0.0;
        double qSum = 0.0;
        double realisedSum = 0.0;
        int successes = 0;
        int limit = Math.max(1, Math.min(env.maxEpisodeSteps(), 1_000_000));
        float[] rewards = new float[Math.min(limit, 100_000)];
        boolean[] terminals = new boolean[rewards.length];
        for (int e = 0; e < episodes; e++) {
            double[] obs = env.reset(seed ^ EVALUATION_SEED_SALT ^ (0x9E3779B97F4A7C15L * (e + 1)));
            double[] action = policy.apply(obs);
            qSum += meanQ(obs, action, normalizer);
            boolean success = false;
            int t = 0;
            double ret = 0.0;
            while (true) {
                mapper.map(action, envAction);
                StepResult r = env.step(envAction);
                ret += r.reward();
                success |= r.success();
                if (t == rewards.length) {
                    rewards = Arrays.copyOf(rewards, rewards.length * 2);
                    terminals = Arrays.copyOf(terminals, terminals.length * 2);
                }
                rewards[t] = (float) (training.rewardScale() * r.reward() + training.rewardBias());
                terminals[t] = r.terminated();
                t++;
                if (r.terminated() || r.truncated() || t >= limit) {
                    break;
                }
                action = policy.apply(r.observation());
            }
            realisedSum += startReturn(rewards, terminals, t);
            returnSum += ret;
            if (success) {
                successes++;
            }
        }
        return new EvaluationResult(phase, atStep, episodes, returnSum / episodes, (double) successes / episodes,
                qSum / episodes, realisedSum / episodes);
    }

    /** {@code G_0} of an episode by the same rule as the data's returns-to-go (sparse rule included). */
    private double startReturn(float[] rewards, boolean[] terminals, int length) {
        double[] g = new double[length];
        OptionalDouble failure = Double.isNaN(training.sparseFailureReward()) ? OptionalDouble.empty()
                : OptionalDouble.of(training.sparseFailureReward());
        ReturnsToGo.episode(rewards, terminals, 0, length, discount, failure, g, 0);
        return g[0];
    }

    double[] datasetStartValues(PreparedDataset data, Function<double[], double[]> policy,
                                ObservationNormalizer normalizer) {
        OfflineDataset d = data.dataset();
        int[] starts = d.episodeStarts();
        double[] obs = new double[d.observationDim()];
        double qSum = 0.0;
        double gSum = 0.0;
        for (int start : starts) {
            d.copyObservation(start, obs, 0);
            double[] action = policy.apply(obs);
            qSum += meanQ(obs, action, normalizer);
            gSum += data.returnToGo(start);
        }
        return new double[] {qSum / starts.length, gSum / starts.length};
    }

    /** {@code mean_k Q_k(normalise(s), a)}. */
    private double meanQ(double[] rawObservation, double[] action, ObservationNormalizer normalizer) {
        double[] s = rawObservation.clone();
        normalizer.normalizeInPlace(s);
        double sum = 0.0;
        for (int k = 0; k < workspaces.length; k++) {
            Network critic = critics.critic(k);
            if (layout == CriticLayout.STATE_ACTION) {
                critic.forward(workspaces[k], s, action, action.length, 1, 1, q);
                sum += q[0];
            } else {
                critic.forward(workspaces[k], s, 1, q);
                sum += q[(int) action[0]];
            }
        }
        return sum / workspaces.length;
    }
}
