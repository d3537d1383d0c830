package org.calql.data;

import java.util.OptionalDouble;

/**
 * An {@link OfflineDataset} ready for sampling: its rewards after a {@link RewardTransform} and their
 * Monte-Carlo returns-to-go ({@link ReturnsToGo}, computed once per episode), which samplers write as
 * the batch's reference values {@code V_ref(s)}. Immutable; shares the dataset's arrays.
 */
public final class PreparedDataset {
    private final OfflineDataset dataset;
    private final RewardTransform rewardTransform;
    private final double discount;
    private final OptionalDouble sparseFailureReward;
    private final float[] rewards;
    private final double[] returnsToGo;

    private PreparedDataset(OfflineDataset dataset, RewardTransform rewardTransform, double discount,
            OptionalDouble sparseFailureReward, float[] rewards, double[] returnsToGo) {
        this.dataset = dataset;
        this.rewardTransform = rewardTransform;
        this.discount = discount;
        this.sparseFailureReward = sparseFailureReward;
        this.rewards = rewards;
        this.returnsToGo = returnsToGo;
    }

    /**
     * Applies {@code rewardTransform} to the rewards and computes returns-to-go per episode.
     *
     * @param dataset the raw data (its arrays are shared, not copied)
     * @param rewardTransform {@code r' = scale·r + bias}
     * @param discount {@code γ} in {@code [0, 1)}
     * @param sparseFailureReward {@code R_f} <b>in transformed units</b> (e.g. −5 for AntMaze with scale 10,
     *     bias −5): an episode whose every transformed reward equals it gets {@code R_f / (1 − γ)}
     *     throughout; empty for dense rewards
     * @throws IllegalArgumentException on a bad discount or a non-finite failure reward
     */
    public static PreparedDataset prepare(OfflineDataset dataset, RewardTransform rewardTransform, double discount,
            OptionalDouble sparseFailureReward) {
        if (dataset == null || rewardTransform == null) {
            throw new IllegalArgumentException("dataset and rewardTransform must not be null");
        }
        ReturnsToGo.checkDiscount(discount);
        ReturnsToGo.checkFailureReward(sparseFailureReward);
        float[] transformed = rewardTransform.isIdentity() ? dataset.rewardArray()
                : rewardTransform.applyAll(dataset.rewardArray());
        Rows.checkFinite("transformed rewards", transformed, 1);
        double[] returns = ReturnsToGo.compute(transformed, dataset.terminalArray(), dataset.episodeEndArray(),
                discount, sparseFailureReward);
        return new PreparedDataset(dataset, rewardTransform, discount, sparseFailureReward, transformed, returns);
    }

    /** Dense rewards: {@link #prepare(OfflineDataset, RewardTransform, double, OptionalDouble)} without the sparse rule. */
    public static PreparedDataset prepare(OfflineDataset dataset, RewardTransform rewardTransform, double discount) {
        return prepare(dataset, rewardTransform, discount, OptionalDouble.empty());
    }

    /** The raw data. */
    public OfflineDataset dataset() {
        return dataset;
    }

    /** Number of transitions. */
    public int size() {
        return dataset.size();
    }

    /** The reward transform applied. */
    public RewardTransform rewardTransform() {
        return rewardTransform;
    }

    /** The discount {@code γ} of the returns-to-go. */
    public double discount() {
        return discount;
    }

    /** The sparse failure reward in transformed units, if the sparse rule is on. */
    public OptionalDouble sparseFailureReward() {
        return sparseFailureReward;
    }

    /** Transformed reward of transition {@code t}. */
    public float reward(int t) {
        return rewards[t];
    }

    /** Return-to-go of transition {@code t}. */
    public double returnToGo(int t) {
        return returnsToGo[t];
    }

    /** All returns-to-go; a fresh copy. */
    public double[] returnsToGo() {
        return returnsToGo.clone();
    }

    /** All transformed rewards; a fresh copy. */
    public float[] transformedRewards() {
        return rewards.clone();
    }

    float[] rewardArray() {
        return rewards;
    }

    double[] returnsToGoArray() {
        return returnsToGo;
    }
}
