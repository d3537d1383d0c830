package org.calql.agent;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.ReturnsToGo;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.critic.CriticEnsemble;
import org.calql.spi.Network;
import org.calql.spi.Workspace;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.update.UpdateStep;

/** Deterministic-policy evaluation and the calibration diagnostic (Q at start states vs realised return). */
final class Evaluator {
    private static final long EVALUATION_SEED_SALT = 0x5EEDE7A1L;

    private final CriticEnsemble critics;
    private final CalQlConfig config;
    private final TrainingConfig training;
    private final Workspace[] workspaces;
    private final double[] q = new double[1];

    Evaluator(UpdateStep step, CalQlConfig config, TrainingConfig training) {
        this.critics = step.critics();
        this.config = config;
        this.training = training;
        this.workspaces = new Workspace[config.criticEnsembleSize()];
        for (int k = 0; k < workspaces.length; k++) {
            workspaces[k] = critics.critic(k).newWorkspace(1);
        }
    }

    EvaluationResult evaluate(Environment env, InferencePolicy policy, ObservationNormalizer normalizer,
                              Phase phase, long atStep) {
        int episodes = training.evaluationEpisodes();
        ActionScaling scaling = new ActionScaling((BoxSpace) env.actionSpace(), config.maxAction());
        double[] envAction = new double[config.actionDim()];
        double returnSum = 0.0;
        double qSum = 0.0;
        double realisedSum = 0.0;
        int successes = 0;
        int limit = Math.max(1, Math.min(env.maxEpisodeSteps(), 1_000_000));
        float[] rewards = new float[Math.min(limit, 100_000)];
        boolean[] terminals = new boolean[rewards.length];
        for (int e = 0; e < episodes; e++) {
            double[] obs = env.reset(config.seed() ^ EVALUATION_SEED_SALT ^ (0x9E3779B97F4A7C15L * (e + 1)));
            double[] action = policy.act(obs);
            qSum += meanQ(obs, action, normalizer);
            boolean success = false;
            int t = 0;
            double ret = 0.0;
            while (true) {
                scaling.toEnvironment(action, envAction);
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
                action = policy.act(r.observation());
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
        ReturnsToGo.episode(rewards, terminals, 0, length, config.discount(), failure, g, 0);
        return g[0];
    }

    double[] datasetStartValues(PreparedDataset data, InferencePolicy policy, ObservationNormalizer normalizer) {
        OfflineDataset d = data.dataset();
        int[] starts = d.episodeStarts();
        double[] obs = new double[d.observationDim()];
        double qSum = 0.0;
        double gSum = 0.0;
        for (int start : starts) {
            d.copyObservation(start, obs, 0);
            double[] action = policy.act(obs);
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
            critic.forward(workspaces[k], s, action, action.length, 1, 1, q);
            sum += q[0];
        }
        return sum / workspaces.length;
    }
}
