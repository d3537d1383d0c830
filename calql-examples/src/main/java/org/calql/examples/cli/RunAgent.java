package org.calql.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.agent.Agent;
import org.calql.agent.DiscreteAgent;
import org.calql.data.OfflineDataset;
import org.calql.train.TrainableAgent;

/**
 * An agent that {@code demo} and {@code train} run: what the shared {@link org.calql.train.Trainer} drives, plus
 * the calibration diagnostic on data and saving, which the agents offer outside {@link TrainableAgent}.
 */
interface RunAgent {
    /** What the trainer drives. */
    TrainableAgent trainable();

    /** {@code [mean Q, mean Monte-Carlo return]} at the dataset's episode starts. */
    double[] datasetStartValues(OfflineDataset dataset);

    /** Saves the agent into {@code directory}. */
    void save(Path directory) throws IOException;

    /** Whether {@link #save} is available for this kind of agent. */
    boolean canSave();

    /** The continuous Cal-QL / CQL agent. */
    static RunAgent of(Agent agent) {
        return new RunAgent() {
            @Override
            public TrainableAgent trainable() {
                return agent;
            }

            @Override
            public double[] datasetStartValues(OfflineDataset dataset) {
                return agent.datasetStartValues(dataset);
            }

            @Override
            public void save(Path directory) throws IOException {
                agent.save(directory);
            }

            @Override
            public boolean canSave() {
                return true;
            }
        };
    }

    /** The discrete Cal-QL / CQL agent. */
    static RunAgent of(DiscreteAgent agent) {
        return new RunAgent() {
            @Override
            public TrainableAgent trainable() {
                return agent;
            }

            @Override
            public double[] datasetStartValues(OfflineDataset dataset) {
                return agent.datasetStartValues(dataset);
            }

            @Override
            public void save(Path directory) {
                // DiscreteAgent has no checkpoints in this version of calql-core.
                throw new UnsupportedOperationException(DISCRETE_SAVE);
            }

            @Override
            public boolean canSave() {
                return false;
            }
        };
    }

    /** The message of a refused discrete save. */
    String DISCRETE_SAVE = "discrete agents cannot be saved yet (DiscreteAgent has no checkpoints in this version)";
}
