package org.calql.aca;

import org.calql.policy.PolicyPass;
import org.calql.policy.GaussianPolicy;
import org.calql.policy.TanhGaussian;

/**
 * The action-dependent part of ACA's online critic, {@code Q_i(s,a) = R_i(s,a) + w·ℓ(s,a)}, from a frozen reference
 * policy π₀ (the offline policy at alignment):
 * <pre>
 *   ℓ(s,a) = softplus(log π₀(a|s) − c(s)) + c(s),    c(s) = min(log π₀(tanh(μ₀ + β·σ₀)|s), log π₀(tanh(μ₀ − β·σ₀)|s))
 * </pre>
 * a smooth floor under {@code log π₀}: above it {@code ℓ ≈ log π₀}, far below it {@code ℓ ≈ c}. {@code c} is held
 * constant (no gradient); {@code ℓ}'s gradient with respect to the action is
 * {@code sigmoid(log π₀ − c)·∂ log π₀/∂a}. π₀ is a {@link GaussianPolicy}, which gives {@code log π₀(a|s)} and
 * {@code c(s)}: for the tanh-Gaussian as d3rlpy's {@code SquashedGaussianDistribution.log_prob} takes it
 * ({@link TanhGaussian#logDensity}: {@code y = a/maxAction} clipped to {@code ±(1 − 1e-6)}, {@code u = atanh y},
 * no gradient where the clip binds) with {@code c} at {@code tanh(μ₀ ± β·σ₀)}; for the non-squashed Gaussian
 * ({@link org.calql.policy.NonSquashedGaussianPolicy}, the authors' AntMaze policy) as its plain Gaussian density,
 * with {@code c} at {@code μ₀ ± β·σ₀}. Softplus is PyTorch's (threshold 20).
 *
 * <p>Holds π₀'s passes at {@code s} and {@code s'} and their Gaussians; not thread-safe.
 */
public final class ReparameterisedCritic {
    private static final double LOG_2 = Math.log(2.0);

    private final GaussianPolicy reference;
    private final double beta;
    private final int actionDim;
    private final PolicyPass[] passes;
    private final double[][] means;
    private final double[][] logStds;
    private final double[][] floors;

    /**
     * @param reference the frozen π₀ (its parameters must not change while this is used)
     * @param beta      the floor's width β, positive
     * @param maxRows   the most observations per evaluation
     */
    public ReparameterisedCritic(GaussianPolicy reference, double beta, int maxRows) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, found " + beta);
        }
        this.reference = reference;
        this.beta = beta;
        this.actionDim = reference.actionDim();
        this.passes = new PolicyPass[] {reference.newPass(maxRows), reference.newPass(maxRows)};
        this.means = new double[2][maxRows * actionDim];
        this.logStds = new double[2][maxRows * actionDim];
        this.floors = new double[2][maxRows];
    }

    /** The frozen reference policy π₀. */
    public GaussianPolicy reference() {
        return reference;
    }

    /** The floor's width β. */
    public double beta() {
        return beta;
    }

    /**
     * Runs π₀ on {@code rows} observations into slot {@code slot} (0 or 1, e.g. {@code s} and {@code s'}) and computes
     * their floors {@code c(s)}.
     */
    public void forward(int slot, double[] observations, int rows) {
        reference.forward(passes[slot], observations, rows);
        reference.distribution(passes[slot], means[slot], logStds[slot]);
        for (int r = 0; r < rows; r++) {
            floors[slot][r] = reference.floor(means[slot], logStds[slot], r * actionDim, beta);
        }
    }

    /** {@code c(s)} of row {@code row} of slot {@code slot}'s last forward. */
    public double floorAt(int slot, int row) {
        return floors[slot][row];
    }

    /** {@code log π₀(a|s)} of one action per row of slot {@code slot}'s last forward, into {@code out [rows]}. */
    public void logDensity(int slot, double[] actions, int rows, double[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = reference.logDensity(means[slot], logStds[slot], r * actionDim, actions, r * actionDim, null,
                    0);
        }
    }

    /**
     * {@code ℓ(s,a)} of one action per row of slot {@code slot}'s last forward, into {@code out [rows]}; with
     * {@code gradActions} non-null, {@code ∂ℓ/∂a} is written there ({@code [rows, actionDim]}).
     */
    public void evaluate(int slot, double[] actions, int rows, double[] out, double[] gradActions) {
        for (int r = 0; r < rows; r++) {
            int base = r * actionDim;
            double lp = reference.logDensity(means[slot], logStds[slot], base, actions, base, gradActions, base);
            double c = floors[slot][r];
            out[r] = ell(lp, c);
            if (gradActions != null) {
                double slope = ellSlope(lp, c);
                for (int a = 0; a < actionDim; a++) {
                    gradActions[base + a] *= slope;
                }
            }
        }
    }

    /** {@code softplus(lp − c) + c}. */
    static double ell(double logDensity, double floor) {
        return softplus(logDensity - floor) + floor;
    }

    /** {@code ∂ℓ/∂lp = sigmoid(lp − c)}, 1 above PyTorch's softplus threshold. */
    static double ellSlope(double logDensity, double floor) {
        double x = logDensity - floor;
        return x > 20.0 ? 1.0 : 1.0 / (1.0 + Math.exp(-x));
    }

    static double softplus(double x) {
        return x > 20.0 ? x : Math.log1p(Math.exp(x));
    }

    static double logDetTanh(double u) {
        return 2.0 * (LOG_2 - u - softplus(-2.0 * u));
    }

    /** {@link TanhGaussian#floor} (a tanh-Gaussian π₀). */
    static double floor(double[] mean, double[] logStd, int rowBase, int actionDim, double beta) {
        return TanhGaussian.floor(mean, logStd, rowBase, actionDim, beta);
    }

    /** {@link TanhGaussian#logDensity} (a tanh-Gaussian π). */
    static double logDensity(double[] mean, double[] logStd, int rowBase, double[] actions, int base, int actionDim,
                             double maxAction, double[] grad, int gradBase) {
        return TanhGaussian.logDensity(mean, logStd, rowBase, actions, base, actionDim, maxAction, grad, gradBase);
    }
}
