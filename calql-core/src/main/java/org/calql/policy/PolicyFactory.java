package org.calql.policy;

import java.util.SplittableRandom;
import org.calql.spi.Backend;
import org.calql.spi.Initialization;

/**
 * Builds the {@link Policy} an agent trains: the way a user plugs their own policy family into the update and
 * the trainer ({@code CalQlConfig.Builder.policy}). The default is the reference code's tanh-Gaussian,
 * {@link TanhGaussianPolicy#factory(int[], double, double)}.
 *
 * <p>A factory draws its initial parameters from {@code context.random()} only, so an agent's initial state
 * depends on its seed alone. An agent saved with a custom factory is loaded with a config that holds it.
 */
@FunctionalInterface
public interface PolicyFactory {
    /** A policy for {@code context}'s dimensions, its networks on {@code context.backend()}. */
    Policy create(Context context);

    /**
     * What a factory is given.
     *
     * @param observationDim width of an observation
     * @param actionDim      width of an action
     * @param maxAction      actions lie in {@code [−maxAction, maxAction]}
     * @param backend        where networks run
     * @param initialization the config's initialisation scheme for networks
     * @param random         the source of initial parameters (after the critics drew theirs)
     */
    record Context(int observationDim, int actionDim, double maxAction, Backend backend,
                   Initialization initialization, SplittableRandom random) {
    }
}
