/**
 * Conservative regularizers over Q-value arrays. CQL and Cal-QL are one {@link org.calql.regularizer.CqlRegularizer}
 * with a different {@link org.calql.regularizer.Calibration}: Cal-QL replaces the Q-values of policy actions by
 * {@code max(Q(s,a_π), V_ref(s))} inside the push-down term (Nakamoto et al., "Cal-QL: Calibrated Offline RL
 * Pre-Training for Efficient Online Fine-Tuning", NeurIPS 2023). Reference values {@code V_ref} come from a
 * {@link org.calql.regularizer.ReferenceValues}.
 */
package org.calql.regularizer;
