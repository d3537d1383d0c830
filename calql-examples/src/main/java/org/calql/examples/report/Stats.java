package org.calql.examples.report;

import java.util.Locale;

/**
 * Mean, sample standard deviation and range over the finite values of an array (one value per seed), with the
 * 95% Student-t interval of the mean, {@code mean ± t(0.975, n−1)·sd/√n}, and their text form. The interval
 * assumes the seeds' values are independent draws; with one value it is that value alone.
 *
 * @param mean  mean of the finite values (NaN when there are none)
 * @param sd    sample standard deviation ({@code n − 1} in the denominator; 0 for one value)
 * @param count finite values
 * @param min   smallest finite value
 * @param max   largest finite value
 */
public record Stats(double mean, double sd, int count, double min, double max) {
    /** Two-sided 95% quantiles {@code t(0.975, df)} for df = 1..30; beyond, the normal 1.96 (error below 2%). */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /** The statistics of the finite entries of {@code values} (NaN mean when there are none). */
    public static Stats of(double... values) {
        int n = 0;
        double sum = 0.0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (n == 0) {
            return new Stats(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        double ss = 0.0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new Stats(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0, n, min, max);
    }

    /** {@code t(0.975, df)}: the two-sided 95% quantile of Student's t with {@code df ≥ 1} degrees of freedom. */
    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, found " + df);
        }
        return df <= T975.length ? T975[df - 1] : 1.96;
    }

    /** Half-width of the 95% t-interval, {@code t(0.975, n−1)·sd/√n} (0 for one value, NaN for none). */
    public double halfWidth() {
        if (count == 0) {
            return Double.NaN;
        }
        return count == 1 ? 0.0 : t975(count - 1) * sd / Math.sqrt(count);
    }

    /** Lower end of the 95% t-interval of the mean. */
    public double lo() {
        return mean - halfWidth();
    }

    /** Upper end of the 95% t-interval of the mean. */
    public double hi() {
        return mean + halfWidth();
    }

    /** Whether this interval lies wholly above {@code other}'s: {@code lo > other.hi}. */
    public boolean above(Stats other) {
        return count > 0 && other.count > 0 && lo() > other.hi();
    }

    /** {@code mean [lo, hi]} with {@code decimals} decimals and a true minus sign, or an em dash without values. */
    public String format(int decimals) {
        if (count == 0) {
            return "—";
        }
        return number(mean, decimals) + " [" + number(lo(), decimals) + ", " + number(hi(), decimals) + "]";
    }

    /** {@code mean [lo, hi]} of a quantity bounded to {@code [floor, ceiling]}, the interval clipped to it. */
    public String format(int decimals, double floor, double ceiling) {
        if (count == 0) {
            return "—";
        }
        return number(mean, decimals) + " [" + number(Math.max(floor, lo()), decimals) + ", "
                + number(Math.min(ceiling, hi()), decimals) + "]";
    }

    /** {@code mean [lo, hi]} of fractions in [0, 1] as percentages, the interval clipped to [0%, 100%]. */
    public String formatPercent() {
        if (count == 0) {
            return "—";
        }
        double lo = Math.max(0.0, lo());
        double hi = Math.min(1.0, hi());
        return number(100 * mean, 0) + "% [" + number(100 * lo, 0) + ", " + number(100 * hi, 0) + "]";
    }

    /** {@code x} with {@code decimals} decimals, negative with U+2212 (−), never {@code -0}. */
    static String number(double x, int decimals) {
        if (Double.isNaN(x)) {
            return "—";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", x);
        if (s.startsWith("-")) {
            String digits = s.substring(1);
            return digits.matches("[0.]*") ? digits : "−" + digits;
        }
        return s;
    }
}
