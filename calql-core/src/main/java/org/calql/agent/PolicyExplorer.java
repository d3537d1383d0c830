package org.calql.agent;

import org.calql.data.ObservationNormalizer;
import org.calql.policy.Policy;
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.random.Rng;

/**
 * The behaviour of fine-tuning: uniformly random actions for the first steps, then one sample of the agent's
 * stochastic policy at the normalised observation. Reuses its buffers (the replay copies what it stores).
 */
final class PolicyExplorer {
    private final Agent agent;
    private final Policy policy;
    private final long randomSteps;
    private final PolicyPass pass;
    private final PolicySamples sample;
    private final double[] observation;
    private final double[] noise;
    private final double[] action;

    PolicyExplorer(Agent agent, long randomSteps) {
        this.agent = agent;
        this.policy = agent.trainedPolicy();
        this.randomSteps = randomSteps;
        this.pass = policy.newPass(1);
        this.sample = policy.newSamples(1, 1);
        this.observation = new double[policy.observationDim()];
        this.noise = new double[policy.noiseDim()];
        this.action = new double[policy.actionDim()];
    }

    /** The action for the raw {@code rawObservation} at fine-tuning step {@code stepsSoFar}. */
    double[] action(double[] rawObservation, long stepsSoFar, Rng random) {
        if (stepsSoFar < randomSteps) {
            double max = policy.maxAction();
            for (int j = 0; j < action.length; j++) {
                action[j] = max * (2.0 * random.nextDouble() - 1.0);
            }
            return action;
        }
        ObservationNormalizer normalizer = agent.normalizer();
        System.arraycopy(rawObservation, 0, observation, 0, observation.length);
        normalizer.normalizeInPlace(observation);
        policy.forward(pass, observation, 1);
        for (int j = 0; j < noise.length; j++) {
            noise[j] = random.nextGaussian();
        }
        policy.sample(pass, noise, sample);
        System.arraycopy(sample.actions(), 0, action, 0, action.length);
        return action;
    }
}
