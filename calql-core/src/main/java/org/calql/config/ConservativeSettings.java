package org.calql.config;

import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.ReferenceValues;

/**
 * The conservative term and its calibration. Validated on construction; part of {@link CalQlConfig}.
 *
 * @param cqlAlpha          weight α of the conservative term (fixed, or scaled by the Lagrange multiplier);
 *                          in [0, {@link Limits#MAX_WEIGHT} = 1e6] (default 5)
 * @param cqlNActions       sampled actions per state and kind, N, positive; the update's {@code B·(1 + 3N)}
 *                          stacked rows must fit (see {@link Limits}) (default 10)
 * @param lagrange          tune a Lagrange multiplier α' so that the gap approaches {@code targetActionGap}
 *                          (default false)
 * @param targetActionGap   target of the conservative gap with Lagrange, in [−1e9, 1e9] (default 0.8)
 * @param initLogAlphaPrime initial {@code log α'}, in [−{@link Limits#MAX_LOG_MULTIPLIER}, 20] (default 1)
 * @param maxTargetBackup   TD target: the max over N next-action samples of the min over target critics
 *                          (default false)
 * @param regularizer       the conservative term (default Cal-QL, {@code Regularizers.calQl()})
 * @param referenceValues   {@code V_ref(s)} for the calibration (default Monte-Carlo returns-to-go)
 */
public record ConservativeSettings(double cqlAlpha, int cqlNActions, boolean lagrange, double targetActionGap,
                                   double initLogAlphaPrime, boolean maxTargetBackup,
                                   ConservativeRegularizer regularizer, ReferenceValues referenceValues) {
    /** @throws IllegalArgumentException naming the first bad field, its value and the rule */
    public ConservativeSettings {
        Checks.nonNegativeFinite("cqlAlpha", cqlAlpha);
        Checks.atMost("cqlAlpha", cqlAlpha, Limits.MAX_WEIGHT, "Limits.MAX_WEIGHT");
        Checks.positive("cqlNActions", cqlNActions);
        Limits.requireArray("cqlNActions = " + cqlNActions, 1 + 3.0 * cqlNActions,
                "the stacked rows per transition 1 + 3·cqlNActions");
        Checks.finite("targetActionGap", targetActionGap);
        Checks.magnitudeAtMost("targetActionGap", targetActionGap, Limits.MAX_TARGET_MAGNITUDE,
                "Limits.MAX_TARGET_MAGNITUDE");
        Checks.finite("initLogAlphaPrime", initLogAlphaPrime);
        Checks.magnitudeAtMost("initLogAlphaPrime", initLogAlphaPrime, Limits.MAX_LOG_MULTIPLIER,
                "Limits.MAX_LOG_MULTIPLIER: exp(initLogAlphaPrime) must not overflow");
        Checks.nonNull("regularizer", regularizer);
        Checks.nonNull("referenceValues", referenceValues);
    }
}
