package org.calql.policy;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * ε-greedy exploration over a {@link GreedyPolicy}: at step {@code t}, with probability {@code ε(t)} (a
 * {@link LinearDecay}) a uniformly random action, otherwise the greedy one. Each call draws one
 * {@code u = random.nextDouble()}; when {@code u < ε(t)} it draws the action {@code random.nextInt(|A|)} and runs no
 * network. Randomness is injected, so a seeded generator gives reproducible actions.
 *
 * <p>Thread-safe as far as the greedy policy is; each thread passes its own generator.
 */
public final class EpsilonGreedyPolicy {
    private final GreedyPolicy greedy;
    private final LinearDecay epsilon;

    /** ε-greedy over {@code greedy} with exploration rate {@code epsilon}. */
    public EpsilonGreedyPolicy(GreedyPolicy greedy, LinearDecay epsilon) {
        this.greedy = Objects.requireNonNull(greedy, "greedy policy must not be null");
        this.epsilon = Objects.requireNonNull(epsilon, "epsilon schedule must not be null");
    }

    /** The greedy policy that acts when not exploring. */
    public GreedyPolicy greedy() {
        return greedy;
    }

    /** The exploration rate's schedule. */
    public LinearDecay epsilon() {
        return epsilon;
    }

    /**
     * The action at exploration step {@code step}.
     *
     * @throws IllegalArgumentException if {@code step < 0} or the observation is bad (see {@link GreedyPolicy#act})
     */
    public int act(double[] observation, long step, RandomGenerator random) {
        double eps = epsilon.value(step);
        if (random.nextDouble() < eps) {
            return random.nextInt(greedy.numActions());
        }
        return greedy.act(observation);
    }
}
