package org.calql.agent;

import java.util.SplittableRandom;
import org.calql.data.OfflineDataset;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * A small deterministic test environment with a sparse reward, for the frozen-behaviour tests
 * ({@link CheckpointCompatTest}, {@code UpdateBitsTest}, {@link CheckpointV1Generator}): a point in the plane,
 * observation {@code (x, y, t / 12)}, action = velocity in the box {@code [−1, 1] × [−0.5, 0.5]} (not the
 * policy's {@code [−1, 1]²}, to exercise action scaling), moving by {@code (0.3·a₀, 0.6·a₁)}. Reward 1 and
 * termination when within 0.35 of the origin (success), else reward 0; episodes are truncated after 12 steps.
 * Start positions are uniform in {@code [−1, 1]²} from the reset seed.
 *
 * <p>Do not change this class: expected values in the test resources were produced with it.
 */
final class PlaneWorld implements Environment {
    static final int LENGTH = 12;
    static final double RADIUS = 0.35;
    private double x;
    private double y;
    private int t;

    @Override
    public int observationDim() {
        return 3;
    }

    @Override
    public BoxSpace actionSpace() {
        return new BoxSpace(new double[] {-1.0, -0.5}, new double[] {1.0, 0.5});
    }

    @Override
    public int maxEpisodeSteps() {
        return LENGTH;
    }

    @Override
    public double[] reset(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        x = r.nextDouble(-1, 1);
        y = r.nextDouble(-1, 1);
        t = 0;
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        double vx = Math.max(-1.0, Math.min(1.0, action[0]));
        double vy = Math.max(-0.5, Math.min(0.5, action[1]));
        x += 0.3 * vx;
        y += 0.6 * vy;
        t++;
        boolean success = Math.hypot(x, y) < RADIUS;
        return new StepResult(observation(), success ? 1.0 : 0.0, success, !success && t >= LENGTH, success);
    }

    private double[] observation() {
        return new double[] {x, y, t / (double) LENGTH};
    }

    /**
     * Random-action episodes from a seeded generator; actions are stored in policy units {@code [−1, 1]²} and
     * mapped to the box as {@code (a₀, 0.5·a₁)}.
     */
    static OfflineDataset randomData(int episodes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PlaneWorld env = new PlaneWorld();
        OfflineDataset.Builder b = OfflineDataset.builder(3, 2);
        for (int e = 0; e < episodes; e++) {
            double[] obs = env.reset(rng.nextLong());
            for (int i = 0; i < LENGTH; i++) {
                double a0 = rng.nextDouble(-1, 1);
                double a1 = rng.nextDouble(-1, 1);
                StepResult r = env.step(new double[] {a0, 0.5 * a1});
                b.step(obs, new double[] {a0, a1}, r.reward(), r.observation(), r.terminated(), r.truncated());
                obs = r.observation();
                if (r.terminated() || r.truncated()) {
                    break;
                }
            }
        }
        return b.build();
    }
}
