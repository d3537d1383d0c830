/**
 * Offline data, returns-to-go, replay and batch sampling.
 *
 * <p>An {@link org.calql.data.OfflineDataset} holds raw transitions in flat float arrays. A
 * {@link org.calql.data.PreparedDataset} applies a {@link org.calql.data.RewardTransform}
 * ({@code r' = scale·r + bias}) and computes Monte-Carlo returns-to-go per episode with
 * {@link org.calql.data.ReturnsToGo} (the calibration bound {@code V_ref(s)} of Cal-QL, Nakamoto et al.
 * 2023). A {@link org.calql.data.ReplayBuffer} stores online transitions and writes their returns when
 * each episode ends. Samplers ({@link org.calql.data.OfflineSampler}, {@link org.calql.data.ReplaySampler},
 * {@link org.calql.data.MixedSampler}) fill a preallocated {@link org.calql.data.TransitionBatch} in place
 * from an injected {@link java.util.random.RandomGenerator}, optionally normalising observations with an
 * {@link org.calql.data.ObservationNormalizer}.
 */
package org.calql.data;
