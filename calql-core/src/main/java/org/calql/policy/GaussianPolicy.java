package org.calql.policy;

/**
 * A {@link Policy} whose action distribution per row is a diagonal Gaussian, possibly squashed, described by its
 * mean and log-std: what a loss needs to evaluate another policy's density {@code log π(a|s)} at given actions
 * (e.g. ACA's frozen reference policy π₀ at actions π drew).
 */
public interface GaussianPolicy extends Policy {
    /**
     * The Gaussian of the last forward of {@code pass}: its mean into {@code mean} and its log-std into
     * {@code logStd} (both {@code [rows, actionDim]}), the arguments of {@link #logDensity} and {@link #floor}.
     */
    void distribution(PolicyPass pass, double[] mean, double[] logStd);

    /**
     * {@code log π(a|s)} of the action at {@code actions[base ..]} under the Gaussian at row offset
     * {@code rowBase} of {@code mean}, {@code logStd}; with {@code grad} non-null, {@code ∂ log π/∂a} is written to
     * {@code grad[gradBase ..]}.
     */
    double logDensity(double[] mean, double[] logStd, int rowBase, double[] actions, int base, double[] grad,
                      int gradBase);

    /**
     * The smaller of {@code log π} at the actions the Gaussian's {@code mean ± β·σ} maps to (per dimension), at row
     * offset {@code rowBase}: ACA's floor {@code c(s)} under {@code log π₀}.
     */
    double floor(double[] mean, double[] logStd, int rowBase, double beta);
}
