package org.calql.config;

import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.ReferenceValues;

/**
 * The conservative term and its calibration. Validated on construction; part of {@link CalQlConfig}.
 *
 * @param cqlAlpha          weight α of the conservative term (fixed, or scaled by the Lagrange multiplier);
 *                          non-negative, finite (default 5)
 * @param cqlNActions       sampled actions per state and kind, N, positive (default 10)
 * @param lagrange          tune a Lagrange multiplier α' so that the gap approaches {@code targetActionGap}
 *                          (default false)
 * @param targetActionGap   target of the conservative gap with Lagrange, finite (default 0.8)
 * @param initLogAlphaPrime initial {@code log α'}, finite (default 1)
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
        Checks.positive("cqlNActions", cqlNActions);
        Checks.finite("targetActionGap", targetActionGap);
        Checks.finite("initLogAlphaPrime", initLogAlphaPrime);
        Checks.nonNull("regularizer", regularizer);
        Checks.nonNull("referenceValues", referenceValues);
    }
}
