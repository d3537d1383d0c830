package org.calql.config;

/** Validation rules of {@link CalQlConfig}; each message names the field, the value and the rule. */
final class Checks {
    private Checks() {
    }

    static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, found " + value);
        }
    }

    static void nonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, found " + value);
        }
    }

    static void atLeast2(String field, int value) {
        if (value < 2) {
            throw new IllegalArgumentException(field + " must be at least 2, found " + value);
        }
    }

    static void hidden(String field, int[] widths) {
        if (widths == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (widths.length == 0) {
            throw new IllegalArgumentException(field + " must name at least one hidden layer, found []");
        }
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= 0) {
                throw new IllegalArgumentException(field + "[" + i + "] must be positive, found " + widths[i]);
            }
        }
    }

    static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite, found " + value);
        }
    }

    static void positiveFinite(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be positive and finite, found " + value);
        }
    }

    static void nonNegativeFinite(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and not negative, found " + value);
        }
    }

    static void discount(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must lie in [0, 1), found " + value);
        }
    }

    static void tau(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must lie in (0, 1], found " + value);
        }
    }

    static void nonNull(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }

    static void atMost(String field, double value, double max, String why) {
        if (value > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " (" + why + "), found " + value);
        }
    }

    static void magnitudeAtMost(String field, double value, double max, String why) {
        if (Math.abs(value) > max) {
            throw new IllegalArgumentException(field + " must lie in [" + -max + ", " + max + "] (" + why
                    + "), found " + value);
        }
    }

    static void atMost(String field, int value, int max, String why) {
        if (value > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " (" + why + "), found " + value);
        }
    }

    static void layers(String field, int[] widths) {
        if (widths.length > Limits.MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException(field + " must have at most " + Limits.MAX_HIDDEN_LAYERS
                    + " hidden layers (Limits.MAX_HIDDEN_LAYERS), found " + widths.length);
        }
    }
}
