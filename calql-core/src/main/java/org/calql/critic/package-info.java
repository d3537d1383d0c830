/**
 * Critics: the architecture a user chooses ({@link org.calql.critic.CriticSpec}), how a critic sees its input
 * ({@link org.calql.critic.CriticLayout}), and the ensemble of K critics with their targets and optimizers
 * ({@link org.calql.critic.CriticEnsemble}) that every Q-learning update rule trains.
 */
package org.calql.critic;
