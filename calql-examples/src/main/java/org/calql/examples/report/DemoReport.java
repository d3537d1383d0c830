package org.calql.examples.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a summary of a comparison shows: how it was run, the data, and each run's outcome.
 *
 * @param title       heading of the summary
 * @param command     the exact command line
 * @param settings    setting name → value, in display order
 * @param dataset     facts about the offline data
 * @param methods     method labels in display order
 * @param outcomes    every run's outcome
 * @param wallSeconds wall time of the whole comparison
 */
public record DemoReport(String title, String command, Map<String, String> settings, DatasetFacts dataset,
                         List<String> methods, List<RunOutcome> outcomes, double wallSeconds) {
    /** Copies the collections. */
    public DemoReport {
        settings = new LinkedHashMap<>(settings);
        methods = List.copyOf(methods);
        outcomes = List.copyOf(outcomes);
    }

    /** The outcomes of one method, in order. */
    public List<RunOutcome> outcomesOf(String method) {
        List<RunOutcome> out = new ArrayList<>();
        for (RunOutcome o : outcomes) {
            if (o.method().equals(method)) {
                out.add(o);
            }
        }
        return out;
    }

    /** Every evaluation row of every run, in run order. */
    public List<EvaluationRow> allRows() {
        List<EvaluationRow> rows = new ArrayList<>();
        for (RunOutcome o : outcomes) {
            rows.addAll(o.rows());
        }
        return rows;
    }
}
