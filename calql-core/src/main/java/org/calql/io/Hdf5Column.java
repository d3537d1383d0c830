package org.calql.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkOffset;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataLayoutMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 *
 * <p>Before anything is read, {@link #requireMatrix} and {@link #requireVector} check the declared size
 * against what the file can hold ({@link #requireStored}): products of dimensions must not overflow; a
 * contiguous dataset's bytes must lie within the file; a chunked dataset's chunk index must fit the file
 * (its declared entry count checked before jHDF reads it), every chunk it lists must lie within the
 * file, and it must list every chunk the shape needs, so that the data is at most the chunks present
 * times the uncompressed chunk size (missing chunks are refused unless {@link MissingChunks#READ_AS_FILL_VALUE}).
 * Chunks are decompressed in parallel only while their worst-case size (for a filtered chunk
 * {@value #MAX_EXPANSION} times its stored size, deflate's largest expansion, or the chunk size if larger)
 * fits a quarter of the free heap or {@value #IN_FLIGHT_BYTES} bytes, whichever is more.
 */
final class Hdf5Column {
    /** Size of the decode buffer, in values. */
    static final int SCRATCH = 1 << 15;

    /** Bound on decompressed chunk bytes held at once when chunks are decompressed in parallel. */
    private static final long IN_FLIGHT_BYTES = 8L << 20;

    /** Largest ratio of decompressed to compressed size of a deflate stream (RFC 1951: 258 bytes per 2 bits). */
    static final long MAX_EXPANSION = 1032;

    /** Bytes of the streaming scratch buffer, counted in a reader's heap estimate. */
    static final long SCRATCH_BYTES = Hdf5Source.arrayBytes(SCRATCH, Double.BYTES);

    /** jHDF's protected {@code ChunkedDatasetBase.getChunkLookup()}: the chunk index as a map, read once. */
    private static final Method CHUNK_LOOKUP = chunkLookupMethod();

    /** Receives a block of values: element {@code (row0 + i, col0 + j)} is {@code values[i · nCols + j]}. */
    @FunctionalInterface
    interface BlockSink {
        void accept(int row0, int nRows, int col0, int nCols, double[] values) throws DatasetFormatException;
    }

    private final Hdf5Source source;
    private final Path file;
    private final String key;
    private final Dataset dataset;
    private final int[] dims;
    private final Decoder decoder;
    /** The element type as written in errors, e.g. {@code int64}, {@code uint8}, {@code float32}, {@code enum}. */
    private final String typeName;
    /** The chunks of a chunked dataset, read by {@link #requireStored}; null before, or if not chunked. */
    private Map<ChunkOffset, Chunk> chunks;
    /** Uncompressed bytes of one chunk (the whole dataset if not chunked), set by {@link #requireStored}. */
    private long chunkBytes;
    /** Largest stored size of one chunk, set by {@link #requireStored}. */
    private long maxStoredChunk;

    private Hdf5Column(Hdf5Source source, String key, Dataset dataset, int[] dims, Decoder decoder,
            String typeName) {
        this.source = source;
        this.typeName = typeName;
        this.file = source.file();
        this.key = key;
        this.dataset = dataset;
        this.dims = dims;
        this.decoder = decoder;
    }

    static Hdf5Column of(Hdf5Source source, String key, Dataset dataset) throws DatasetFormatException {
        Path file = source.file();
        int[] dims;
        DataType type;
        try {
            long[] declared = dataset.getDimensionsAsLong();
            for (long d : declared) {
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new DatasetFormatException(file, key, "declares shape " + Arrays.toString(declared)
                            + "; every dimension must be between 0 and " + Integer.MAX_VALUE);
                }
            }
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
        return new Hdf5Column(source, key, dataset, dims.clone(), decoder, typeName(type));
    }

    private static Method chunkLookupMethod() {
        try {
            Method m = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this jHDF version has no ChunkedDatasetBase.getChunkLookup(); "
                    + "the loader needs it to count a dataset's chunks before reading", e);
        }
    }

    private static String describe(DataType type) {
        String name = type.getClass().getSimpleName();
        return name + " (" + type.getSize() + " bytes)";
    }

    /** The element type as numpy names it: {@code int8} to {@code uint64}, {@code float16} to {@code float64}, or
     * {@code enum} (h5py's bool) and {@code bitfield}. */
    private static String typeName(DataType type) {
        int bits = 8 * type.getSize();
        if (type instanceof FixedPoint) {
            return (((FixedPoint) type).isSigned() ? "int" : "uint") + bits;
        }
        if (type instanceof FloatingPoint) {
            return "float" + bits;
        }
        return type instanceof EnumDataType ? "enum" : "bitfield";
    }

    String key() {
        return key;
    }

    /** The element type as written in errors: {@code int64}, {@code uint8}, {@code float32}, {@code enum}, ... */
    String typeName() {
        return typeName;
    }

    /** Whether the elements are HDF5 integers (signed or unsigned, 8 to 64 bits; not enums or bit fields). */
    boolean isInteger() {
        return typeName.startsWith("int") || typeName.startsWith("uint");
    }

    /** The rank of the dataset. */
    int rank() {
        return dims.length;
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
        requireStored();
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

    /**
     * Checks the declared size against what the file can hold, before anything is read; see the class
     * comment. Reads the chunk index of a chunked dataset (after checking its declared entry count).
     */
    private void requireStored() throws DatasetFormatException {
        source.reading(key);
        long elements = 1;
        for (int d : dims) {
            elements = multiply(elements, d, "elements");
        }
        long bytes = multiply(elements, decoder.size, "bytes");
        if (dataset instanceof ChunkedDatasetBase) {
            requireChunksStored((ChunkedDatasetBase) dataset, elements);
        } else if (dataset instanceof ContiguousDataset) {
            long address = ((ContiguousDataset) dataset).getDataAddress();
            chunkBytes = bytes;
            maxStoredChunk = bytes;
            if (address != io.jhdf.Constants.UNDEFINED_ADDRESS
                    && (address < 0 || bytes > source.length() || address > source.length() - bytes)) {
                throw error("declares shape " + shape() + " (" + bytes + " bytes, contiguous at address "
                        + address + ") but the file has only " + source.length() + " bytes; a contiguous "
                        + "dataset's data must lie within the file");
            }
        } else {
            // compact: the data lies in the object header jHDF has already read
            chunkBytes = bytes;
            maxStoredChunk = bytes;
            if (bytes > source.length()) {
                throw error("declares shape " + shape() + " (" + bytes + " bytes) but the file has only "
                        + source.length() + " bytes");
            }
        }
    }

    private void requireChunksStored(ChunkedDatasetBase chunked, long elements) throws DatasetFormatException {
        int[] chunk = chunked.getChunkDimensions();
        if (chunk.length != dims.length || Arrays.stream(chunk).anyMatch(c -> c <= 0)) {
            throw error("has chunk shape " + Arrays.toString(chunk) + " that does not match its shape " + shape());
        }
        long chunkElements = 1;
        long expected = 1;
        for (int i = 0; i < dims.length; i++) {
            chunkElements = multiply(chunkElements, chunk[i], "elements per chunk");
            expected = multiply(expected, (dims[i] + (long) chunk[i] - 1) / chunk[i], "chunks");
        }
        chunkBytes = multiply(chunkElements, decoder.size, "bytes per chunk");
        if (chunkBytes > Integer.MAX_VALUE - 8) {
            throw error("has chunk shape " + Arrays.toString(chunk) + " of " + chunkBytes + " bytes; a chunk "
                    + "must be smaller than 2 GiB");
        }
        requireIndexFits(chunked, expected);
        Map<ChunkOffset, Chunk> lookup = chunkLookup(chunked);
        Map<ChunkOffset, Chunk> valid = new HashMap<>();
        long length = source.length();
        for (Chunk c : lookup.values()) {
            long[] offset = c.getChunkOffset();
            long address = c.getAddress();
            long size = c.getSize();
            if (offset == null || offset.length != dims.length) {
                throw error("lists a chunk at offset " + Arrays.toString(offset) + " in a dataset of shape " + shape()
                        + " (corrupt chunk index?)");
            }
            for (int i = 0; i < dims.length; i++) {
                if (offset[i] < 0 || offset[i] >= dims[i] || offset[i] % chunk[i] != 0) {
                    throw error("lists a chunk at offset " + Arrays.toString(offset) + " outside shape " + shape()
                            + " or off its chunk grid " + Arrays.toString(chunk) + " (corrupt chunk index?)");
                }
            }
            if (size <= 0 || address < 0 || size > length || address > length - size) {
                throw error("lists a chunk at offset " + Arrays.toString(offset) + " of " + size + " bytes at address "
                        + address + ", outside the file's " + length + " bytes (corrupt chunk index?)");
            }
            maxStoredChunk = Math.max(maxStoredChunk, size);
            valid.put(new ChunkOffset(offset), c);
        }
        long missing = expected - valid.size();
        if (missing > 0 && !valid.isEmpty() && source.missingChunks() == MissingChunks.REFUSE) {
            throw error("has " + missing + " of its " + expected + " chunks missing from its chunk index (shape "
                    + shape() + ", chunks " + Arrays.toString(chunk) + ": " + valid.size() + " chunks of "
                    + chunkElements + " elements present for " + elements + " elements); every chunk must be "
                    + "written (a corrupt chunk index, or a dataset written only in part: load with "
                    + "MissingChunks.READ_AS_FILL_VALUE to read missing chunks as the fill value)");
        }
        chunks = valid;
    }

    /**
     * Checks a v4 chunk index's declared entry count against the file before jHDF allocates a list of
     * that many entries (fixed array, extensible array and v2 B-tree headers); v1 B-tree nodes hold at
     * most 65,535 entries each and are bounded by the file already.
     */
    private void requireIndexFits(ChunkedDatasetBase chunked, long expected) throws DatasetFormatException {
        if (!chunked.getHeader().hasMessageOfType(DataLayoutMessage.ChunkedDataLayoutMessageV4.class)) {
            return;
        }
        DataLayoutMessage.ChunkedDataLayoutMessageV4 layout =
                chunked.getHeader().getMessageOfType(DataLayoutMessage.ChunkedDataLayoutMessageV4.class);
        long address = layout.getAddress();
        if (address == io.jhdf.Constants.UNDEFINED_ADDRESS) {
            return;
        }
        int o = source.sizeOfOffsets();
        int l = source.sizeOfLengths();
        long length = source.length();
        long entries;
        long entrySize;
        String index;
        switch (layout.getIndexingType()) {
            case DataLayoutMessage.ChunkedDataLayoutMessageV4.SINGLE_CHUNK_INDEX:
                if (expected != 1) {
                    throw error("has a single-chunk index but shape " + shape() + " needs " + expected
                            + " chunks (corrupt file?)");
                }
                return;
            case DataLayoutMessage.ChunkedDataLayoutMessageV4.IMPLICIT_INDEX:
                entries = expected;
                entrySize = chunkBytes;
                index = "implicit index (chunks stored back to back)";
                break;
            case DataLayoutMessage.ChunkedDataLayoutMessageV4.FIXED_ARRAY_INDEX:
                entrySize = Math.max(1, source.readUnsigned(key, address, 6, 1));
                entries = source.readUnsigned(key, address, 8, l);
                index = "fixed-array index";
                break;
            case DataLayoutMessage.ChunkedDataLayoutMessageV4.EXTENSIBLE_ARRAY_INDEX:
                entrySize = Math.max(1, source.readUnsigned(key, address, 6, 1));
                // max index set and number of elements, after 12 bytes of fixed fields and 4 other lengths
                entries = Math.max(source.readUnsigned(key, address, 12 + 4 * l, l),
                        source.readUnsigned(key, address, 12 + 5 * l, l));
                index = "extensible-array index";
                break;
            case DataLayoutMessage.ChunkedDataLayoutMessageV4.B_TREE_V2_INDEX:
                entrySize = Math.max(1, source.readUnsigned(key, address, 10, 2));
                entries = source.readUnsigned(key, address, 20 + o, l);
                index = "v2 B-tree index";
                break;
            default:
                return;
        }
        if (entries > length / entrySize || address > length - entries * entrySize) {
            throw error("declares a " + index + " of " + entries + " entries of " + entrySize + " bytes at address "
                    + address + ", more than the file's " + length + " bytes hold (shape " + shape() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<ChunkOffset, Chunk> chunkLookup(ChunkedDatasetBase chunked) throws DatasetFormatException {
        try {
            return (Map<ChunkOffset, Chunk>) CHUNK_LOOKUP.invoke(chunked);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException || cause instanceof StackOverflowError) {
                throw new DatasetFormatException(file, key, "has a chunk index that cannot be read (corrupt file?): "
                        + cause.getMessage(), cause);
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new DatasetFormatException(file, key, "has a chunk index that cannot be read: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call jHDF's ChunkedDatasetBase.getChunkLookup()", e);
        }
    }

    private long multiply(long a, long b, String what) throws DatasetFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw error("declares shape " + shape() + " whose number of " + what + " overflows a long");
        }
    }

    /**
     * Heap bytes streaming this column holds at most at once, beyond the sink's arrays: the scratch
     * buffer and one decompressed chunk (jHDF holds its stored bytes, a growing output buffer and the
     * final copy). Only valid after {@link #requireMatrix} or {@link #requireVector}.
     */
    long streamingBytes() {
        return SCRATCH_BYTES + Hdf5Source.arrayBytes(maxStoredChunk, 1) + 3 * Hdf5Source.arrayBytes(chunkBytes, 1);
    }

    /** Checks the first dimension has {@code expected} rows. */
    void requireRows(int expected, String detail) throws DatasetFormatException {
        if (rows() != expected) {
            throw error("has " + rows() + " rows (shape " + shape() + ") but " + detail);
        }
    }

    /** Streams every value in blocks; see {@link BlockSink}. */
    void stream(BlockSink sink) throws DatasetFormatException {
        source.reading(key);
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
        } catch (RuntimeException | StackOverflowError e) {
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
        if (chunks == null) {
            throw new IllegalStateException("requireStored() must run before stream() for " + key);
        }
        // Chunks are decompressed a batch at a time in parallel, then decoded in order. A batch holds at
        // most 4 chunks per core and, by their worst-case decompressed size, at most a quarter of the free
        // heap or IN_FLIGHT_BYTES, whichever is more (always at least one chunk).
        boolean filtered = !chunked.getFilters().isEmpty();
        long budget = Math.max(IN_FLIGHT_BYTES, Hdf5Source.freeHeap() / 4);
        int maxBatch = 4 * Runtime.getRuntime().availableProcessors();
        int rowChunks = (rows + chunkRows - 1) / chunkRows;
        int colChunks = (cols + chunkCols - 1) / chunkCols;
        long total = (long) rowChunks * colChunks;
        long from = 0;
        while (from < total) {
            List<int[]> group = new ArrayList<>();
            long inFlight = 0;
            long c = from;
            while (c < total && group.size() < maxBatch) {
                int r0 = (int) (c / colChunks) * chunkRows;
                int c0 = (int) (c % colChunks) * chunkCols;
                int[] offset = dims.length < 2 ? new int[] {r0} : new int[] {r0, c0};
                Chunk stored = chunks.get(new ChunkOffset(Arrays.stream(offset).asLongStream().toArray()));
                long worst = stored == null ? 0 : filtered
                        ? Math.max(chunkBytes, Math.min(Integer.MAX_VALUE, stored.getSize() * MAX_EXPANSION))
                        : stored.getSize();
                if (!group.isEmpty() && inFlight + worst > budget) {
                    break;
                }
                group.add(offset);
                inFlight += worst;
                c++;
            }
            from = c;
            byte[][] decoded = (group.size() == 1 ? group.stream() : group.parallelStream())
                    .map(offset -> decompress(chunked, chunks, offset)).toArray(byte[][]::new);
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

    /**
     * The decompressed chunk at {@code offset}, or null if the checked index has none (it holds the fill
     * value; only reached with {@link MissingChunks#READ_AS_FILL_VALUE} or for an unwritten dataset).
     */
    private static byte[] decompress(ChunkedDataset chunked, Map<ChunkOffset, Chunk> chunks, int[] offset) {
        if (!chunks.containsKey(new ChunkOffset(Arrays.stream(offset).asLongStream().toArray()))) {
            return null;
        }
        return chunked.getDecompressedChunk(offset);
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

    /**
     * The discrete action index {@code value − start} at {@code (row, col)}: an error naming the value, the index
     * and the rule unless {@code value} is an integer (a float column must hold integral values) and
     * {@code value − start} lies in {@code [0, n)}; with {@code n = 0} only {@code [0, 2^24)} is required
     * (when the number of actions is being inferred).
     */
    int toActionIndex(double value, int row, int col, long start, int n) throws DatasetFormatException {
        if (!isInteger() && (!Double.isFinite(value) || value != Math.rint(value))) {
            throw error("has value " + value + " at " + index(row, col) + " in a " + typeName + " column; a discrete "
                    + "action must be an integral index (a float column is read as action indices only if every "
                    + "value is a whole number)");
        }
        double index = value - start;
        String shifted = start == 0 ? "" : " (index " + integral(index) + " after subtracting the space's start "
                + start + ")";
        if (index < 0) {
            throw error("has value " + integral(value) + " at " + index(row, col) + shifted + "; a discrete action "
                    + "index must not be negative" + (n > 0 ? ": it must lie in [0, " + n + ")" : ""));
        }
        if (n > 0 && index >= n) {
            throw error("has value " + integral(value) + " at " + index(row, col) + shifted + "; a discrete action "
                    + "must be an index in [0, " + n + ") for " + n + " actions");
        }
        if (index >= ActionColumns.MAX_ACTIONS) {
            throw error("has value " + integral(value) + " at " + index(row, col) + shifted + "; a discrete action "
                    + "index must be below " + ActionColumns.MAX_ACTIONS + " (2^24, exact as a float)");
        }
        return (int) index;
    }

    /** An integral double written without exponent or fraction ({@code -1}, {@code 18446744073709551615}). */
    private static String integral(double value) {
        return new java.math.BigDecimal(value).toPlainString();
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
