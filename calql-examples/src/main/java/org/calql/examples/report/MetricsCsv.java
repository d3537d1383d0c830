package org.calql.examples.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes evaluation rows as {@code metrics.csv}: a header and one row per evaluation; NaN is an empty cell, other numbers have six significant digits. */
public final class MetricsCsv {
    /** The header line. */
    public static final String HEADER =
            "method,seed,phase,step,return,success,q_start,realised_return,bound_rate,cumulative_regret";

    private MetricsCsv() {
    }

    /** The CSV text of {@code rows} (with a header and a final newline). */
    public static String format(List<EvaluationRow> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (EvaluationRow r : rows) {
            sb.append(quote(r.method())).append(',')
                    .append(r.seed()).append(',')
                    .append(r.phase().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(r.step()).append(',')
                    .append(number(r.averageReturn())).append(',')
                    .append(number(r.successRate())).append(',')
                    .append(number(r.startQ())).append(',')
                    .append(number(r.realisedReturn())).append(',')
                    .append(number(r.boundRate())).append(',')
                    .append(number(r.cumulativeRegret())).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code rows} to {@code file} atomically. */
    public static void write(Path file, List<EvaluationRow> rows) throws IOException {
        AtomicFiles.writeString(file, format(rows));
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0.0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
