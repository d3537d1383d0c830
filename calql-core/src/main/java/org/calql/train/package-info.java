/**
 * Offline pre-training and online fine-tuning around the update step: data preparation settings, the
 * training listener with typed per-step and per-evaluation metrics, and policy evaluation with the
 * calibration diagnostic.
 */
package org.calql.train;
