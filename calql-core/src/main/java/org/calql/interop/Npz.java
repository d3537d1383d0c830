package org.calql.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy's NPZ archives ({@code numpy.savez}: a zip of {@code name.npy} entries) and the {@code .npy} format inside
 * them: the magic {@code \x93NUMPY}, a version, a little-endian header length (2 bytes in version 1.0, 4 in 2.0),
 * an ASCII Python dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and
 * a final newline so that the data starts at a multiple of 64 bytes, then the C-order values.
 *
 * <p>Writes use version 1.0 (2.0 only if the header would not fit in 65,535 bytes), little-endian {@code <f4} or
 * {@code <f8}, stored (uncompressed) entries as {@code numpy.savez} writes them. Reads accept versions 1.0–3.0,
 * {@code f2}/{@code f4}/{@code f8} in either byte order, stored or deflated entries, and refuse (as an
 * {@link IOException} naming the file and the entry) a bad magic, a header that is not that dict,
 * {@code fortran_order: True}, another dtype, a data length other than the shape's, and non-finite values.
 */
public final class Npz {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr'\\s*:\\s*'([<>|=])([fi])(\\d)'\\s*,\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,"
                    + "\\s*'shape'\\s*:\\s*\\(([0-9,\\s]*)\\)\\s*,?\\s*\\}\\s*");
    private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 64;

    private Npz() {
    }

    /**
     * Writes {@code tensors} as {@code name.npy} entries, in map order.
     *
     * @param dtype F32 or F64
     * @throws IllegalArgumentException if the dtype is not writable or a value is not finite or overflows F32
     */
    public static void write(Path file, Map<String, TensorData> tensors, DType dtype) throws IOException {
        if (dtype == null || !dtype.writable()) {
            throw new IllegalArgumentException("NPZ export writes F32 or F64, found " + dtype);
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
                    byte[] npy = npy(e.getKey(), e.getValue(), dtype);
                    ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(npy.length);
                    entry.setCompressedSize(npy.length);
                    CRC32 crc = new CRC32();
                    crc.update(npy);
                    entry.setCrc(crc.getValue());
                    zip.putNextEntry(entry);
                    zip.write(npy);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One {@code .npy} file's bytes. */
    static byte[] npy(String name, TensorData t, DType dtype) {
        int[] shape = t.shape();
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '<f" + dtype.bytes() + "', 'fortran_order': False, 'shape': " + s + ", }";
        int version = 1;
        int prefix = 10;
        int total = padded(prefix + dict.length() + 1);
        if (total - prefix > 0xFFFF) {
            version = 2;
            prefix = 12;
            total = padded(prefix + dict.length() + 1);
        }
        String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        double[] v = t.values();
        ByteBuffer b = ByteBuffer.allocate(total + v.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) (total - prefix));
        } else {
            b.putInt(total - prefix);
        }
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || (dtype == DType.F32 && Float.isInfinite((float) v[i]))) {
                throw new IllegalArgumentException("tensor " + name + " value " + i + " = " + v[i]
                        + " is not finite in " + dtype);
            }
            if (dtype == DType.F32) {
                b.putFloat((float) v[i]);
            } else {
                b.putDouble(v[i]);
            }
        }
        return b.array();
    }

    private static int padded(int length) {
        return (length + 63) / 64 * 64;
    }

    /**
     * Reads every {@code .npy} entry of an NPZ archive, named without the {@code .npy} suffix, in archive order.
     *
     * @throws IOException naming the file and the entry for any rule of the class comment
     */
    public static Map<String, TensorData> read(Path file) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String where = file + ": entry " + e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (!e.getName().endsWith(".npy")) {
                    throw new IOException(where + " is not a .npy file");
                }
                if (e.getSize() > MAX_ENTRY_BYTES) {
                    throw new IOException(where + " declares " + e.getSize() + " bytes, over the 2 GB a read accepts");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
                }
                if (bytes.length > MAX_ENTRY_BYTES) {
                    throw new IOException(where + " holds more than 2 GB");
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                if (out.put(name, readNpy(where, bytes)) != null) {
                    throw new IOException(where + " appears twice");
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a readable NPZ (zip) archive: " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads one {@code .npy} file; {@code where} names it in messages. */
    public static TensorData readNpy(String where, byte[] bytes) throws IOException {
        if (bytes.length < 10) {
            throw new IOException(where + ": " + bytes.length + " bytes, too short for a .npy header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IOException(where + ": bad magic; a .npy file starts with \\x93NUMPY");
            }
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IOException(where + ": too short for a version " + major + " header");
            }
            headerLength = b.getInt(8) & 0xFFFFFFFFL;
            prefix = 12;
        } else {
            throw new IOException(where + ": .npy version " + major + "." + bytes[7] + " unsupported (1.0 to 3.0)");
        }
        if (prefix + headerLength > bytes.length) {
            throw new IOException(where + ": header length " + headerLength + " exceeds the " + bytes.length
                    + "-byte entry");
        }
        String header = new String(bytes, prefix, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IOException(where + ": header " + header.strip() + " is not {'descr': '<f4|<f8|<f2', "
                    + "'fortran_order': False, 'shape': (...)}");
        }
        ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        DType dtype = m.group(2).equals("f") ? switch (m.group(3)) {
            case "2" -> DType.F16;
            case "4" -> DType.F32;
            case "8" -> DType.F64;
            default -> null;
        } : null;
        if (dtype == null) {
            throw new IOException(where + ": dtype '" + m.group(1) + m.group(2) + m.group(3) + "' unsupported "
                    + "(f2, f4, f8)");
        }
        if (m.group(4).equals("True")) {
            throw new IOException(where + ": fortran_order True unsupported; save a C-order array");
        }
        String[] dims = m.group(5).trim().isEmpty() ? new String[0] : m.group(5).split(",");
        int rank = dims.length;
        if (rank > 0 && dims[rank - 1].isBlank()) {
            rank--;
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            String d = dims[i].trim();
            if (d.isEmpty() || d.length() > 10) {
                throw new IOException(where + ": shape (" + m.group(5) + ") is malformed");
            }
            long v = Long.parseLong(d);
            count *= v;
            if (v > Integer.MAX_VALUE || count > Integer.MAX_VALUE) {
                throw new IOException(where + ": shape (" + m.group(5) + ") holds more than 2^31 values");
            }
            shape[i] = (int) v;
        }
        long data = bytes.length - prefix - headerLength;
        if (data != count * dtype.bytes()) {
            throw new IOException(where + ": " + data + " data bytes, shape (" + m.group(5).trim() + ") of " + dtype
                    + " needs " + count * dtype.bytes());
        }
        ByteBuffer values = ByteBuffer.wrap(bytes, (int) (prefix + headerLength), (int) data).slice().order(order);
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = dtype.get(values, i);
            if (!Double.isFinite(v[i])) {
                throw new IOException(where + ": value " + i + " is " + v[i] + "; only finite values are read");
            }
        }
        return new TensorData(shape, v);
    }
}
