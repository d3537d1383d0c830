/**
 * Environments written in Java and the behaviour policies that make their offline datasets.
 *
 * <ul>
 *   <li>{@link org.calql.examples.env.PointMaze}: a sparse-reward point-mass maze in the spirit of
 *       AntMaze, on a {@link org.calql.examples.env.MazeLayout} (the U-maze by default), with the
 *       wandering behaviour {@link org.calql.examples.env.MazeWanderer}, the scripted
 *       {@link org.calql.examples.env.MazeOracle} and {@link org.calql.examples.env.RandomPolicy}
 *       as references.
 *   <li>{@link org.calql.examples.env.Pendulum}: Gymnasium's dense-reward Pendulum-v1, with the
 *       noisy swing-up controller {@link org.calql.examples.env.PendulumBehaviour}.
 *   <li>{@link org.calql.examples.env.MountainCar}: Gymnasium's sparse-reward MountainCar-v0 with three discrete
 *       actions, with the noisy, sometimes lazy energy pumping
 *       {@link org.calql.examples.env.MountainCarBehaviour}.
 *   <li>{@link org.calql.examples.env.DiscretePointMaze}: the point maze with 4 or 8 compass actions; continuous
 *       behaviours follow it through {@link org.calql.examples.env.DiscretePointMaze#discretized}.
 *   <li>{@link org.calql.examples.env.DatasetGenerator}: rollouts and offline datasets, made
 *       deterministically from a seed, for box and discrete action spaces; uniformly random actions in either
 *       kind of space come from {@link org.calql.examples.env.RandomPolicy}.
 * </ul>
 */
package org.calql.examples.env;
