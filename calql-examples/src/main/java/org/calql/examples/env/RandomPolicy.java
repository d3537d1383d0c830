package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.env.ActionSpace;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;

/**
 * Uniformly random actions, the baseline that any learned policy must beat: in a {@link BoxSpace}, each coordinate
 * uniform in {@code [low_i, high_i)}; in a {@link DiscreteSpace}{@code (n)}, an index uniform in {@code [0, n)}.
 */
public final class RandomPolicy implements BehaviourPolicy {
    private final ActionSpace space;

    /**
     * Uniform actions in {@code space}.
     *
     * @throws IllegalArgumentException if {@code space} is null
     */
    public RandomPolicy(ActionSpace space) {
        if (space == null) {
            throw new IllegalArgumentException("action space must not be null");
        }
        this.space = space;
    }

    @Override
    public double[] act(double[] observation, SplittableRandom rng) {
        if (space instanceof DiscreteSpace d) {
            return new double[] {rng.nextInt(d.n())};
        }
        BoxSpace box = (BoxSpace) space;
        double[] a = new double[box.dim()];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble(box.low(i), box.high(i));
        }
        return a;
    }
}
