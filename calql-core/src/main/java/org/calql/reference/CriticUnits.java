package org.calql.reference;

import java.util.OptionalDouble;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;

/**
 * The units the critic learns, which every reference value {@code V_ref} is given in: rewards after the
 * {@link RewardTransform} {@code r' = scale·r + bias}, discounted by the config's {@code γ}, with the sparse rule
 * (an episode whose every transformed reward equals {@code R_f} is worth {@code R_f / (1 − γ)} at every step, as
 * {@link org.calql.data.ReturnsToGo} computes the Monte-Carlo returns). The estimators convert raw rewards with it, so
 * a user never does.
 *
 * @param rewardTransform     {@code r' = scale·r + bias}
 * @param discount            {@code γ} in {@code [0, 1)}
 * @param sparseFailureReward {@code R_f} in transformed units, or empty for dense rewards
 */
public record CriticUnits(RewardTransform rewardTransform, double discount, OptionalDouble sparseFailureReward) {
    /** @throws IllegalArgumentException if a field is null, γ is outside {@code [0, 1)} or {@code R_f} is not finite */
    public CriticUnits {
        if (rewardTransform == null || sparseFailureReward == null) {
            throw new IllegalArgumentException("rewardTransform and sparseFailureReward must not be null");
        }
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("discount must be in [0, 1), found " + discount);
        }
        if (sparseFailureReward.isPresent() && !Double.isFinite(sparseFailureReward.getAsDouble())) {
            throw new IllegalArgumentException("sparseFailureReward must be finite, found "
                    + sparseFailureReward.getAsDouble());
        }
    }

    /** The units a prepared dataset's rewards and returns-to-go are in. */
    public static CriticUnits of(PreparedDataset prepared) {
        return new CriticUnits(prepared.rewardTransform(), prepared.discount(), prepared.sparseFailureReward());
    }

    /**
     * The value of one rollout in critic units: {@code Σ_t γ^t·r'_t} of the raw rewards {@code rewards[0..steps)},
     * or {@code R_f / (1 − γ)} when the sparse rule is on, the rollout did not terminate and every transformed reward
     * equals {@code R_f} (the rule {@link org.calql.data.ReturnsToGo} applies to data).
     */
    public double rolloutValue(double[] rewards, int steps, boolean terminated) {
        double value = 0.0;
        double weight = 1.0;
        boolean allFailure = sparseFailureReward.isPresent() && !terminated && steps > 0;
        float failure = allFailure ? (float) sparseFailureReward.getAsDouble() : 0f;
        for (int t = 0; t < steps; t++) {
            float r = rewardTransform.apply(rewards[t]);
            if (allFailure && r != failure) {
                allFailure = false;
            }
            value += weight * r;
            weight *= discount;
        }
        return allFailure ? failure / (1.0 - discount) : value;
    }
}
