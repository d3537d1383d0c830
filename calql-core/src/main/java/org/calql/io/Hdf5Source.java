package org.calql.io;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An open HDF5 file with the checks every reader needs: that the file is HDF5 and complete, and that
 * a key names a dataset. Every jhdf failure is turned into a {@link DatasetFormatException} naming the
 * file and the key.
 */
final class Hdf5Source implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** HDF5 allows a user block of 512, 1024, ... bytes before the signature. */
    private static final long USER_BLOCK_MIN = 512;

    private final Path file;
    private final HdfFile hdf;

    private Hdf5Source(Path file, HdfFile hdf) {
        this.file = file;
        this.hdf = hdf;
    }

    /**
     * Opens {@code file}, rejecting one that is missing, not HDF5, or shorter than its superblock says.
     */
    static Hdf5Source open(Path file) throws IOException {
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
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("signature")) {
                throw new DatasetFormatException(file, null, "is not an HDF5 file: no HDF5 signature found ("
                        + size + " bytes)", e);
            }
            throw new DatasetFormatException(file, null, "cannot be opened as HDF5 (" + size
                    + " bytes; truncated or corrupt?): " + e.getMessage(), e);
        }
        try {
            Superblock superblock = hdf.getHdfBackingStorage().getSuperblock();
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
        } catch (RuntimeException e) {
            hdf.close();
            throw new DatasetFormatException(file, null, "cannot be read as HDF5 (" + size
                    + " bytes; truncated or corrupt?): " + e.getMessage(), e);
        }
        return new Hdf5Source(file, hdf);
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

    /** The node at {@code key}, or null if there is none. */
    Node node(String key) throws DatasetFormatException {
        try {
            Group group = hdf;
            String[] parts = key.split("/");
            Node node = null;
            for (int i = 0; i < parts.length; i++) {
                node = group.getChild(parts[i]);
                if (node == null) {
                    return null;
                }
                if (i < parts.length - 1) {
                    if (!(node instanceof Group)) {
                        return null;
                    }
                    group = (Group) node;
                }
            }
            return node;
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file, key, "cannot be read (corrupt file?): " + e.getMessage(), e);
        }
    }

    /** The dataset at {@code key}, or null if there is none; an error if {@code key} is a group. */
    Dataset optionalDataset(String key) throws DatasetFormatException {
        Node node = node(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof Dataset)) {
            throw new DatasetFormatException(file, key, "is a group, not a dataset");
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
        return Hdf5Column.of(file, key, requireDataset(key, rule));
    }

    /** A numeric column over the dataset at {@code key}, or null if there is none. */
    Hdf5Column optionalColumn(String key) throws DatasetFormatException {
        Dataset dataset = optionalDataset(key);
        return dataset == null ? null : Hdf5Column.of(file, key, dataset);
    }

    /** Names of the children of the group at {@code key} ("" for the root), sorted. */
    List<String> childNames(String key) throws DatasetFormatException {
        try {
            Node node = key.isEmpty() ? hdf : node(key);
            List<String> names = new ArrayList<>();
            if (node instanceof Group) {
                names.addAll(((Group) node).getChildren().keySet());
            }
            names.sort(null);
            return names;
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
