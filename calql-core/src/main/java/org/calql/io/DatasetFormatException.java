package org.calql.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A dataset file that cannot be loaded because its content breaks a rule of its format: it is not
 * HDF5 or is truncated, a key is missing, a dataset has the wrong rank, type or length, holds no data,
 * or holds a NaN or infinite value.
 *
 * <p>The message names the file, the key (the HDF5 path inside the file, e.g. {@code observations} or
 * {@code episode_3/rewards}) where one applies, the offending value or shape, and the rule it breaks,
 * e.g. {@code d4rl.hdf5: key 'actions' has 269 rows but 'rewards' has 270; every D4RL key must have
 * one row per step}.
 */
public class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;

    /**
     * @param file the file being read
     * @param key the HDF5 key the problem is in, or null if it concerns the whole file
     * @param detail what is wrong and which rule it breaks
     */
    public DatasetFormatException(Path file, String key, String detail) {
        super(format(file, key, detail));
        this.file = file;
        this.key = key;
    }

    /**
     * @param file the file being read
     * @param key the HDF5 key the problem is in, or null if it concerns the whole file
     * @param detail what is wrong and which rule it breaks
     * @param cause the underlying error
     */
    public DatasetFormatException(Path file, String key, String detail, Throwable cause) {
        super(format(file, key, detail), cause);
        this.file = file;
        this.key = key;
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The HDF5 key the problem is in, if it concerns one key. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    private static String format(Path file, String key, String detail) {
        return file + ": " + (key == null ? "" : "key '" + key + "' ") + detail;
    }
}
