package org.calql.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A numeric HDF5 dataset of rank 1 ({@code [rows]}) or 2 ({@code [rows, cols]}) read as a stream of
 * small blocks, so that a large dataset is never held in memory as a whole: the chunks of a chunked
 * (e.g. gzip) dataset are decompressed a few at a time (in parallel, at most about 8 MB at once)
 * and decoded in order, a contiguous one is read from its memory-mapped buffer, and each block is
 * decoded into a reused {@code double[]} of at most {@value #SCRATCH} values. Values of
 * floating-point, integer, bit-field and enum (h5py's bool) types are decoded; anything else
 * (strings, compounds, references) is rejected.
 */
final class Hdf5Column {
    /** Size of the decode buffer, in values. */
    static final int SCRATCH = 1 << 15;

    /** Bound on decompressed chunk bytes held at once when chunks are decompressed in parallel. */
    private static final long IN_FLIGHT_BYTES = 8L << 20;

    /** Receives a block of values: element {@code (row0 + i, col0 + j)} is {@code values[i · nCols + j]}. */
    @FunctionalInterface
    interface BlockSink {
        void accept(int row0, int nRows, int col0, int nCols, double[] values) throws DatasetFormatException;
    }

    private final Path file;
    private final String key;
    private final Dataset dataset;
    private final int[] dims;
    private final Decoder decoder;

    private Hdf5Column(Path file, String key, Dataset dataset, int[] dims, Decoder decoder) {
        this.file = file;
        this.key = key;
        this.dataset = dataset;
        this.dims = dims;
        this.decoder = decoder;
    }

    static Hdf5Column of(Path file, String key, Dataset dataset) throws DatasetFormatException {
        int[] dims;
        DataType type;
        try {
            dims = dataset.getDimensions();
            type = dataset.getDataType();
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, key, "cannot be read (corrupt file?): " + e.getMessage(), e);
        }
        Decoder decoder = Decoder.of(type);
        if (decoder == null) {
            throw new DatasetFormatException(file, key, "has HDF5 type " + describe(type)
                    + "; expected a numeric type (float, integer or boolean)");
        }
        return new Hdf5Column(file, key, dataset, dims.clone(), decoder);
    }

    private static String describe(DataType type) {
        String name = type.getClass().getSimpleName();
        return name + " (" + type.getSize() + " bytes)";
    }

    String key() {
        return key;
    }

    /** Length of the first dimension. */
    int rows() {
        return dims.length == 0 ? 1 : dims[0];
    }

    /** Length of the second dimension, 1 for rank 1. */
    int cols() {
        return dims.length < 2 ? 1 : dims[1];
    }

    String shape() {
        return Arrays.toString(dims);
    }

    DatasetFormatException error(String detail) {
        return new DatasetFormatException(file, key, detail);
    }

    /** Checks the rank is 2 and there is at least one row and one column. */
    Hdf5Column requireMatrix(String rule) throws DatasetFormatException {
        if (dims.length != 2) {
            throw error("has shape " + shape() + " (rank " + dims.length + "); " + rule);
        }
        requireNonEmpty();
        return this;
    }

    /** Checks the shape is {@code [rows]} or {@code [rows, 1]} with at least one row. */
    Hdf5Column requireVector(String rule) throws DatasetFormatException {
        if (!(dims.length == 1 || (dims.length == 2 && dims[1] == 1))) {
            throw error("has shape " + shape() + " (rank " + dims.length + "); " + rule);
        }
        requireNonEmpty();
        return this;
    }

    private void requireNonEmpty() throws DatasetFormatException {
        for (int d : dims) {
            if (d == 0) {
                throw error("is empty (shape " + shape() + "); a dataset needs at least one step");
            }
        }
        boolean unallocated;
        try {
            unallocated = dataset.isEmpty();
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, key, "cannot be read (corrupt file?): " + e.getMessage(), e);
        }
        if (unallocated) {
            throw error("has shape " + shape() + " but no data was ever written to it");
        }
    }

    /** Checks the first dimension has {@code expected} rows. */
    void requireRows(int expected, String detail) throws DatasetFormatException {
        if (rows() != expected) {
            throw error("has " + rows() + " rows (shape " + shape() + ") but " + detail);
        }
    }

    /** Streams every value in blocks; see {@link BlockSink}. */
    void stream(BlockSink sink) throws DatasetFormatException {
        double[] scratch = new double[SCRATCH];
        try {
            if (dataset instanceof ChunkedDataset) {
                streamChunked((ChunkedDataset) dataset, sink, scratch);
            } else if (dataset instanceof DatasetBase) {
                ByteBuffer buffer = ((DatasetBase) dataset).getDataBuffer();
                streamTile(buffer, 0, 0, rows(), cols(), rows(), cols(), sink, scratch);
            } else {
                throw error("has a storage layout this reader does not support ("
                        + dataset.getClass().getSimpleName() + ")");
            }
        } catch (DatasetFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, key, "cannot be read (truncated or corrupt data?): "
                    + e.getMessage(), e);
        }
    }

    private void streamChunked(ChunkedDataset chunked, BlockSink sink, double[] scratch)
            throws DatasetFormatException {
        int[] chunk = chunked.getChunkDimensions();
        if (chunk.length != dims.length || Arrays.stream(chunk).anyMatch(c -> c <= 0)) {
            throw error("has chunk shape " + Arrays.toString(chunk) + " that does not match its shape " + shape());
        }
        int rows = rows();
        int cols = cols();
        int chunkRows = chunk[0];
        int chunkCols = dims.length < 2 ? 1 : chunk[1];
        long chunkBytes = (long) chunkRows * chunkCols * decoder.size;
        // Chunks are decompressed a batch at a time in parallel (bounded to about IN_FLIGHT_BYTES), then
        // decoded in order.
        int batch = (int) Math.max(1, Math.min(4L * Runtime.getRuntime().availableProcessors(),
                IN_FLIGHT_BYTES / Math.max(1, chunkBytes)));
        int rowChunks = (rows + chunkRows - 1) / chunkRows;
        int colChunks = (cols + chunkCols - 1) / chunkCols;
        long total = (long) rowChunks * colChunks;
        for (long from = 0; from < total; from += batch) {
            List<int[]> group = new ArrayList<>(batch);
            for (long c = from; c < Math.min(total, from + batch); c++) {
                int r0 = (int) (c / colChunks) * chunkRows;
                int c0 = (int) (c % colChunks) * chunkCols;
                group.add(dims.length < 2 ? new int[] {r0} : new int[] {r0, c0});
            }
            byte[][] decoded = (group.size() == 1 ? group.stream() : group.parallelStream())
                    .map(offset -> decompress(chunked, offset)).toArray(byte[][]::new);
            for (int i = 0; i < decoded.length; i++) {
                int[] offset = group.get(i);
                int r0 = offset[0];
                int c0 = dims.length < 2 ? 0 : offset[1];
                int validRows = Math.min(chunkRows, rows - r0);
                int validCols = Math.min(chunkCols, cols - c0);
                byte[] bytes = decoded[i];
                decoded[i] = null;
                if (bytes == null) {
                    fill(fillValue(), r0, validRows, c0, validCols, sink, scratch);
                    continue;
                }
                if (bytes.length < chunkBytes) {
                    throw error("chunk at " + Arrays.toString(offset) + " decompresses to " + bytes.length
                            + " bytes but a chunk of shape " + Arrays.toString(chunk) + " needs " + chunkBytes
                            + " (corrupt file?)");
                }
                streamTile(ByteBuffer.wrap(bytes), r0, c0, validRows, validCols, chunkRows, chunkCols, sink, scratch);
            }
        }
    }

    /** The decompressed chunk at {@code offset}, or null if it was never written (it holds the fill value). */
    private static byte[] decompress(ChunkedDataset chunked, int[] offset) {
        try {
            return chunked.getDecompressedChunk(offset);
        } catch (HdfException e) {
            if (String.valueOf(e.getMessage()).startsWith("No chunk")) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Decodes the valid part {@code [validRows, validCols]} of a row-major tile stored as
     * {@code [tileRows, tileCols]} whose element (0, 0) is dataset element {@code (row0, col0)}.
     */
    private void streamTile(ByteBuffer buffer, int row0, int col0, int validRows, int validCols, int tileRows,
            int tileCols, BlockSink sink, double[] scratch) throws DatasetFormatException {
        long needed = (long) tileRows * tileCols * decoder.size;
        if (buffer.remaining() < needed) {
            throw error("holds " + buffer.remaining() + " bytes but shape " + shape() + " needs " + needed
                    + " (truncated or corrupt data?)");
        }
        ByteBuffer ordered = buffer.duplicate().order(decoder.order);
        int base = ordered.position();
        int rowsPerBlock = Math.max(1, scratch.length / validCols);
        if ((long) rowsPerBlock * validCols > scratch.length) {
            scratch = new double[validCols];
        }
        for (int i0 = 0; i0 < validRows; i0 += rowsPerBlock) {
            int n = Math.min(rowsPerBlock, validRows - i0);
            int k = 0;
            for (int i = i0; i < i0 + n; i++) {
                int element = i * tileCols;
                for (int j = 0; j < validCols; j++) {
                    scratch[k++] = decoder.get(ordered, base + (element + j) * decoder.size);
                }
            }
            sink.accept(row0 + i0, n, col0, validCols, scratch);
        }
    }

    private void fill(double value, int row0, int validRows, int col0, int validCols, BlockSink sink,
            double[] scratch) throws DatasetFormatException {
        int rowsPerBlock = Math.max(1, scratch.length / validCols);
        double[] block = (long) rowsPerBlock * validCols > scratch.length ? new double[validCols] : scratch;
        Arrays.fill(block, value);
        for (int i0 = 0; i0 < validRows; i0 += rowsPerBlock) {
            sink.accept(row0 + i0, Math.min(rowsPerBlock, validRows - i0), col0, validCols, block);
        }
    }

    private double fillValue() {
        Object fill = dataset.getFillValue();
        return fill instanceof Number ? ((Number) fill).doubleValue() : 0.0;
    }

    /**
     * Reads a vector column as flags. Accepted: an HDF5 enum with members named {@code TRUE} and
     * {@code FALSE} (h5py's bool), or integer, bit-field or floating-point values 0 and 1.
     */
    boolean[] readBooleans() throws DatasetFormatException {
        boolean[] out = new boolean[rows()];
        stream((row0, nRows, col0, nCols, values) -> {
            for (int i = 0; i < nRows; i++) {
                out[row0 + i] = toBoolean(values[i * nCols], row0 + i);
            }
        });
        return out;
    }

    /** The value rounded to float; an error naming the index unless it is finite in float. */
    float toFiniteFloat(double value, int row, int col) throws DatasetFormatException {
        float f = (float) value;
        if (!Float.isFinite(f)) {
            String rule = Double.isFinite(value) ? "; every value must be finite as a float (|v| <= "
                    + Float.MAX_VALUE + ")" : "; every value must be finite";
            throw error("has value " + value + " at " + index(row, col) + rule);
        }
        return f;
    }

    /** The index as written in an error: {@code [row]} for a vector, {@code [row, col]} otherwise. */
    String index(int row, int col) {
        return dims.length < 2 ? "[" + row + "]" : "[" + row + ", " + col + "]";
    }

    private boolean toBoolean(double value, int row) throws DatasetFormatException {
        Map<Integer, String> mapping = decoder.enumMapping;
        if (mapping != null) {
            String name = mapping.get((int) value);
            if (name != null) {
                String upper = name.toUpperCase(Locale.ROOT);
                if (upper.equals("TRUE")) {
                    return true;
                }
                if (upper.equals("FALSE")) {
                    return false;
                }
            }
            throw error("has enum value " + (long) value + (name == null ? " (no member)" : " ('" + name + "')")
                    + " at [" + row + "]; a flag must be an enum member named TRUE or FALSE, as h5py writes bool");
        }
        if (value == 0.0) {
            return false;
        }
        if (value == 1.0) {
            return true;
        }
        throw error("has value " + value + " at [" + row + "]; a flag must be 0 or 1 (or an h5py bool)");
    }

    /** Decodes one element type from a byte buffer. */
    private abstract static class Decoder {
        final int size;
        final ByteOrder order;
        final Map<Integer, String> enumMapping;

        Decoder(int size, ByteOrder order, Map<Integer, String> enumMapping) {
            this.size = size;
            this.order = order == null ? ByteOrder.LITTLE_ENDIAN : order;
            this.enumMapping = enumMapping;
        }

        abstract double get(ByteBuffer buffer, int byteIndex);

        /** A decoder for {@code type}, or null if it is not numeric. */
        static Decoder of(DataType type) {
            if (type instanceof FloatingPoint) {
                ByteOrder order = ((FloatingPoint) type).getByteOrder();
                switch (type.getSize()) {
                    case 2:
                        return new Decoder(2, order, null) {
                            @Override
                            double get(ByteBuffer b, int i) {
                                return FloatingPoint.toFloat(b.getShort(i));
                            }
                        };
                    case 4:
                        return new Decoder(4, order, null) {
                            @Override
                            double get(ByteBuffer b, int i) {
                                return b.getFloat(i);
                            }
                        };
                    case 8:
                        return new Decoder(8, order, null) {
                            @Override
                            double get(ByteBuffer b, int i) {
                                return b.getDouble(i);
                            }
                        };
                    default:
                        return null;
                }
            }
            if (type instanceof FixedPoint) {
                FixedPoint fixed = (FixedPoint) type;
                return integer(fixed.getSize(), fixed.getByteOrder(), fixed.isSigned(), null);
            }
            if (type instanceof BitField) {
                return integer(type.getSize(), ((BitField) type).getByteOrder(), false, null);
            }
            if (type instanceof EnumDataType) {
                EnumDataType enumType = (EnumDataType) type;
                DataType base = enumType.getBaseType();
                if (!(base instanceof FixedPoint)) {
                    return null;
                }
                FixedPoint fixed = (FixedPoint) base;
                return integer(fixed.getSize(), fixed.getByteOrder(), fixed.isSigned(), enumType.getEnumMapping());
            }
            return null;
        }

        private static Decoder integer(int size, ByteOrder order, boolean signed, Map<Integer, String> mapping) {
            switch (size) {
                case 1:
                    return new Decoder(1, order, mapping) {
                        @Override
                        double get(ByteBuffer b, int i) {
                            byte v = b.get(i);
                            return signed ? v : v & 0xFF;
                        }
                    };
                case 2:
                    return new Decoder(2, order, mapping) {
                        @Override
                        double get(ByteBuffer b, int i) {
                            short v = b.getShort(i);
                            return signed ? v : v & 0xFFFF;
                        }
                    };
                case 4:
                    return new Decoder(4, order, mapping) {
                        @Override
                        double get(ByteBuffer b, int i) {
                            int v = b.getInt(i);
                            return signed ? v : v & 0xFFFFFFFFL;
                        }
                    };
                case 8:
                    return new Decoder(8, order, mapping) {
                        @Override
                        double get(ByteBuffer b, int i) {
                            long v = b.getLong(i);
                            return signed || v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1L);
                        }
                    };
                default:
                    return null;
            }
        }
    }
}
