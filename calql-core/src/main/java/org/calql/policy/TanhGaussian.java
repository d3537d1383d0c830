package org.calql.policy;

/**
 * The math of a tanh-squashed diagonal Gaussian on primitive arrays (no network involved).
 *
 * <p>For pre-squash sample {@code u = mean + exp(logStd)·ε} the action is {@code maxAction·tanh(u)} and
 * <pre>
 *   log π = Σ_a [ log N(u_a; mean_a, std_a) − 2·(log 2 − u_a − softplus(−2u_a)) ]
 * </pre>
 * (the log-det of tanh in its stable form; no term for {@code maxAction}), as in the Cal-QL reference code.
 * Gaussian terms are computed as PyTorch's {@code Normal.log_prob} does, from {@code u − mean} and the
 * variance, so results agree number for number.
 */
public final class TanhGaussian {
    private static final double LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
    private static final double LOG_2 = Math.log(2.0);

    private TanhGaussian() {
    }

    /** PyTorch's {@code softplus} (β = 1, threshold 20). */
    static double softplus(double x) {
        return x > 20.0 ? x : Math.log1p(Math.exp(x));
    }

    /** {@code log(1 − tanh(u)²)} in the stable form {@code 2·(log 2 − u − softplus(−2u))}. */
    static double logDetTanh(double u) {
        return 2.0 * (LOG_2 - u - softplus(-2.0 * u));
    }

    /**
     * Draws {@code samples} actions per row.
     *
     * @param mean       {@code [rows, A]}
     * @param logStd     {@code [rows, A]}, already clamped
     * @param noise      {@code [rows, samples, A]} standard normal
     * @param actions    receives {@code [rows, samples, A]} = {@code maxAction·tanh(u)}
     * @param squashed   receives {@code tanh(u)}, {@code [rows, samples, A]} (kept for backward)
     * @param logProb    receives {@code [rows, samples]}
     */
    public static void sample(double[] mean, double[] logStd, int rows, int samples, int actionDim,
                              double[] noise, double maxAction, double[] actions, double[] squashed,
                              double[] logProb) {
        sample(mean, logStd, rows, samples, actionDim, noise, maxAction, actions, 0, samples * actionDim, squashed,
                logProb);
    }

    /**
     * {@link #sample(double[], double[], int, int, int, double[], double, double[], double[], double[])} with the
     * actions placed in the caller's layout: sample {@code j} of row {@code r} at
     * {@code actions[actionsOffset + r·actionsRowStride + j·A …]}; the other arrays as there.
     */
    public static void sample(double[] mean, double[] logStd, int rows, int samples, int actionDim,
                              double[] noise, double maxAction, double[] actions, int actionsOffset,
                              int actionsRowStride, double[] squashed, double[] logProb) {
        for (int r = 0; r < rows; r++) {
            int rowBase = r * actionDim;
            int actionRow = actionsOffset + r * actionsRowStride;
            for (int j = 0; j < samples; j++) {
                int sampleIndex = r * samples + j;
                int base = sampleIndex * actionDim;
                int actionBase = actionRow + j * actionDim;
                double lp = 0.0;
                for (int a = 0; a < actionDim; a++) {
                    double m = mean[rowBase + a];
                    double ls = logStd[rowBase + a];
                    double std = Math.exp(ls);
                    double u = m + std * noise[base + a];
                    double t = Math.tanh(u);
                    squashed[base + a] = t;
                    actions[actionBase + a] = maxAction * t;
                    double z = u - m;
                    double gaussian = -(z * z) / (2.0 * (std * std)) - Math.log(std) - LOG_SQRT_2PI;
                    lp += gaussian - logDetTanh(u);
                }
                logProb[sampleIndex] = lp;
            }
        }
    }

    /**
     * Chains gradients of a loss through sampling: for each sample, {@code gradAction} (dL/d action,
     * {@code [rows, samples, A]}, may be null) and {@code gradLogProb} (dL/d log π, {@code [rows, samples]},
     * may be null) are turned into gradients with respect to the row's mean and (clamped) log-std, which
     * are <em>added</em> into {@code gradMean} and {@code gradLogStd} ({@code [rows, A]}).
     *
     * <p>With {@code u = mean + std·ε}: {@code ∂a/∂u = maxAction·(1 − tanh²u)}, {@code ∂ log π/∂u = 2·tanh u}
     * through the log-det, and the Gaussian term's total derivative is 0 for the mean and −1 for the log-std.
     */
    public static void backward(double[] logStd, int rows, int samples, int actionDim, double[] noise,
                                double maxAction, double[] squashed, double[] gradAction,
                                double[] gradLogProb, double[] gradMean, double[] gradLogStd) {
        for (int r = 0; r < rows; r++) {
            int rowBase = r * actionDim;
            for (int j = 0; j < samples; j++) {
                int sampleIndex = r * samples + j;
                int base = sampleIndex * actionDim;
                double gLogProb = gradLogProb == null ? 0.0 : gradLogProb[sampleIndex];
                for (int a = 0; a < actionDim; a++) {
                    double t = squashed[base + a];
                    double gU = 2.0 * t * gLogProb;
                    if (gradAction != null) {
                        gU += gradAction[base + a] * maxAction * (1.0 - t * t);
                    }
                    double std = Math.exp(logStd[rowBase + a]);
                    gradMean[rowBase + a] += gU;
                    gradLogStd[rowBase + a] += gU * std * noise[base + a] - gLogProb;
                }
            }
        }
    }

