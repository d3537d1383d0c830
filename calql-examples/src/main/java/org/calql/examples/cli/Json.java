package org.calql.examples.cli;

import java.math.BigDecimal;

/** A tiny writer of one JSON object with numbers, booleans, strings, integer arrays and nested objects, in insertion order. */
final class Json {
    private final StringBuilder sb = new StringBuilder("{");
    private boolean first = true;

    Json put(String key, String value) {
        key(key);
        if (value == null) {
            sb.append("null");
        } else {
            string(value);
        }
        return this;
    }

    Json put(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    /** A number; NaN and infinities, which JSON lacks, become null. */
    Json put(String key, double value) {
        key(key);
        sb.append(Double.isFinite(value) ? number(value) : "null");
        return this;
    }

    Json put(String key, int[] values) {
        key(key);
        sb.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values[i]);
        }
        sb.append(']');
        return this;
    }

    Json put(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    /** A nested object of string values, in the map's order. */
    Json put(String key, java.util.Map<String, String> values) {
        Json nested = new Json();
        values.forEach(nested::put);
        return put(key, nested);
    }

    /** A nested object. */
    Json put(String key, Json value) {
        key(key);
        sb.append(value);
        return this;
    }

    /** An array of objects. */
    Json put(String key, java.util.List<Json> values) {
        key(key);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values.get(i));
        }
        sb.append(']');
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    private void key(String key) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        string(key);
        sb.append(':');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).toString();
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
