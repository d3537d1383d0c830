package org.calql.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.calql.agent.AcaAgent;
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

    /** The continuous Cal-QL / CQL agent. */
    static RunAgent of(Agent agent) {
        return adapt(agent, agent::datasetStartValues, agent::save);
    }

    /** The ACA agent. */
    static RunAgent of(AcaAgent agent) {
        return adapt(agent, agent::datasetStartValues, agent::save);
    }

    /** The discrete Cal-QL / CQL agent. */
    static RunAgent of(DiscreteAgent agent) {
        return adapt(agent, agent::datasetStartValues, agent::save);
    }

    /** How an agent saves itself. */
    @FunctionalInterface
    interface Saver {
        /** Saves into {@code directory}. */
        void save(Path directory) throws IOException;
    }

    private static RunAgent adapt(TrainableAgent agent, Function<OfflineDataset, double[]> startValues, Saver saver) {
        return new RunAgent() {
            @Override
            public TrainableAgent trainable() {
                return agent;
            }

            @Override
            public double[] datasetStartValues(OfflineDataset dataset) {
                return startValues.apply(dataset);
            }

            @Override
            public void save(Path directory) throws IOException {
                saver.save(directory);
            }
        };
    }
}
