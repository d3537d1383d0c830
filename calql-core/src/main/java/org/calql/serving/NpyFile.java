package org.calql.serving;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array of floats: read from format 1.0, 2.0 or 3.0 ({@code float32} or {@code float64},
 * either byte order, C order), written as format 1.0, little-endian, C order, the header padded so the data starts
 * on a 64-byte boundary (what {@code numpy.save} writes). Values are held as {@code double}; a {@code float32}
 * file is widened exactly and narrowed on write. Immutable.
 *
 * <p>Reading checks the magic, the version, the header's length, its {@code descr} (a float type), its
 * {@code fortran_order} ({@code False} only) and its {@code shape} (non-negative, at most
 * {@link Integer#MAX_VALUE} − 8 values), and that the file holds exactly the data the shape needs, before it
 * allocates the values; a failure is an {@link IOException} naming the file, the field, the value and the rule.
 */
public final class NpyFile {
    /** The element type of a {@code .npy} file. */
    public enum DType {
        /** {@code <f4}, IEEE single precision. */
        FLOAT32(4, "<f4"),
        /** {@code <f8}, IEEE double precision. */
        FLOAT64(8, "<f8");

        private final int bytes;
        private final String descr;

        DType(int bytes, String descr) {
            this.bytes = bytes;
            this.descr = descr;
        }

        /** Bytes per value. */
        public int bytes() {
            return bytes;
        }

        /** The little-endian {@code descr} string NumPy writes for it. */
        public String descr() {
            return descr;
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final int[] shape;
    private final double[] values;
    private final DType dtype;

    private NpyFile(int[] shape, double[] values, DType dtype) {
        this.shape = shape;
        this.values = values;
        this.dtype = dtype;
    }

    /** The shape (a copy); {@code []} for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The values in C order (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The element type the file had. */
    public DType dtype() {
        return dtype;
    }

    /** Number of values, the product of the shape. */
    public int size() {
        return values.length;
    }

    /**
     * Reads a {@code .npy} file of floats.
     *
     * @throws IOException naming the file and the rule it breaks
     */
    public static NpyFile read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": " + size + " bytes, more than the " + (Integer.MAX_VALUE - 8)
                    + " a .npy file read here may have");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static NpyFile parse(byte[] bytes) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException("not a .npy file (no \\x93NUMPY magic at the start)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IllegalArgumentException("file ends inside the header length (" + bytes.length + " bytes)");
            }
            headerLength = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new IllegalArgumentException("format version " + major + "." + (bytes[7] & 0xff)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerLength > MAX_HEADER || start + headerLength > bytes.length) {
            throw new IllegalArgumentException("header length " + headerLength + " must fit in the file's "
                    + (bytes.length - start) + " remaining bytes (and at most " + MAX_HEADER + ")");
        }
        String header = new String(bytes, start, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            throw new IllegalArgumentException("header has no 'descr': " + header.trim());
        }
        String descr = d.group(1);
        DType dtype;
        ByteOrder order;
        switch (descr) {
            case "<f4", "=f4" -> {
                dtype = DType.FLOAT32;
                order = ByteOrder.LITTLE_ENDIAN;
            }
            case ">f4" -> {
                dtype = DType.FLOAT32;
                order = ByteOrder.BIG_ENDIAN;
            }
            case "<f8", "=f8" -> {
                dtype = DType.FLOAT64;
                order = ByteOrder.LITTLE_ENDIAN;
            }
            case ">f8" -> {
                dtype = DType.FLOAT64;
                order = ByteOrder.BIG_ENDIAN;
            }
            default -> throw new IllegalArgumentException("descr must be a float type (<f4, >f4, <f8 or >f8), found '"
                    + descr + "'");
        }
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new IllegalArgumentException("header has no 'fortran_order': " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IllegalArgumentException("fortran_order must be False (C order), found True");
        }
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new IllegalArgumentException("header has no 'shape': " + header.trim());
        }
        int[] shape = parseShape(s.group(1));
        long count = 1;
        for (int dim : shape) {
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " values");
            }
        }
        long data = bytes.length - start - headerLength;
        if (data != count * dtype.bytes) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + descr + " needs "
                    + count * dtype.bytes + " data bytes, found " + data);
        }
        double[] values = new double[(int) count];
        ByteBuffer v = ByteBuffer.wrap(bytes, start + (int) headerLength, (int) data).slice().order(order);
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < values.length; i++) {
                values[i] = v.getFloat(4 * i);
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = v.getDouble(8 * i);
            }
        }
        return new NpyFile(shape, values, dtype);
    }

    private static int[] parseShape(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",");
        int n = parts.length;
        if (parts[n - 1].isBlank()) {
            n--;
        }
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            String p = parts[i].trim().replace("L", "");
            try {
                long dim = Long.parseLong(p);
                if (dim < 0 || dim > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                shape[i] = (int) dim;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape (" + text + ") entry " + i
                        + " must be a non-negative int, found '" + parts[i].trim() + "'");
            }
        }
        return shape;
    }

    /**
     * Writes {@code values} (C order) with {@code shape} as a format 1.0 {@code .npy} file of {@code dtype}.
     *
     * @throws IllegalArgumentException if the shape has a negative entry or its product differs from
     *                                  {@code values.length}
     * @throws IOException              naming the file if it cannot be written
     */
    public static void write(Path file, int[] shape, double[] values, DType dtype) throws IOException {
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " must not be negative");
            }
            count *= dim;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, found " + values.length);
        }
        StringBuilder h = new StringBuilder("{'descr': '").append(dtype.descr)
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            h.append(shape[i]).append(shape.length == 1 ? "," : i < shape.length - 1 ? ", " : "");
        }
        h.append("), }");
        int unpadded = 10 + h.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        h.append(" ".repeat(padded - unpadded)).append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + values.length * dtype.bytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        if (dtype == DType.FLOAT32) {
            for (double v : values) {
                b.putFloat((float) v);
            }
        } else {
            for (double v : values) {
                b.putDouble(v);
            }
        }
        try {
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e, e);
        }
    }

    /** An array of {@code shape} holding {@code values} (both copied), typed {@code dtype}. */
    public static NpyFile of(int[] shape, double[] values, DType dtype) {
        long count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, found " + values.length);
        }
        return new NpyFile(shape.clone(), values.clone(), dtype);
    }

    /** Writes this array to {@code file} (see {@link #write(Path, int[], double[], DType)}). */
    public void write(Path file) throws IOException {
        write(file, shape, values, dtype);
    }
}
