package org.calql.config;

/**
 * The entropy temperature {@code α}. Validated on construction; part of {@link CalQlConfig}.
 *
 * @param autoEntropy     tune {@code logAlpha} toward {@code targetEntropy} (default true)
 * @param alphaMultiplier {@code α = exp(logAlpha)·alphaMultiplier} with auto-tuning, else {@code alphaMultiplier};
 *                        in [0, {@link Limits#MAX_WEIGHT} = 1e6] (default 1)
 * @param targetEntropy   target entropy of the temperature loss, in [−1e9, 1e9] (default {@code −actionDim})
 * @param initLogAlpha    initial {@code logAlpha}, in [−{@link Limits#MAX_LOG_MULTIPLIER}, 20] (default 0)
 * @param backupEntropy   subtract {@code α·log π(a'|s')} in the TD target (default false)
 */
public record EntropySettings(boolean autoEntropy, double alphaMultiplier, double targetEntropy, double initLogAlpha,
                              boolean backupEntropy) {
    /** @throws IllegalArgumentException naming the first bad field, its value and the rule */
    public EntropySettings {
        Checks.nonNegativeFinite("alphaMultiplier", alphaMultiplier);
        Checks.atMost("alphaMultiplier", alphaMultiplier, Limits.MAX_WEIGHT, "Limits.MAX_WEIGHT");
        Checks.finite("targetEntropy", targetEntropy);
        Checks.magnitudeAtMost("targetEntropy", targetEntropy, Limits.MAX_TARGET_MAGNITUDE,
                "Limits.MAX_TARGET_MAGNITUDE");
        Checks.finite("initLogAlpha", initLogAlpha);
        Checks.magnitudeAtMost("initLogAlpha", initLogAlpha, Limits.MAX_LOG_MULTIPLIER,
                "Limits.MAX_LOG_MULTIPLIER: exp(initLogAlpha) must not overflow");
    }
}