    /**
     * Log-probability of given actions (one per row), e.g. dataset actions for behaviour cloning, with
     * its gradient. Actions are divided by {@code maxAction} and clipped to {@code ±(1 − 1e-6)} before
     * {@code atanh}, so boundary actions give a large but finite log-probability.
     *
     * @param gradScale   dL/d log π for every row (e.g. {@code −1/B}); 0 skips the gradient
     * @return the sum of the rows' log-probabilities
     */
    public static double logProbOfActions(double[] mean, double[] logStd, int rows, int actionDim,
                                          double[] actions, double maxAction, double gradScale,
                                          double[] gradMean, double[] gradLogStd) {
        double total = 0.0;
        double limit = 1.0 - 1e-6;
        for (int r = 0; r < rows; r++) {
            int base = r * actionDim;
            for (int a = 0; a < actionDim; a++) {
                double y = Math.max(-limit, Math.min(limit, actions[base + a] / maxAction));
                double u = 0.5 * (Math.log1p(y) - Math.log1p(-y));
                double m = mean[base + a];
                double std = Math.exp(logStd[base + a]);
                double z = u - m;
                double var = std * std;
                total += -(z * z) / (2.0 * var) - Math.log(std) - LOG_SQRT_2PI - logDetTanh(u);
                if (gradScale != 0.0) {
                    gradMean[base + a] += gradScale * z / var;
                    gradLogStd[base + a] += gradScale * (z * z / var - 1.0);
                }
            }
        }
        return total;
    }

    /**
     * {@code log π(a|s)} of one action under the tanh-Gaussian at row offset {@code rowBase}, as d3rlpy's
     * {@code SquashedGaussianDistribution.log_prob} takes it: {@code y = a/maxAction} clipped to
     * {@code ±(1 − 1e-6)}, {@code u = atanh y}, {@code Σ [log N(u; μ, σ) − log(1 − tanh² u)]}; with {@code grad}
     * non-null, {@code ∂ log π/∂a} is written to {@code grad[gradBase ..]} (0 where the clip binds).
     */
    public static double logDensity(double[] mean, double[] logStd, int rowBase, double[] actions, int base,
                                    int actionDim, double maxAction, double[] grad, int gradBase) {
        double clip = 1.0 - 1e-6;
        double total = 0.0;
        for (int a = 0; a < actionDim; a++) {
            double raw = actions[base + a] / maxAction;
            boolean clipped = raw > clip || raw < -clip;
            double y = Math.max(-clip, Math.min(clip, raw));
            double u = 0.5 * (Math.log1p(y) - Math.log1p(-y));
            double m = mean[rowBase + a];
            double std = Math.exp(logStd[rowBase + a]);
            double z = u - m;
            double var = std * std;
            total += -(z * z) / (2.0 * var) - Math.log(std) - LOG_SQRT_2PI - logDetTanh(u);
            if (grad != null) {
                grad[gradBase + a] = clipped ? 0.0 : (-z / var + 2.0 * Math.tanh(u)) / ((1.0 - y * y) * maxAction);
            }
        }
        return total;
    }

    /** {@code min over ± of Σ_a [log N(μ ± βσ; μ, σ) − log(1 − tanh²(μ ± βσ))]} for the row at {@code rowBase}. */
    public static double floor(double[] mean, double[] logStd, int rowBase, int actionDim, double beta) {
        double plus = 0.0;
        double minus = 0.0;
        for (int a = 0; a < actionDim; a++) {
            double m = mean[rowBase + a];
            double std = Math.exp(logStd[rowBase + a]);
            double var = std * std;
            double logStdValue = Math.log(std);
            double up = m + beta * std;
            double down = m - beta * std;
            double zu = up - m;
            double zd = down - m;
            plus += -(zu * zu) / (2.0 * var) - logStdValue - LOG_SQRT_2PI - logDetTanh(up);
            minus += -(zd * zd) / (2.0 * var) - logStdValue - LOG_SQRT_2PI - logDetTanh(down);
        }
        return Math.min(plus, minus);
    }
}
