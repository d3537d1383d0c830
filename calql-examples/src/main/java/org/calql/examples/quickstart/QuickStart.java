package org.calql.examples.quickstart;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.PointMaze;
import org.calql.regularizer.ReferenceValues;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Backends;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;

/**
 * The quick-start of the README, verbatim between the markers (a test keeps the two identical).
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** Pre-trains Cal-QL on point-maze data, fine-tunes it online, acts and saves; returns the agent. */
    public static Agent run(long offlineSteps, long onlineSteps, TrainingListener listener, Path directory)
            throws IOException {
        // quickstart:begin
        PointMaze maze = new PointMaze();                                   // an Environment (Gymnasium-style)
        OfflineDataset dataset = DatasetGenerator.pointMaze(maze, 300, 42); // or DatasetLoader.load(Path.of("d4rl.hdf5"))
        CalQlConfig config = CalQlConfig.builder()
                .observationDim(maze.observationDim()).actionDim(maze.actionDim())
                .regularizer(Regularizers.calQl())                          // or Regularizers.cql(), or your own
                .referenceValues(ReferenceValues.monteCarlo())              // or your own V_ref(s)
                .build();
        TrainingConfig training = TrainingConfig.builder()
                .rewardScale(10).rewardBias(-5).sparseFailureReward(-5)     // AntMaze's reward transform
                .build();
        Agent agent = Agent.create(config, training, Backends.best());     // ND4J if on the class path
        agent.pretrain(dataset, offlineSteps, listener);
        agent.finetune(maze, onlineSteps, listener);
        double[] action = agent.policy().act(maze.reset(7));                // thread-safe inference
        agent.save(directory);
        // quickstart:end
        if (action.length != maze.actionDim()) {
            throw new IllegalStateException("unexpected action length " + action.length);
        }
        return agent;
    }

    /** Runs the quick-start with 2,000 offline and 2,000 online steps into {@code runs/quickstart}. */
    public static void main(String[] args) throws IOException {
        Agent agent = run(2_000, 2_000, TrainingListener.none(), Path.of("runs", "quickstart"));
        System.out.println("saved to runs/quickstart; cumulative regret " + agent.cumulativeRegret());
    }
}
