/**
 * Discrete-action CQL and Cal-QL: a {@link org.calql.discrete.DiscreteUpdateStep} over an ensemble of critics that
 * map an observation to one Q-value per action, configured by a {@link org.calql.discrete.DiscreteConfig}. The
 * update is d3rlpy's {@code DiscreteCQL} (Double-DQN target, Huber TD error, {@code logsumexp_a Q(s,a) −
 * Q(s,a_data)}) generalised to K critics with the minimum over target critics, and calibrated as Cal-QL
 * (Nakamoto et al. 2023) calibrates continuous actions: {@code max(Q(s,a), V_ref(s))} for every action. The
 * conservative term is the same {@link org.calql.regularizer.CqlRegularizer} the continuous update uses, over the
 * {@link org.calql.regularizer.QLayout#allActions} layout.
 */
package org.calql.discrete;
