package org.calql.agent;

import java.util.SplittableRandom;
import org.calql.data.OfflineDataset;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * A tiny test environment: a point on a line, action = velocity in [−2, 2] (a box other than the policy's
 * [−1, 1], to exercise action scaling), reward −|x|, success near 0, every episode exactly 10 steps.
 */
final class LineWorld implements Environment {
    static final int LENGTH = 10;
    private double x;
    private int t;

    @Override
    public int observationDim() {
        return 2;
    }

    @Override
    public BoxSpace actionSpace() {
        return BoxSpace.uniform(1, -2.0, 2.0);
    }

    @Override
    public int maxEpisodeSteps() {
        return LENGTH;
    }

    @Override
    public double[] reset(long seed) {
        x = new SplittableRandom(seed).nextDouble(-3, 3);
        t = 0;
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        double v = Math.max(-2, Math.min(2, action[0]));
        x += 0.25 * v;
        t++;
        return new StepResult(observation(), -Math.abs(x), false, t >= LENGTH, Math.abs(x) < 0.2);
    }

    private double[] observation() {
        return new double[] {x, t / (double) LENGTH};
    }

    /** Random-action episodes; actions stored in policy units [−1, 1]. */
    static OfflineDataset randomData(int episodes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LineWorld env = new LineWorld();
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1);
        for (int e = 0; e < episodes; e++) {
            double[] obs = env.reset(rng.nextLong());
            for (int i = 0; i < LENGTH; i++) {
                double a = rng.nextDouble(-1, 1);
                StepResult r = env.step(new double[] {2 * a});
                b.step(obs, new double[] {a}, r.reward(), r.observation(), r.terminated(), r.truncated());
                obs = r.observation();
            }
        }
        return b.build();
    }
}
