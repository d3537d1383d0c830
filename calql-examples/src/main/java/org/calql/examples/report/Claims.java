package org.calql.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The paper's two claims, checked against a comparison's numbers: each part "shows" only where the 95% intervals
 * over seeds separate (or, for a sign, where the interval lies on that side of 0); otherwise it "does not show",
 * with the numbers. Claims need the methods {@code calql} and {@code cql}; other methods are not judged.
 *
 * <ol>
 *   <li>After pre-training Cal-QL's Q is calibrated: at or above the reference's value (the data's Monte-Carlo
 *       return) and on the scale of the realised return, while CQL's is far below.</li>
 *   <li>Cal-QL does not unlearn at the start of fine-tuning and has lower cumulative regret.</li>
 * </ol>
 */
public final class Claims {
    /** Label of Cal-QL runs. */
    public static final String CALQL = "calql";
    /** Label of CQL runs. */
    public static final String CQL = "cql";

    /**
     * One checked statement.
     *
     * @param claim    which of the paper's claims it belongs to (1 or 2)
     * @param text     the statement
     * @param shows    whether the intervals support it
     * @param evidence the numbers it was judged on
     */
    public record Claim(int claim, String text, boolean shows, String evidence) {
    }

    private Claims() {
    }

    /** The checked statements, or an empty list when Cal-QL or CQL is missing. */
    public static List<Claim> check(List<MethodSummary> summaries) {
        MethodSummary cal = find(summaries, CALQL);
        MethodSummary cql = find(summaries, CQL);
        List<Claim> out = new ArrayList<>();
        if (cal == null || cql == null) {
            return out;
        }
        out.add(compare(1, "Cal-QL's Q − data return lies above CQL's (Q at the data's episode starts after "
                + "pre-training, minus their Monte-Carlo return)", cal, cql, MethodSummary::datasetGap, 1, true));
        Stats cqlGap = cql.datasetGap();
        out.add(new Claim(1, "CQL's Q lies below the data's return (interval of Q − data return below 0)",
                cqlGap.count() > 0 && cqlGap.hi() < 0, "CQL " + cqlGap.format(1)));
        Stats calGap = cal.datasetGap();
        out.add(new Claim(1, "Cal-QL's Q is not below the data's return (interval of Q − data return reaches 0 or "
                + "above)", calGap.count() > 0 && calGap.hi() >= 0, "Cal-QL " + calGap.format(1)));
        out.add(compare(1, "Cal-QL's Q at evaluation starts is closer to its policy's realised return than CQL's "
                + "(absolute Q − realised, end of pre-training)", cal, cql, MethodSummary::pretrainedQMiss, 1, false));
        out.add(compare(2, "Cal-QL's lowest success in early fine-tuning lies above CQL's", cal, cql,
                MethodSummary::earlyMinSuccess, 2, true));
        Stats change = cal.earlyChange();
        out.add(new Claim(2, "Cal-QL does not unlearn: the interval of its change from its pre-trained success in "
                + "early fine-tuning reaches 0 or above", change.count() > 0 && change.hi() >= 0,
                "Cal-QL " + percentPoints(change) + " points (CQL " + percentPoints(cql.earlyChange()) + ")"));
        out.add(compare(2, "Cal-QL's cumulative regret lies below CQL's", cal, cql,
                MethodSummary::cumulativeRegret, 3, false));
        return out;
    }

    /** Cal-QL's interval above ({@code higher}) or below CQL's. */
    private static Claim compare(int claim, String text, MethodSummary cal, MethodSummary cql,
                                 Function<MethodSummary, Stats> value, int decimals, boolean higher) {
        Stats a = value.apply(cal);
        Stats b = value.apply(cql);
        boolean shows = higher ? a.above(b) : b.above(a);
        String evidence = decimals == 2 ? "Cal-QL " + percentPoints(a) + ", CQL " + percentPoints(b)
                : decimals == 3 ? "Cal-QL " + a.format(3, 0.0, 1.0) + ", CQL " + b.format(3, 0.0, 1.0)
                : "Cal-QL " + a.format(decimals) + ", CQL " + b.format(decimals);
        return new Claim(claim, text, shows, evidence);
    }

    /** Fractions as percent or percentage points, {@code mean [lo, hi]}. */
    static String percentPoints(Stats s) {
        if (s.count() == 0) {
            return "—";
        }
        return Stats.number(100 * s.mean(), 0) + " [" + Stats.number(100 * s.lo(), 0) + ", "
                + Stats.number(100 * s.hi(), 0) + "]";
    }

    private static MethodSummary find(List<MethodSummary> summaries, String method) {
        for (MethodSummary s : summaries) {
            if (s.method().equals(method)) {
                return s;
            }
        }
        return null;
    }
}
