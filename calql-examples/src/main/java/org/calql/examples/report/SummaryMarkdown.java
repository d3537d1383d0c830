package org.calql.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Writes {@code summary.md}: the comparison's numbers as tables for a person, with the command and settings. */
public final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    /** Writes the summary of {@code report} to {@code file} atomically. */
    public static void write(Path file, DemoReport report) throws IOException {
        AtomicFiles.writeString(file, format(report));
    }

    /** The Markdown text of the summary. */
    public static String format(DemoReport report) {
        List<MethodSummary> summaries = new ArrayList<>();
        for (String m : report.methods()) {
            summaries.add(MethodSummary.of(m, report.outcomesOf(m), MethodSummary.EARLY_FRACTION));
        }
        int seeds = summaries.isEmpty() ? 0 : summaries.get(0).runs();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(report.title()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d seed%s per method; wall time %.0f s. Every number is the mean over "
                + "seeds and, in brackets, its 95%% Student-t interval (mean ± t(0.975, n−1)·sd/√n; success rates "
                + "and regret clipped to their range). A change below 0 is a drop.%n%n", seeds, seeds == 1 ? "" : "s",
                report.wallSeconds()));

        sb.append("## Claims\n\n");
        List<Claims.Claim> claims = Claims.check(summaries);
        if (claims.isEmpty()) {
            sb.append("The paper's claims compare Cal-QL with CQL; run both (--methods calql,cql) to check them.\n\n");
        } else {
            sb.append("A statement shows only where the 95% intervals separate; otherwise it does not show, and the "
                    + "numbers say by how much.\n\n");
            sb.append("| claim | statement | verdict | numbers |\n|---|---|---|---|\n");
            for (Claims.Claim c : claims) {
                sb.append("| ").append(c.claim()).append(" | ").append(c.text()).append(" | ")
                        .append(c.shows() ? "**shows**" : "does not show").append(" | ").append(c.evidence())
                        .append(" |\n");
            }
            sb.append('\n');
            for (int k = 1; k <= 2; k++) {
                int part = k;
                boolean all = claims.stream().filter(c -> c.claim() == part).allMatch(Claims.Claim::shows);
                sb.append(k == 1 ? "Claim 1 (after pre-training Cal-QL's Q is calibrated, CQL's far below): "
                        : "Claim 2 (Cal-QL does not unlearn early in fine-tuning and has lower regret): ")
                        .append(all ? "shows in every part." : "does not show in every part (see the rows above).")
                        .append("\n\n");
            }
        }

        sb.append("## Results\n\n");
        sb.append("| | ").append(String.join(" | ", report.methods().stream().map(MethodLabels::display).toList()))
                .append(" |\n");
        sb.append("|---|").append("---|".repeat(report.methods().size())).append('\n');
        row(sb, "success at end of pre-training", summaries, s -> s.pretrainedSuccess().formatPercent());
        row(sb, "lowest success in early fine-tuning (first "
                + Math.round(100 * MethodSummary.EARLY_FRACTION) + "% of evaluations)", summaries,
                s -> s.earlyMinSuccess().formatPercent());
        row(sb, "change from the pre-trained success (points; negative: a drop)", summaries,
                s -> Claims.percentPoints(s.earlyChange()));
        row(sb, "success at end of fine-tuning", summaries, s -> s.finalSuccess().formatPercent());
        row(sb, "cumulative regret (mean 1 − success over training episodes)", summaries,
                s -> s.cumulativeRegret().format(3, 0.0, 1.0));
        row(sb, "Q(s₀, π(s₀)) at evaluation starts, end of pre-training", summaries,
                s -> s.pretrainedQ().format(1));
        row(sb, "realised discounted return from them, end of pre-training", summaries,
                s -> s.pretrainedRealised().format(1));
        row(sb, "Q − realised return, end of pre-training", summaries, s -> s.pretrainedQError().format(1));
        row(sb, "Q(s₀, π(s₀)) at evaluation starts, end of fine-tuning", summaries, s -> s.finetunedQ().format(1));
        row(sb, "realised discounted return from them, end of fine-tuning", summaries,
                s -> s.finetunedRealised().format(1));
        row(sb, "Q at the dataset's episode starts, end of pre-training", summaries, s -> s.datasetQ().format(1));
        row(sb, "Monte-Carlo return of the data at those states", summaries, s -> s.datasetReturn().format(1));
        row(sb, "Q − data return (≥ 0: at or above the behaviour's value)", summaries,
                s -> s.datasetGap().format(1));
        sb.append('\n');
        sb.append("Q-values and discounted returns are in the training reward scale (after the reward transform). ")
                .append("Success rates come from deterministic-policy evaluation episodes.\n\n");

        sb.append("## Per run\n\n");
        sb.append("| method | seed | success pre-trained | lowest early | change | success end | regret "
                + "| Q data starts | MC return | seconds |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String m : report.methods()) {
            for (RunOutcome o : report.outcomesOf(m)) {
                MethodSummary one = MethodSummary.of(m, List.of(o), MethodSummary.EARLY_FRACTION);
                sb.append("| ").append(MethodLabels.display(m)).append(" | ").append(o.seed())
                        .append(" | ").append(percent(one.pretrainedSuccess().mean()))
                        .append(" | ").append(percent(one.earlyMinSuccess().mean()))
                        .append(" | ").append(Stats.number(100 * one.earlyChange().mean(), 0))
                        .append(" | ").append(percent(one.finalSuccess().mean()))
                        .append(" | ").append(number(o.cumulativeRegret(), 3))
                        .append(" | ").append(number(o.datasetStartQ(), 1))
                        .append(" | ").append(number(o.datasetStartReturn(), 1))
                        .append(" | ").append(number(o.seconds(), 0)).append(" |\n");
            }
        }
        sb.append('\n');

        DatasetFacts d = report.dataset();
        if (d != null) {
            sb.append("## Dataset\n\n");
            sb.append("| | |\n|---|---|\n");
            sb.append("| transitions | ").append(d.transitions()).append(" |\n");
            sb.append("| episodes | ").append(d.episodes()).append(" |\n");
            sb.append("| terminal transitions | ").append(d.terminals()).append(" |\n");
            sb.append("| behaviour success rate | ").append(percent(d.behaviourSuccessRate())).append(" |\n");
            sb.append("| mean Monte-Carlo return at episode starts | ").append(number(d.meanStartReturn(), 1))
                    .append(" |\n\n");
        }

        sb.append("## How it was run\n\n");
        sb.append("```\n").append(report.command()).append("\n```\n\n");
        sb.append("| setting | value |\n|---|---|\n");
        for (Map.Entry<String, String> e : report.settings().entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(e.getValue().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, List<MethodSummary> summaries,
                            Function<MethodSummary, String> cell) {
        sb.append("| ").append(label);
        for (MethodSummary s : summaries) {
            sb.append(" | ").append(cell.apply(s));
        }
        sb.append(" |\n");
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String number(double v, int decimals) {
        return Stats.number(v, decimals);
    }
}
