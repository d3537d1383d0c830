package org.calql.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
 * little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON
 * {@code {"name": {"dtype": "F32", "shape": [out, in], "data_offsets": [begin, end]}, ..., "__metadata__":
 * {"key": "string", ...}}}, then the raw little-endian buffers, offsets counted from the end of the header.
 *
 * <p><b>What a read refuses</b>, each as an {@link IOException} naming the file and the key: a file shorter than
 * 8 bytes, a header length larger than the file (or over 100 MB), a header that is not a strict JSON object of
 * the form above (duplicate keys, floats, unknown fields in an entry), a dtype other than F16, BF16, F32 and F64,
 * a negative dimension, offsets out of order, outside the data or of a length other than
 * {@code product(shape) × dtype size}, two tensors whose bytes overlap, metadata values that are not strings, and
 * a value that is NaN or infinite. Gaps between buffers are allowed (as the format's readers allow padding).
 *
 * <p>Writes are F32 (PyTorch's default) or F64, the header padded with spaces to a multiple of 8 bytes as the
 * reference writer does, to a temporary file moved into place.
 */
public final class Safetensors {
    /** Largest header accepted, in bytes. */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    private static final String METADATA = "__metadata__";

    private Safetensors() {
    }

    /**
     * Writes {@code tensors} (in their map order) and {@code metadata} to {@code file}.
     *
     * @param dtype F32 or F64
     * @throws IOException              if the file cannot be written
     * @throws IllegalArgumentException if the dtype is not writable, a name is empty or {@code __metadata__}, or a
     *                                  value is not finite or overflows F32 (naming the key)
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata, DType dtype)
            throws IOException {
        byte[] bytes = encode(tensors, metadata, dtype);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The bytes {@link #write} writes. */
    static byte[] encode(Map<String, TensorData> tensors, Map<String, String> metadata, DType dtype) {
        if (dtype == null || !dtype.writable()) {
            throw new IllegalArgumentException("safetensors export writes F32 or F64, found " + dtype);
        }
        StringBuilder h = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            h.append(HeaderJson.quote(METADATA)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                h.append(first ? "" : ",").append(HeaderJson.quote(e.getKey())).append(':')
                        .append(HeaderJson.quote(e.getValue()));
                first = false;
            }
            h.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("tensor name must be non-empty and not " + METADATA + ", found \""
                        + name + "\"");
            }
            long length = (long) e.getValue().size() * dtype.bytes();
            h.append(h.length() > 1 ? "," : "").append(HeaderJson.quote(name)).append(":{\"dtype\":\"")
                    .append(dtype.name()).append("\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int i = 0; i < shape.length; i++) {
                h.append(i > 0 ? "," : "").append(shape[i]);
            }
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + length).append("]}");
            offset += length;
        }
        h.append('}');
        byte[] unpadded = h.toString().getBytes(StandardCharsets.UTF_8);
        h.append(" ".repeat((8 - unpadded.length % 8) % 8));
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        if (8L + header.length + offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors file would exceed 2 GB (" + offset + " data bytes)");
        }
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            double[] v = e.getValue().values();
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("tensor " + e.getKey() + " value " + i + " is " + x
                            + "; only finite values are written");
                }
                if (dtype == DType.F32) {
                    float f = (float) x;
                    if (Float.isInfinite(f)) {
                        throw new IllegalArgumentException("tensor " + e.getKey() + " value " + i + " = " + x
                                + " overflows F32; write F64");
                    }
                    out.putFloat(f);
                } else {
                    out.putDouble(x);
                }
            }
        }
        return out.array();
    }

    /**
     * Reads and validates {@code file} (see the class comment for every rule).
     *
     * @throws IOException naming the file, the key and the rule broken
     */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": not a safetensors file: " + size + " bytes, shorter than the 8-byte "
                        + "header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBytes, 0, file);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > size - 8) {
                throw new IOException(file + ": header length " + headerLength + " does not fit in the file of "
                        + size + " bytes (8 + header must not exceed the file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new IOException(file + ": header length " + headerLength + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            long dataLength = size - 8 - headerLength;
            if (dataLength > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + dataLength + " data bytes exceed the 2 GB a read accepts");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, 8, file);
            String headerText = StandardCharsets.UTF_8.newDecoder().decode(headerBytes.flip()).toString();
            ByteBuffer data = ByteBuffer.allocate((int) dataLength).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, data, 8 + headerLength, file);
            return decode(file, headerText, data);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": header is not valid UTF-8", e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position, Path file) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, at);
            if (n < 0) {
                throw new IOException(file + ": unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    private static SafetensorsFile decode(Path file, String headerText, ByteBuffer data) throws IOException {
        Object root;
        try {
            root = HeaderJson.parse(headerText);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException(file + ": header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw new IOException(file + ": key " + METADATA + " must be an object of strings");
                }
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s)) {
                        throw new IOException(file + ": metadata key " + me.getKey() + " must hold a string, found "
                                + me.getValue());
                    }
                    metadata.put((String) me.getKey(), s);
                }
                continue;
            }
            entries.add(entry(file, name, e.getValue(), data.capacity()));
        }
        entries.sort((a, b) -> Long.compare(a.begin, b.begin));
        for (int i = 1; i < entries.size(); i++) {
            Entry prev = entries.get(i - 1);
            Entry cur = entries.get(i);
            if (cur.begin < prev.end) {
                throw new IOException(file + ": key " + cur.name + " bytes [" + cur.begin + ", " + cur.end
                        + ") overlap key " + prev.name + " bytes [" + prev.begin + ", " + prev.end + ")");
            }
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (Entry en : entries) {
            ByteBuffer slice = data.slice((int) en.begin, (int) (en.end - en.begin)).order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) ((en.end - en.begin) / en.dtype.bytes())];
            for (int i = 0; i < values.length; i++) {
                double v = en.dtype.get(slice, i);
                if (!Double.isFinite(v)) {
                    throw new IOException(file + ": key " + en.name + " value " + i + " is " + v
                            + "; weights must be finite");
                }
                values[i] = v;
            }
            tensors.put(en.name, new TensorData(en.shape, values));
            dtypes.put(en.name, en.dtype);
        }
        return new SafetensorsFile(file, tensors, dtypes, metadata);
    }

    private static Entry entry(Path file, String name, Object value, long dataLength) throws IOException {
        String where = file + ": key " + name;
        if (!(value instanceof Map<?, ?> m)) {
            throw new IOException(where + ": entry must be an object {dtype, shape, data_offsets}");
        }
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new IOException(where + ": unknown field \"" + k + "\" (allowed: dtype, shape, data_offsets)");
            }
        }
        if (!(m.get("dtype") instanceof String typeName)) {
            throw new IOException(where + ": dtype missing or not a string");
        }
        DType dtype = DType.named(typeName);
        if (dtype == null) {
            throw new IOException(where + ": unsupported dtype " + typeName + " (readable: F16, BF16, F32, F64)");
        }
        if (!(m.get("shape") instanceof List<?> dims)) {
            throw new IOException(where + ": shape missing or not an array");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new IOException(where + ": shape " + dims + " must hold non-negative integers");
            }
            shape[i] = (int) (long) d;
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new IOException(where + ": shape " + dims + " holds more than 2^31 values");
            }
        }
        if (!(m.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new IOException(where + ": data_offsets missing or not [begin, end]");
        }
        if (begin < 0 || end < begin || end > dataLength) {
            throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] outside the " + dataLength
                    + " data bytes (need 0 <= begin <= end <= " + dataLength + ")");
        }
        long expected = count * dtype.bytes();
        if (end - begin != expected) {
            throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes, shape " + dims + " of " + dtype + " needs " + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }
}
