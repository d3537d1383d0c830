package org.calql.examples.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.calql.critic.CriticEnsembleState;
import org.calql.env.ActionScaling;
import org.calql.env.StepResult;
import org.calql.examples.env.PointMaze;
import org.calql.examples.env.RandomPolicy;
import org.calql.spi.Backends;
import org.calql.spi.NetworkSpec;
import org.calql.train.Phase;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;

/**
 * The extension example, compiled and run: a user's policy, critic spec and replay store trained through the
 * public trainer learn something measurable.
 */
class ExtensionExampleTest {
    private static final int OFFLINE = 2500;
    private static final int ONLINE = 300;

    @Test
    void userPolicyCriticAndStoreTrainAndLearn() {
        double[] firstTd = new double[1];
        double[] lastTd = new double[1];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onUpdate(Phase phase, long step, UpdateResult r) {
                if (phase == Phase.PRETRAIN && step <= 100) {
                    firstTd[0] += r.tdLoss()[0] / 100;
                }
                if (phase == Phase.PRETRAIN && step > OFFLINE - 100) {
                    lastTd[0] += r.tdLoss()[0] / 100;
                }
            }
        };
        double[] initialLogStd = {-0.5, -0.5}; // as ExtensionExample.config sets it
        ExtensionExample.Outcome out = ExtensionExample.run(Backends.named("java"), OFFLINE, ONLINE, 3, listener);

        // the user's store took every online step, and its recency bias was used; the built-in replay never was
        assertEquals(ONLINE, out.store().size() + out.store().pendingSize());
        assertTrue(out.store().sampledRecent() > 0, "the store's recent window was sampled");
        assertNull(out.agent().trainingState().replay(), "the agent's own replay stays unused");
        // the user's policy trained: its state-independent log-std moved
        assertTrue(!Arrays.equals(initialLogStd, out.policy().logStd()),
                "log-std " + Arrays.toString(out.policy().logStd()));
        // the LayerNorm critic trained: its gains left 1
        NetworkSpec spec = out.agent().critics().spec();
        CriticEnsembleState critics = out.agent().critics().exportState();
        double[] gain = critics.critics()[0][spec.gainArray(0)];
        assertTrue(Arrays.stream(gain).anyMatch(g -> Math.abs(g - 1.0) > 1e-3), "LayerNorm gains trained");
        // it learned: the TD error fell, and the greedy policy beats random actions from the same starts
        assertTrue(lastTd[0] < firstTd[0], "TD loss first 100 " + firstTd[0] + ", last 100 " + lastTd[0]);
        int learned = 0;
        int baseline = 0;
        SplittableRandom seeds = new SplittableRandom(2024);
        RandomPolicy random = new RandomPolicy(out.maze().actionSpace());
        SplittableRandom randomActions = new SplittableRandom(99);
        int episodes = 30;
        for (int e = 0; e < episodes; e++) {
            long start = seeds.nextLong();
            if (reaches(out.maze(), start, obs -> out.agent().act(obs))) {
                learned++;
            }
            if (reaches(out.maze(), start, obs -> random.act(obs, randomActions))) {
                baseline++;
            }
        }
        String msg = "successes of " + episodes + ": user policy " + learned + ", random " + baseline
                + "; TD loss " + firstTd[0] + " -> " + lastTd[0];
        System.out.println(msg);
        assertTrue(learned >= baseline + episodes / 3, msg);
    }

    private static boolean reaches(PointMaze maze, long seed, Function<double[], double[]> policy) {
        ActionScaling scaling = new ActionScaling(maze.actionSpace(), 1.0);
        double[] envAction = new double[2];
        double[] obs = maze.reset(seed);
        for (int t = 0; t < maze.maxEpisodeSteps(); t++) {
            scaling.toEnvironment(policy.apply(obs), envAction);
            StepResult r = maze.step(envAction);
            if (r.success()) {
                return true;
            }
            if (r.done()) {
                return false;
            }
            obs = r.observation();
        }
        return false;
    }
}
