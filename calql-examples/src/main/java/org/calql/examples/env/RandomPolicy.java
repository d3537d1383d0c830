package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.env.BoxSpace;

/** Uniformly random actions in an action box: the baseline that any learned policy must beat. */
public final class RandomPolicy implements BehaviourPolicy {
    private final BoxSpace box;

    /** Uniform actions in {@code box}. */
    public RandomPolicy(BoxSpace box) {
        if (box == null) {
            throw new IllegalArgumentException("box must not be null");
        }
        this.box = box;
    }

    @Override
    public double[] act(double[] observation, SplittableRandom rng) {
        double[] a = new double[box.dim()];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble(box.low(i), box.high(i));
        }
        return a;
    }
}
