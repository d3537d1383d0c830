/**
 * Extending calql from outside its core: a user-written policy, critic specification and replay store plugged
 * into the trainer through the public seams ({@link org.calql.policy.Policy}, {@link org.calql.critic.CriticSpec},
 * {@link org.calql.data.TransitionStore}).
 */
package org.calql.examples.extension;
