package org.calql.examples.report;

/** Display names of method labels: {@code calql} → Cal-QL, {@code cql} → CQL, {@code aca} → ACA, anything else unchanged. */
public final class MethodLabels {
    private MethodLabels() {
    }

    /** The name to show a person for a method label. */
    public static String display(String label) {
        return switch (label) {
            case "calql" -> "Cal-QL";
            case "cql" -> "CQL";
            case "aca" -> "ACA";
            default -> label;
        };
    }
}
