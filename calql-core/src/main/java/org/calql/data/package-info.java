/**
 * Offline data, returns-to-go, replay and batch sampling.
 *
 * <p>An {@link org.calql.data.OfflineDataset} holds raw transitions in flat float arrays. A
 * {@link org.calql.data.PreparedDataset} applies a {@link org.calql.data.RewardTransform}
 * ({@code r' = scale·r + bias}) and computes Monte-Carlo returns-to-go per episode with
 * {@link org.calql.data.ReturnsToGo} (the calibration bound {@code V_ref(s)} of Cal-QL, Nakamoto et al.
 * 2023). Fine-tuning writes online transitions into a {@link org.calql.data.TransitionStore}, which
 * commits each episode with its returns when it ends: the built-in {@link org.calql.data.ReplayBuffer}
 * (a ring on the same columnar storage as the offline data) or a user's own store. Samplers
 * ({@link org.calql.data.OfflineSampler}, {@link org.calql.data.ReplaySampler} over any store,
 * {@link org.calql.data.MixedSampler}) fill a preallocated {@link org.calql.data.TransitionBatch} in place
 * from an injected {@link java.util.random.RandomGenerator}, optionally normalising observations with an
 * {@link org.calql.data.ObservationNormalizer}.
 */
package org.calql.data;
