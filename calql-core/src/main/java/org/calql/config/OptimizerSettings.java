package org.calql.config;

/**
 * How the critics and the policy are optimised. Validated on construction; part of {@link CalQlConfig}.
 *
 * @param batchSize          transitions per update B, positive; with N the update's buffers must fit (see
 *                           {@link Limits}) (default 256)
 * @param discount           γ in [0, 1) (default 0.99)
 * @param qfLr               Adam learning rate of the critics and of the Lagrange multiplier, in
 *                           (0, {@link Limits#MAX_LEARNING_RATE} = 1] (default 3e-4)
 * @param policyLr           Adam learning rate of the policy and of the temperature, in (0, 1] (default 1e-4)
 * @param tau                target step τ in (0, 1]: {@code θ̄ ← (1 − τ)·θ̄ + τ·θ} (default 5e-3)
 * @param targetUpdatePeriod targets move every this many updates, positive (default 1)
 */
public record OptimizerSettings(int batchSize, double discount, double qfLr, double policyLr, double tau,
                                int targetUpdatePeriod) {
    /** @throws IllegalArgumentException naming the first bad field, its value and the rule */
    public OptimizerSettings {
        Checks.positive("batchSize", batchSize);
        Checks.discount("discount", discount);
        Checks.tau("tau", tau);
        Checks.positive("targetUpdatePeriod", targetUpdatePeriod);
        Checks.positiveFinite("qfLr", qfLr);
        Checks.atMost("qfLr", qfLr, Limits.MAX_LEARNING_RATE, "Limits.MAX_LEARNING_RATE");
        Checks.positiveFinite("policyLr", policyLr);
        Checks.atMost("policyLr", policyLr, Limits.MAX_LEARNING_RATE, "Limits.MAX_LEARNING_RATE");
    }
}
