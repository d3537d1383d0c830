package org.calql.examples.report;

import java.util.Locale;

/** Mean and sample standard deviation over the finite values of an array, and their text form. */
public record Stats(double mean, double sd, int count) {

    /** The statistics of the finite entries of {@code values} (NaN mean when there are none). */
    public static Stats of(double... values) {
        int n = 0;
        double sum = 0.0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new Stats(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        double ss = 0.0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new Stats(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0, n);
    }

    /** {@code mean ± sd} with {@code decimals} decimals, or an em dash when there is no value. */
    public String format(int decimals) {
        if (count == 0) {
            return "—";
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " ± " + f, mean, sd);
    }

    /** {@code mean ± sd} of fractions shown as percentages. */
    public String formatPercent() {
        if (count == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f%% ± %.0f", 100 * mean, 100 * sd);
    }
}
