package org.calql.reference;

import java.util.function.Function;
import org.calql.env.ActionSpace;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;
import org.calql.random.Rng;

/**
 * A reference policy μ whose value {@code V^μ(s)} Cal-QL's policy-action Q-values are bounded below by: the user's
 * controller, a trained calql policy ({@code Agent.referencePolicy}, {@code DiscreteAgent.referencePolicy}), or any
 * other rule. The estimators of this package ({@link FittedQEvaluation}, {@link RolloutEstimator}) evaluate it.
 *
 * <p><b>Inputs.</b> {@link #act} receives <em>raw</em> observations, as the environment emits them and the dataset
 * stores them, never normalised ones.
 *
 * <p><b>Outputs.</b> For a {@link BoxSpace} an action is a vector in that box, in the environment's units; the
 * library maps it to the agent's policy range {@code [−maxAction, maxAction]} (the dataset's units) with
 * {@link org.calql.env.ActionScaling} before a critic sees it. For a {@link DiscreteSpace} an action is one entry
 * holding the index. An action that is null, of the wrong length, not finite or outside the space is refused with
 * an {@link IllegalArgumentException} naming the entry and the value.
 *
 * <p><b>Randomness.</b> A deterministic μ ignores {@code random}; a stochastic one draws only from it. The library
 * hands it a generator seeded from the estimator's seed, so estimates repeat bit for bit.
 */
public interface ReferencePolicy {
    /** Width of an observation. */
    int observationDim();

    /** The space of the actions {@link #act} returns (environment units). */
    ActionSpace actionSpace();

    /** Whether {@link #act} draws from its generator (then value estimates average several actions). */
    boolean stochastic();

    /**
     * μ's action at a raw observation.
     *
     * @param observation raw observation of length {@link #observationDim()}; must not be modified
     * @param random      the only source of randomness a stochastic μ may use
     * @return an action in {@link #actionSpace()}
     */
    double[] act(double[] observation, Rng random);

    /** A deterministic μ from a function of the raw observation. */
    static ReferencePolicy deterministic(int observationDim, ActionSpace space, Function<double[], double[]> rule) {
        return new Simple(observationDim, space, false, (s, r) -> rule.apply(s), "deterministic");
    }

    /** A stochastic μ from a function of the raw observation and the generator it must draw from. */
    static ReferencePolicy stochastic(int observationDim, ActionSpace space, Rule rule) {
        return new Simple(observationDim, space, true, rule, "stochastic");
    }

    /** A rule {@code (raw observation, generator) → action}. */
    @FunctionalInterface
    interface Rule {
        /** The action. */
        double[] act(double[] observation, Rng random);
    }

    /**
     * The policy of the factories.
     *
     * @param observationDim width of an observation
     * @param actionSpace    the actions' space (environment units)
     * @param stochastic     whether the rule draws from its generator
     * @param rule           the rule
     * @param label          how {@link #toString()} names it
     */
    record Simple(int observationDim, ActionSpace actionSpace, boolean stochastic, Rule rule, String label)
            implements ReferencePolicy {
        /** @throws IllegalArgumentException if a field is null or the width is not positive */
        public Simple {
            if (observationDim <= 0) {
                throw new IllegalArgumentException("reference policy observationDim must be positive, found "
                        + observationDim);
            }
            if (actionSpace == null || rule == null) {
                throw new IllegalArgumentException("reference policy actionSpace and rule must not be null");
            }
        }

        @Override
        public double[] act(double[] observation, Rng random) {
            return rule.act(observation, random);
        }

        @Override
        public String toString() {
            return label + " reference policy " + actionSpace;
        }
    }
}
