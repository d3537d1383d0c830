/**
 * Environments in the Gymnasium convention, as the trainer sees them during fine-tuning and
 * evaluation: {@link org.calql.env.Environment#reset(long)} gives the first observation,
 * {@link org.calql.env.Environment#step(double[])} gives a {@link org.calql.env.StepResult}
 * (observation, reward, terminated, truncated, success flag), and the action space is a
 * continuous {@link org.calql.env.BoxSpace}.
 *
 * <p>A policy acts in {@code [-maxAction, maxAction]} per dimension; {@link org.calql.env.ActionScaling}
 * maps those actions affinely onto the box bounds and back. A terminated episode stops
 * bootstrapping (a true terminal state); a truncated one (time limit) does not.
 */
package org.calql.env;
