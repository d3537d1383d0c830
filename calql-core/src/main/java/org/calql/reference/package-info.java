/**
 * Reference policies and their value estimators: the {@code V_ref(s)} Cal-QL's policy-action Q-values are bounded
 * below by. A {@link org.calql.reference.ReferencePolicy} μ (the user's controller, a trained calql policy) is turned
 * into {@link org.calql.regularizer.ReferenceValues} by fitted Q evaluation
 * ({@link org.calql.reference.FittedQEvaluation}), rollouts in an environment that can be reset to dataset states
 * ({@link org.calql.reference.RolloutEstimator}), or, without μ, a value network fitted to the Monte-Carlo returns
 * ({@link org.calql.reference.FittedValue}); {@link org.calql.reference.MaxReference} takes the tightest of several.
 * Every value is in {@link org.calql.reference.CriticUnits}, the units the critic learns; networks see observations
 * normalised by the agent's normaliser, μ raw ones. An agent calibrates against a reference with
 * {@code Agent.calibrateAgainst} and saves the fitted ones in its checkpoint.
 */
package org.calql.reference;
