package org.calql.io;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An open HDF5 file with the checks every reader needs: that the file is HDF5 and complete, that a key
 * names a dataset (following soft links inside the file, refusing external links), and that what a
 * reader is about to allocate fits the heap. Every jhdf failure is turned into a
 * {@link DatasetFormatException} naming the file and the key; {@link #read} does so for whatever a
 * reader lets escape.
 */
final class Hdf5Source implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** HDF5 allows a user block of 512, 1024, ... bytes before the signature. */
    private static final long USER_BLOCK_MIN = 512;

    /** Soft links followed in a row before a key is refused as a cycle. */
    static final int MAX_LINK_HOPS = 16;

    private final Path file;
    private final HdfFile hdf;
    private final long length;
    private final MissingChunks missingChunks;
    private final long baseAddress;
    private final int sizeOfOffsets;
    private final int sizeOfLengths;
    /** The key being read, for errors that escape a reader; see {@link #read}. */
    private volatile String currentKey;

    private Hdf5Source(Path file, HdfFile hdf, long length, MissingChunks missingChunks, Superblock superblock) {
        this.file = file;
        this.hdf = hdf;
        this.length = length;
        this.missingChunks = missingChunks;
        this.baseAddress = superblock.getBaseAddressByte();
        this.sizeOfOffsets = superblock.getSizeOfOffsets();
        this.sizeOfLengths = superblock.getSizeOfLengths();
    }

    /** Reads something from an open source. */
    @FunctionalInterface
    interface Reader<T> {
        T read(Hdf5Source source) throws IOException;
    }

    /**
     * Opens {@code file}, runs {@code reader} on it and closes it. Whatever escapes other than an
     * {@link IOException} (a jHDF {@code RuntimeException} of any kind, a {@link StackOverflowError} from
     * a cyclic index, or as a last resort an {@link OutOfMemoryError} the size checks did not foresee)
     * is rethrown as a {@link DatasetFormatException} naming the file and the key being read.
     */
    static <T> T read(Path file, MissingChunks missingChunks, Reader<T> reader) throws IOException {
        Hdf5Source source;
        try {
            source = open(file, missingChunks);
        } catch (RuntimeException | StackOverflowError e) {
            throw new DatasetFormatException(file, null, "cannot be opened as HDF5 (corrupt file?): " + e, e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, null, e);
        }
        try (source) {
            return reader.read(source);
        } catch (RuntimeException | StackOverflowError e) {
            throw new DatasetFormatException(file, source.currentKey, "cannot be read (corrupt file?): " + e, e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, source.currentKey, e);
        }
    }

    private static DatasetFormatException outOfMemory(Path file, String key, OutOfMemoryError e) {
        return new DatasetFormatException(file, key, "ran out of memory while being read (maximum heap "
                + Runtime.getRuntime().maxMemory() + " bytes): " + e.getMessage() + "; the file declares more "
                + "data than the heap holds", e);
    }

    /** Opens {@code file}, refusing missing chunks; see {@link #open(Path, MissingChunks)}. */
    static Hdf5Source open(Path file) throws IOException {
        return open(file, MissingChunks.REFUSE);
    }

    /**
     * Opens {@code file}, rejecting one that is missing, not HDF5, or shorter than its superblock says.
     */
    static Hdf5Source open(Path file, MissingChunks missingChunks) throws IOException {
        if (missingChunks == null) {
            throw new IllegalArgumentException("missingChunks must not be null");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "dataset file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, null, "is not a regular file");
        }
        long size = Files.size(file);
        if (!startsWithSignature(file) && size < USER_BLOCK_MIN) {
            throw new DatasetFormatException(file, null, "is not an HDF5 file: it does not start with the HDF5 "
                    + "signature \\x89HDF\\r\\n\\x1a\\n (" + size + " bytes)");
        }
        HdfFile hdf;
        try {
            hdf = openHdf(file, size);
        } catch (RuntimeException | StackOverflowError e) {
            if (String.valueOf(e.getMessage()).contains("signature")) {
                throw new DatasetFormatException(file, null, "is not an HDF5 file: no HDF5 signature found ("
                        + size + " bytes)", e);
            }
            throw new DatasetFormatException(file, null, "cannot be opened as HDF5 (" + size
                    + " bytes; truncated or corrupt?): " + e.getMessage(), e);
        }
        Superblock superblock;
        try {
            superblock = hdf.getHdfBackingStorage().getSuperblock();
            long required = superblock.getBaseAddressByte() + superblock.getEndOfFileAddress();
            if (size < required) {
                throw new DatasetFormatException(file, null, "is truncated: it has " + size
                        + " bytes but its HDF5 superblock says it ends at byte " + required);
            }
            // Load the root group's children now, so that a damaged index fails here with a clear message.
            hdf.getChildren();
        } catch (DatasetFormatException e) {
            hdf.close();
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            hdf.close();
            throw new DatasetFormatException(file, null, "cannot be read as HDF5 (" + size
                    + " bytes; truncated or corrupt?): " + e.getMessage(), e);
        }
        return new Hdf5Source(file, hdf, size, missingChunks, superblock);
    }

    /**
     * Opens the file with jHDF over a read-only memory map when it is below 2 GiB, so that every read
     * jHDF makes is a slice of the map: a length declared in the file's metadata (an object header's
     * size, an index block's size) that runs past the end of the file fails as an exception instead of
     * making jHDF allocate a buffer of that length. Larger files are read through jHDF's file channel,
     * where such lengths are allocated before they are read (up to 2 GiB each).
     */
    private static HdfFile openHdf(Path file, long size) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            return new HdfFile(file);
        }
        ByteBuffer map;
        try (FileChannel channel = FileChannel.open(file)) {
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (UnsupportedOperationException e) {
            return new HdfFile(file);
        }
        return HdfFile.fromByteBuffer(map);
    }

    /** Whether the file starts with the HDF5 signature (files with a user block are left to jhdf). */
    private static boolean startsWithSignature(Path file) throws IOException {
        byte[] head = new byte[SIGNATURE.length];
        int read = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (read < head.length) {
                int n = in.read(head, read, head.length - read);
                if (n < 0) {
                    return false;
                }
                read += n;
            }
        }
        return Arrays.equals(head, SIGNATURE);
    }

    /** The file. */
    Path file() {
        return file;
    }

    /** The file's length in bytes. */
    long length() {
        return length;
    }

    /** What to do with missing chunks. */
    MissingChunks missingChunks() {
        return missingChunks;
    }

    /** Records the key being read, for errors that escape; see {@link #read}. */
    void reading(String key) {
        currentKey = key;
    }

    /**
     * The node at {@code key}, or null if there is none. Soft links (at any level of the key) are
     * followed inside the file, at most {@value #MAX_LINK_HOPS} in a row; an external link is refused.
     */
    Node node(String key) throws DatasetFormatException {
        reading(key);
        try {
            Group group = hdf;
            String[] parts = key.split("/");
            Node node = null;
            for (int i = 0; i < parts.length; i++) {
                node = group.getChild(parts[i]);
                if (node == null) {
                    return null;
                }
                node = resolve(node, String.join("/", Arrays.copyOf(parts, i + 1)));
                if (i < parts.length - 1) {
                    if (!(node instanceof Group)) {
                        return null;
                    }
                    group = (Group) node;
                }
            }
            return node;
        } catch (DatasetFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, key, "cannot be read (corrupt file?): " + e.getMessage(), e);
        }
    }

    /** Follows soft links from {@code node} (named {@code key}); refuses external, dangling and cyclic links. */
    private Node resolve(Node node, String key) throws DatasetFormatException {
        Node current = node;
        for (int hops = 0; current instanceof io.jhdf.api.Link; hops++) {
            if (current instanceof ExternalLink) {
                throw new DatasetFormatException(file, key, "is an external link to '"
                        + ((ExternalLink) current).getTargetPath() + "' (file:path); external links are not "
                        + "followed: a dataset file must hold its data itself");
            }
            if (!(current instanceof SoftLink)) {
                throw new DatasetFormatException(file, key, "is a link of a kind this reader does not follow ("
                        + current.getClass().getSimpleName() + ")");
            }
            if (hops == MAX_LINK_HOPS) {
                throw new DatasetFormatException(file, key, "is a chain of more than " + MAX_LINK_HOPS
                        + " soft links (a cycle?); soft links are followed at most " + MAX_LINK_HOPS + " in a row");
            }
            String target = ((SoftLink) current).getTargetPath();
            try {
                current = ((SoftLink) current).getTarget();
            } catch (RuntimeException | StackOverflowError e) {
                throw new DatasetFormatException(file, key, "is a soft link to '" + target
                        + "', which does not resolve inside the file (missing or cyclic target)", e);
            }
            if (current == null) {
                throw new DatasetFormatException(file, key, "is a soft link to '" + target
                        + "', which does not exist in the file");
            }
        }
        return current;
    }

    /**
     * Reads an unsigned little-endian integer of {@code width} bytes (1 to 8) at HDF5 address
     * {@code address + offset}, straight from the file, for checks that must run before jHDF reads a
     * structure; an error naming {@code key} if it lies beyond the file or does not fit a long.
     */
    long readUnsigned(String key, long address, int offset, int width) throws DatasetFormatException {
        long position = baseAddress + address + offset;
        if (address < 0 || position < 0 || position > length - width) {
            throw new DatasetFormatException(file, key, "has its chunk index at address " + address
                    + ", beyond the file's " + length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.limit(width);
        try (FileChannel channel = FileChannel.open(file)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new DatasetFormatException(file, key, "has its chunk index at address " + address
                            + ", beyond the end of the file");
                }
            }
        } catch (IOException e) {
            throw new DatasetFormatException(file, key, "cannot read its chunk index header: " + e.getMessage(), e);
        }
        buffer.limit(8);
        long value = buffer.getLong(0);
        if (value < 0) {
            throw new DatasetFormatException(file, key, "has a chunk index field of " + Long.toUnsignedString(value)
                    + " at address " + address + ", more than a long can hold (corrupt file?)");
        }
        return value;
    }

    /** Size in bytes of an HDF5 address in this file. */
    int sizeOfOffsets() {
        return sizeOfOffsets;
    }

    /** Size in bytes of an HDF5 length in this file. */
    int sizeOfLengths() {
        return sizeOfLengths;
    }

    /** Bytes a Java array of {@code length} elements of {@code elementSize} bytes takes on the heap. */
    static long arrayBytes(long length, int elementSize) {
        return (16 + length * elementSize + 7) & ~7L;
    }

    /**
     * Checks that {@code bytes} more bytes fit the heap: {@link Runtime#maxMemory()} minus what is in
     * use (measured again after a {@link System#gc()} request before refusing).
     *
     * @param key the key whose size asks for the memory, or null
     * @param what what the bytes are for, named in the error
     */
    void requireHeap(String key, long bytes, String what) throws DatasetFormatException {
        if (bytes <= freeHeap()) {
            return;
        }
        System.gc();
        long free = freeHeap();
        if (bytes > free) {
            throw new DatasetFormatException(file, key, "needs " + bytes + " bytes of heap for " + what + " but only "
                    + free + " of the maximum " + Runtime.getRuntime().maxMemory() + " are free; the data must "
                    + "fit the heap (raise -Xmx or load a smaller file)");
        }
    }

    /** {@link Runtime#maxMemory()} minus the heap in use. */
    static long freeHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** The dataset at {@code key}, or null if there is none; an error if {@code key} is a group. */
    Dataset optionalDataset(String key) throws DatasetFormatException {
        Node node = node(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof Dataset)) {
            throw new DatasetFormatException(file, key, (node instanceof Group ? "is a group" : "is a "
                    + node.getClass().getSimpleName()) + ", not a dataset");
        }
        return (Dataset) node;
    }

    /** The dataset at {@code key}; an error naming {@code rule} if it is missing. */
    Dataset requireDataset(String key, String rule) throws DatasetFormatException {
        Dataset dataset = optionalDataset(key);
        if (dataset == null) {
            throw new DatasetFormatException(file, key, "is missing; " + rule + " (found keys: "
                    + childNames(parentKey(key)) + ")");
        }
        return dataset;
    }

    /** A numeric column over the dataset at {@code key}, which must exist. */
    Hdf5Column requireColumn(String key, String rule) throws DatasetFormatException {
        return Hdf5Column.of(this, key, requireDataset(key, rule));
    }

    /** A numeric column over the dataset at {@code key}, or null if there is none. */
    Hdf5Column optionalColumn(String key) throws DatasetFormatException {
        Dataset dataset = optionalDataset(key);
        return dataset == null ? null : Hdf5Column.of(this, key, dataset);
    }

    /**
     * The value of the root group's attribute {@code name} as jHDF decodes it (a {@code String} for a scalar
     * string, an array otherwise), or null if the root has no such attribute; an error naming the attribute if it
     * cannot be read.
     */
    Object rootAttribute(String name) throws DatasetFormatException {
        reading(null);
        try {
            io.jhdf.api.Attribute attribute = hdf.getAttribute(name);
            if (attribute == null) {
                return null;
            }
            if (attribute.getSizeInBytes() > length) {
                throw new DatasetFormatException(file, null, "has a root attribute '" + name + "' declaring "
                        + attribute.getSizeInBytes() + " bytes, more than the file's " + length);
            }
            return attribute.isEmpty() ? null : attribute.getData();
        } catch (DatasetFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new DatasetFormatException(file, null, "has a root attribute '" + name + "' that cannot be read "
                    + "(corrupt file?): " + e.getMessage(), e);
        }
    }

    /** Names of the children of the group at {@code key} ("" for the root), sorted. */
    List<String> childNames(String key) throws DatasetFormatException {
        try {
            Node node = key.isEmpty() ? hdf : node(key);
            List<String> names = new ArrayList<>();
            if (node instanceof Group) {
                reading(key.isEmpty() ? null : key);
                names.addAll(((Group) node).getChildren().keySet());
            }
            names.sort(null);
            return names;
        } catch (DatasetFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, key.isEmpty() ? null : key,
                    "cannot be listed (corrupt file?): " + e.getMessage(), e);
        }
    }

    private static String parentKey(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    @Override
    public void close() {
        hdf.close();
    }
}
