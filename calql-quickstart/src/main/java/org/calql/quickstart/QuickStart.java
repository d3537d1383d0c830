package org.calql.quickstart; // the README's quick start is this file from the next line on (a test keeps the two identical)
// quickstart:begin
import java.nio.file.Path;
import java.util.Random;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.regularizer.ReferenceValues;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Backends;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;

/** Pre-trains Cal-QL on a noisy controller's data, fine-tunes it online, acts and saves. */
public class QuickStart {

    /** A point on [-1, 1], starting left of 0, that must reach x >= 0.9: reward 1 and the episode ends. */
    static class ReachGoal implements Environment {
        private double x;
        private int t;
        public int observationDim() { return 1; }
        public BoxSpace actionSpace() { return BoxSpace.uniform(1, -1, 1); }   // a velocity
        public int maxEpisodeSteps() { return 50; }
        public double[] reset(long seed) {
            x = -1 + 0.5 * new Random(seed).nextDouble();
            t = 0;
            return new double[] {x};
        }
        public StepResult step(double[] action) {
            x = Math.min(1, Math.max(-1, x + 0.1 * actionSpace().clip(action)[0]));
            boolean goal = x >= 0.9;
            return new StepResult(new double[] {x}, goal ? 1 : 0, goal, ++t >= maxEpisodeSteps(), goal);
        }
    }

    public static void main(String[] args) throws Exception {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 2_000;       // gradient steps offline, env steps online
        ReachGoal env = new ReachGoal();
        Random random = new Random(42);
        OfflineDataset.Builder data = OfflineDataset.builder(env.observationDim(), env.actionDim());
        for (int episode = 0; episode < 200; episode++) {                       // behaviour data: a noisy controller
            double[] obs = env.reset(episode);
            StepResult r;
            do {
                double[] a = {Math.max(-1, Math.min(1, 0.4 + 0.8 * random.nextGaussian()))};
                r = env.step(a);
                data.step(obs, a, r.reward(), r.observation(), r.terminated(), r.truncated());
                obs = r.observation();
            } while (!r.done());
        }
        OfflineDataset dataset = data.build();                                  // or DatasetLoader.load(Path.of("d4rl.hdf5"))
        CalQlConfig config = CalQlConfig.builder()
                .observationDim(env.observationDim()).actionDim(env.actionDim())
                .qHidden(64, 64).policyHidden(64, 64).batchSize(64)             // a small task (default 256)
                .regularizer(Regularizers.calQl())                              // or Regularizers.cql(), or your own
                .referenceValues(ReferenceValues.monteCarlo())                  // or your own V_ref(s)
                .build();
        TrainingConfig training = TrainingConfig.builder()
                .rewardScale(10).rewardBias(-5).sparseFailureReward(-5)         // AntMaze's reward transform
                .build();
        Agent agent = Agent.create(config, training, Backends.best());         // ND4J if on the class path
        agent.pretrain(dataset, steps, TrainingListener.none());
        agent.finetune(env, steps, TrainingListener.none());
        double[] action = agent.policy().act(env.reset(7));                    // thread-safe inference
        agent.save(Path.of("runs", "quickstart"));
        System.out.println("first action of episode 7: " + action[0] + "; saved to runs/quickstart");
    }
}
// quickstart:end
