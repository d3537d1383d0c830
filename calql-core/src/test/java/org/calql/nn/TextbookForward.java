package org.calql.nn;

import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/**
 * The forward pass by its definition, written from the formulas, and a running (first-order) bound on how far a
 * double-precision evaluation of it may lie from the exact real-number result, whatever the order of its sums:
 * what two correct implementations of the same formula may differ by is at most twice the bound.
 *
 * <p>The definition: {@code z = x·Wᵀ + b} per layer with dot products; per hidden layer and row, when the spec has
 * LayerNorm, {@code u = γ·(z − μ)/√(σ² + ε) + β} with {@code μ = Σz/n}, {@code σ² = Σ(z − μ)²/n}; then the
 * activation ({@code max(u, 0)}, {@code tanh u}, {@code u > 0 ? u : eᵘ − 1}, {@code u/(1 + e⁻ᵘ)}).
 *
 * <p>The bound: standard forward error analysis with unit roundoff {@code u = 2⁻⁵³} and
 * {@code γ(k) = k·u/(1 − k·u)}, the bound {@code E} carried per value, layer by layer:
 * <ul>
 *   <li>linear {@code z = b + Σᵢ wᵢ·xᵢ}: {@code E_z ≤ Σᵢ |wᵢ|·E_xᵢ + γ(n + 1)·(|b| + Σᵢ |wᵢ|·|xᵢ|)};</li>
 *   <li>LayerNorm: the error of the mean, of each centred value {@code c = z − μ}, of the variance, of
 *       {@code σ = √(var + ε)} and of {@code c/σ} in turn. Its condition is {@code |z|/σ}: when a row's
 *       variance is small next to ε, an ulp of {@code z} becomes {@code |z|·u/√ε} of the output, far above the
 *       output's own ulp. This is why a tolerance relative to the output alone cannot hold;</li>
 *   <li>activations: Lipschitz constant times the input's bound ({@code 1}, and {@code 1.1} for SiLU) plus
 *       the library functions' error ({@code Math.tanh} 2.5 ulps, {@code Math.exp}/{@code expm1} 1 ulp; an
 *       ulp is at most {@code 2u} relative).</li>
 * </ul>
 * The computed values stand in for the exact ones in the bound's terms (first order).
 */
final class TextbookForward {
    private static final double U = 0x1p-53;

    /** The outputs {@code [rows, outputDim]} and the rounding bound of each. */
    record Result(double[] output, double[] roundingBound) {
    }

    private TextbookForward() {
    }

    private static double gamma(int k) {
        return k * U / (1.0 - k * U);
    }

    /** The forward pass of {@code input} ({@code [rows, inputDim]}) with its rounding bound. */
    static Result evaluate(NetworkSpec spec, double[][] params, double[] input, int rows) {
        double[] x = input;
        double[] e = new double[input.length];
        for (int l = 0; l < spec.layerCount(); l++) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            boolean hidden = l < spec.layerCount() - 1;
            double[] w = params[spec.weightArray(l)];
            double[] b = params[spec.biasArray(l)];
            double[] y = new double[rows * out];
            double[] ey = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                double[] z = new double[out];
                double[] ez = new double[out];
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    double magnitude = Math.abs(b[o]);
                    double propagated = 0.0;
                    for (int i = 0; i < in; i++) {
                        s += x[r * in + i] * w[o * in + i];
                        magnitude += Math.abs(x[r * in + i] * w[o * in + i]);
                        propagated += Math.abs(w[o * in + i]) * e[r * in + i];
                    }
                    z[o] = s;
                    ez[o] = propagated + gamma(in + 1) * magnitude;
                }
                if (hidden && spec.layerNorm()) {
                    layerNorm(z, ez, params[spec.gainArray(l)], params[spec.shiftArray(l)],
                            spec.layerNormEpsilon());
                }
                for (int o = 0; o < out; o++) {
                    y[r * out + o] = hidden ? activation(spec.activation(), z[o]) : z[o];
                    ey[r * out + o] = hidden ? activationBound(spec.activation(), z[o], y[r * out + o], ez[o]) : ez[o];
                }
            }
            x = y;
            e = ey;
        }
        return new Result(x, e);
    }

    /** One row in place: {@code z ← γ·(z − μ)/√(var + ε) + β}, {@code ez ←} its bound. */
    private static void layerNorm(double[] z, double[] ez, double[] gain, double[] shift, double epsilon) {
        int n = z.length;
        double mean = 0.0;
        double magnitude = 0.0;
        double meanOfBounds = 0.0;
        for (int j = 0; j < n; j++) {
            mean += z[j];
            magnitude += Math.abs(z[j]);
            meanOfBounds += ez[j];
        }
        mean /= n;
        double meanBound = meanOfBounds / n + gamma(n + 1) * magnitude / n;
        double[] c = new double[n];
        double[] ec = new double[n];
        double variance = 0.0;
        double varianceBound = 0.0;
        for (int j = 0; j < n; j++) {
            c[j] = z[j] - mean;
            ec[j] = ez[j] + meanBound + U * Math.abs(c[j]);
            variance += c[j] * c[j];
            varianceBound += 2.0 * Math.abs(c[j]) * ec[j] + ec[j] * ec[j];
        }
        variance /= n;
        varianceBound = varianceBound / n + gamma(n + 2) * variance;
        double shifted = variance + epsilon;
        double shiftedBound = varianceBound + U * shifted;
        double sigma = Math.sqrt(shifted);
        // |√a − √b| ≤ |a − b|/√a, so √(var + ε) is off by at most shiftedBound/σ, plus the square root's rounding
        double sigmaRelative = shiftedBound / shifted + U;
        for (int j = 0; j < n; j++) {
            double xhat = c[j] / sigma;
            double xhatBound = ec[j] / sigma + Math.abs(xhat) * (sigmaRelative + 3 * U);
            z[j] = gain[j] * c[j] / sigma + shift[j];
            ez[j] = Math.abs(gain[j]) * xhatBound + gamma(4) * (Math.abs(gain[j] * xhat) + Math.abs(shift[j]));
        }
    }

    private static double activation(Activation activation, double u) {
        return switch (activation) {
            case RELU -> Math.max(u, 0.0);
            case TANH -> Math.tanh(u);
            case ELU -> u > 0.0 ? u : Math.exp(u) - 1.0;
            case SILU -> u / (1.0 + Math.exp(-u));
        };
    }

    /** {@code a = f(u)} where {@code u} is off by at most {@code eu}. */
    private static double activationBound(Activation activation, double u, double a, double eu) {
        return switch (activation) {
            case RELU -> eu;
            case TANH -> eu + 5 * U * Math.abs(a);
            // eᵘ − 1 (or expm1): the exponential's ulp, then the subtraction's
            case ELU -> u > 0.0 ? eu : eu + 2 * U * Math.exp(u) + 2 * U * Math.abs(a);
            // sup |silu'| = 1.0998; exp's ulp, the sum and the division: at most 5u relative
            case SILU -> 1.1 * eu + 5 * U * Math.abs(a);
        };
    }
}
