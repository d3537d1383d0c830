package org.calql.config;

import java.util.Arrays;
import java.util.Objects;
import org.calql.critic.CriticSpec;
import org.calql.policy.PolicyFactory;
import org.calql.spi.Initialization;

/**
 * What the model is: dimensions, action scale, the critic ensemble and the policy. Validated on construction;
 * part of {@link CalQlConfig} (built by its builder, where the defaults are).
 *
 * @param observationDim     width of an observation, positive
 * @param actionDim          width of an action, positive
 * @param maxAction          policy actions lie in {@code [−maxAction, maxAction]}; positive, at most
 *                           {@link Limits#MAX_ACTION_SCALE} = 1e6 (default 1)
 * @param criticEnsembleSize number of critics K, in [2, {@link Limits#MAX_ENSEMBLE} = 64]; targets use the minimum
 *                           over them (default 2)
 * @param critic             the critics' architecture, at most {@link Limits#MAX_HIDDEN_LAYERS} = 64 hidden layers
 *                           (default {@code CriticSpec.mlp(256, 256)})
 * @param policyHidden       hidden widths of the default tanh-Gaussian policy, at most 64 layers (default
 *                           {@code [256, 256]})
 * @param logStdMultiplier   initial trainable log-std multiplier of the default policy, in [−100, 100] (default 1)
 * @param logStdOffset       initial trainable log-std offset of the default policy, in [−100, 100] (default −1)
 * @param initialization     parameter initialisation (default orthogonal, the reference's
 *                           {@code orthogonal_init=True})
 * @param policy             a user's policy factory, or null for the default tanh-Gaussian
 */
public record ModelSettings(int observationDim, int actionDim, double maxAction, int criticEnsembleSize,
                            CriticSpec critic, int[] policyHidden, double logStdMultiplier, double logStdOffset,
                            Initialization initialization, PolicyFactory policy) {
    /** @throws IllegalArgumentException naming the first bad field, its value and the rule */
    public ModelSettings {
        Checks.positive("observationDim", observationDim);
        Checks.positive("actionDim", actionDim);
        Checks.positiveFinite("maxAction", maxAction);
        Checks.atMost("maxAction", maxAction, Limits.MAX_ACTION_SCALE, "Limits.MAX_ACTION_SCALE");
        Checks.atLeast2("criticEnsembleSize", criticEnsembleSize);
        Checks.atMost("criticEnsembleSize", criticEnsembleSize, Limits.MAX_ENSEMBLE, "Limits.MAX_ENSEMBLE");
        Checks.nonNull("critic", critic);
        Checks.layers("qHidden", critic.hidden());
        Checks.hidden("policyHidden", policyHidden);
        policyHidden = policyHidden.clone();
        Checks.layers("policyHidden", policyHidden);
        Checks.finite("logStdMultiplier", logStdMultiplier);
        Checks.magnitudeAtMost("logStdMultiplier", logStdMultiplier, Limits.MAX_LOG_STD_PARAMETER,
                "Limits.MAX_LOG_STD_PARAMETER: the log-std is clamped to [-20, 2]");
        Checks.finite("logStdOffset", logStdOffset);
        Checks.magnitudeAtMost("logStdOffset", logStdOffset, Limits.MAX_LOG_STD_PARAMETER,
                "Limits.MAX_LOG_STD_PARAMETER: the log-std is clamped to [-20, 2]");
        Checks.nonNull("initialization", initialization);
    }

    /** Hidden widths of the default policy (a copy). */
    @Override
    public int[] policyHidden() {
        return policyHidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSettings m && observationDim == m.observationDim && actionDim == m.actionDim
                && Double.compare(maxAction, m.maxAction) == 0 && criticEnsembleSize == m.criticEnsembleSize
                && critic.equals(m.critic) && Arrays.equals(policyHidden, m.policyHidden)
                && Double.compare(logStdMultiplier, m.logStdMultiplier) == 0
                && Double.compare(logStdOffset, m.logStdOffset) == 0 && initialization == m.initialization
                && Objects.equals(policy, m.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observationDim, actionDim, maxAction, criticEnsembleSize, critic,
                Arrays.hashCode(policyHidden), logStdMultiplier, logStdOffset, initialization, policy);
    }

    @Override
    public String toString() {
        return "observationDim=" + observationDim + ", actionDim=" + actionDim + ", maxAction=" + maxAction
                + ", criticEnsembleSize=" + criticEnsembleSize + ", critic=" + critic + ", policyHidden="
                + Arrays.toString(policyHidden) + ", logStdMultiplier=" + logStdMultiplier + ", logStdOffset="
                + logStdOffset + ", initialization=" + initialization + (policy != null ? ", policy=" + policy : "");
    }
}
