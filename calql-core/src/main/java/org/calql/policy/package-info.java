/**
 * The tanh-Gaussian policy: a network whose output is {@code [mean, rawLogStd]}, squashed by
 * {@code tanh} and scaled by {@code maxAction}, with its log-probabilities and the backward pass
 * through sampling, the log-determinant and the trainable log-std affine.
 */
package org.calql.policy;
