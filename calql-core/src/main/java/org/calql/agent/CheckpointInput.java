package org.calql.agent;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A big-endian reader over one bounded region of a checkpoint (a v2 section, or the v1 body) that never reads
 * past it and checks every declared length against the bytes left in the region — and, where a layout is
 * known, against that layout — before allocating anything. Every failure is an {@link IOException} naming the
 * file, the section, the field, the value and the rule.
 */
final class CheckpointInput {
    /** What a double array must hold. */
    enum Values {
        /** Any finite value. */
        FINITE,
        /** Finite and at least 0 (Adam's second moments). */
        NON_NEGATIVE
    }

    private final DataInputStream in;
    private final Path file;
    private final String section;
    private long remaining;

    CheckpointInput(DataInputStream in, long length, Path file, String section) {
        this.in = in;
        this.remaining = length;
        this.file = file;
        this.section = section;
    }

    /** Bytes of the region not read yet. */
    long remaining() {
        return remaining;
    }

    /** An error naming the file and the section. */
    IOException error(String message) {
        return new IOException("checkpoint " + file + ": section '" + section + "': " + message);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private void need(long bytes, String field) throws IOException {
        if (bytes > remaining) {
            throw error(field + " needs " + count(bytes) + " bytes, the section has " + count(remaining)
                    + " bytes left");
        }
        remaining -= bytes;
    }

    int readInt(String field) throws IOException {
        need(4, field);
        return in.readInt();
    }

    long readLong(String field) throws IOException {
        need(8, field);
        return in.readLong();
    }

    double readDouble(String field) throws IOException {
        need(8, field);
        return in.readDouble();
    }

    /** A boolean written as one byte 0 or 1; anything else is refused. */
    boolean readBoolean(String field) throws IOException {
        need(1, field);
        int b = in.readUnsignedByte();
        if (b > 1) {
            throw error(field + " must be a boolean byte 0 or 1, found " + b);
        }
        return b == 1;
    }

    /** A finite double. */
    double readFinite(String field) throws IOException {
        double v = readDouble(field);
        if (!Double.isFinite(v)) {
            throw error(field + " must be finite, found " + v);
        }
        return v;
    }

    /** A long at least 0. */
    long readNonNegativeLong(String field) throws IOException {
        long v = readLong(field);
        if (v < 0) {
            throw error(field + " must not be negative, found " + v);
        }
        return v;
    }

    /** An int in {@code [min, max]}. */
    int readInt(String field, int min, int max) throws IOException {
        int v = readInt(field);
        if (v < min || v > max) {
            throw error(field + " must be in [" + min + ", " + count(max) + "], found " + count(v));
        }
        return v;
    }

    /** An int that must equal {@code expected}, which {@code source} (named in the message) implies. */
    int readExactInt(String field, int expected, String source) throws IOException {
        int v = readInt(field);
        if (v != expected) {
            throw error(field + " is " + count(v) + ", expected " + count(expected) + " (" + source + ")");
        }
        return v;
    }

    /** The rest of the region as UTF-8 text (at most {@code max} bytes). */
    String readText(String field, int max) throws IOException {
        if (remaining > max) {
            throw error(field + " holds " + count(remaining) + " bytes, at most " + count(max) + " are allowed");
        }
        byte[] b = new byte[(int) remaining];
        need(b.length, field);
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {@code n} raw bytes. */
    byte[] readBytes(String field, int n) throws IOException {
        checkCount(field, n, 1);
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** {@code n} doubles without a length prefix, each checked against {@code rule}. */
    double[] readDoubles(String field, long n, Values rule) throws IOException {
        checkCount(field, n, 8);
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            double x = in.readDouble();
            if (!Double.isFinite(x) || (rule == Values.NON_NEGATIVE && x < 0.0)) {
                throw error(field + "[" + i + "] must be " + (rule == Values.NON_NEGATIVE ? "finite and >= 0"
                        : "finite") + ", found " + x);
            }
            v[i] = x;
        }
        return v;
    }

    /** {@code n} finite floats without a length prefix. */
    float[] readFloats(String field, long n) throws IOException {
        checkCount(field, n, 4);
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            float x = in.readFloat();
            if (!Float.isFinite(x)) {
                throw error(field + "[" + i + "] must be finite, found " + x);
            }
            v[i] = x;
        }
        return v;
    }

    /** {@code n} booleans (bytes 0 or 1) without a length prefix. */
    boolean[] readBooleans(String field, long n) throws IOException {
        checkCount(field, n, 1);
        boolean[] v = new boolean[(int) n];
        for (int i = 0; i < v.length; i++) {
            int b = in.readUnsignedByte();
            if (b > 1) {
                throw error(field + "[" + i + "] must be a boolean byte 0 or 1, found " + b);
            }
            v[i] = b == 1;
        }
        return v;
    }

    /** {@code n} longs without a length prefix. */
    long[] readLongs(String field, int n) throws IOException {
        checkCount(field, n, 8);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readLong();
        }
        return v;
    }

    /**
     * Arrays written as {@code int count, then per array int length and the values}, whose count and lengths must
     * equal {@code layout}'s (the fresh model's own arrays, which the config implies).
     */
    double[][] readArrays(String field, double[][] layout, Values rule) throws IOException {
        readExactInt(field + " array count", layout.length, "the config's layout");
        double[][] arrays = new double[layout.length][];
        for (int i = 0; i < layout.length; i++) {
            String name = field + " array " + i;
            int n = readInt(name + " length");
            if (n < 0 || 8L * n > remaining) {
                throw error(name + " declares " + count(n) + " values (" + count(8L * n) + " bytes), the section has "
                        + count(remaining) + " bytes left");
            }
            if (n != layout[i].length) {
                throw error(name + " declares " + count(n) + " values, the config's layout has "
                        + count(layout[i].length));
            }
            arrays[i] = readDoubles(name, n, rule);
        }
        return arrays;
    }

    /** Checks that {@code n} values of {@code width} bytes fit in an array and in the bytes left, then claims them. */
    private void checkCount(String field, long n, int width) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw error(field + " declares " + count(n) + " values, more than a Java array holds");
        }
        if (n * width > remaining) {
            throw error(field + " declares " + count(n) + " values (" + count(n * width) + " bytes), the section has "
                    + count(remaining) + " bytes left");
        }
        remaining -= n * width;
    }

    /** Fails unless every byte of the region was read. */
    void requireEnd() throws IOException {
        if (remaining != 0) {
            throw error(count(remaining) + " bytes are left unread after its last field");
        }
    }

    /** Reads a declared length where EOF means the file lied about its size (it cannot after the checksum). */
    static IOException unexpectedEnd(Path file, EOFException e) {
        return new IOException("checkpoint " + file + " ended before its declared length", e);
    }
}
