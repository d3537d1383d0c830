package org.calql.config;

/**
 * The entropy temperature {@code α}. Validated on construction; part of {@link CalQlConfig}.
 *
 * @param autoEntropy     tune {@code logAlpha} toward {@code targetEntropy} (default true)
 * @param alphaMultiplier {@code α = exp(logAlpha)·alphaMultiplier} with auto-tuning, else {@code alphaMultiplier};
 *                        non-negative, finite (default 1)
 * @param targetEntropy   target entropy of the temperature loss, finite (default {@code −actionDim})
 * @param initLogAlpha    initial {@code logAlpha}, finite (default 0)
 * @param backupEntropy   subtract {@code α·log π(a'|s')} in the TD target (default false)
 */
public record EntropySettings(boolean autoEntropy, double alphaMultiplier, double targetEntropy, double initLogAlpha,
                              boolean backupEntropy) {
    /** @throws IllegalArgumentException naming the first bad field, its value and the rule */
    public EntropySettings {
        Checks.nonNegativeFinite("alphaMultiplier", alphaMultiplier);
        Checks.finite("targetEntropy", targetEntropy);
        Checks.finite("initLogAlpha", initLogAlpha);
    }
}
