package org.calql.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.calql.data.OfflineDataset;

/** The on-disk layouts of offline-RL data that calql reads, each with its reader. */
public enum DatasetFormat {
    /** D4RL's flat layout, read with {@code qlearning_dataset} semantics; see {@link D4rlReader}. */
    D4RL {
        @Override
        public OfflineDataset read(Path file) throws IOException {
            return D4rlReader.read(file);
        }
    },
    /** Minari's {@code main_data.hdf5}, one group per episode; see {@link MinariReader}. */
    MINARI {
        @Override
        public OfflineDataset read(Path file) throws IOException {
            return MinariReader.read(file);
        }
    };

    /**
     * Reads {@code file} in this format.
     *
     * @throws DatasetFormatException if the file does not follow this format
     * @throws IOException if the file cannot be read
     */
    public abstract OfflineDataset read(Path file) throws IOException;

    /**
     * Reads {@code file} in this format, treating chunks missing from a chunk index as
     * {@code missingChunks} says.
     *
     * @throws DatasetFormatException if the file does not follow this format
     * @throws IOException if the file cannot be read
     */
    public OfflineDataset read(Path file, MissingChunks missingChunks) throws IOException {
        return DatasetLoader.load(file, this, missingChunks);
    }

    /** The lower-case name used on the command line: {@code d4rl} or {@code minari}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named {@code name}, case-insensitively ({@code d4rl} or {@code minari}).
     *
     * @throws IllegalArgumentException naming the accepted values if {@code name} is none of them
     */
    public static DatasetFormat fromId(String name) {
        for (DatasetFormat format : values()) {
            if (format.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("dataset format must be one of "
                + Arrays.toString(Arrays.stream(values()).map(DatasetFormat::id).toArray())
                + ", found '" + name + "'");
    }

    /**
     * Detects the format of an HDF5 file from its keys: a root dataset {@code observations} means
     * {@link #D4RL}; root groups named {@code episode_i} mean {@link #MINARI}.
     *
     * @throws DatasetFormatException if the file is not HDF5 or has neither layout (naming the keys found)
     * @throws IOException if the file cannot be read
     */
    public static DatasetFormat detect(Path file) throws IOException {
        return Hdf5Source.read(file, MissingChunks.REFUSE, DatasetFormat::detect);
    }

    static DatasetFormat detect(Hdf5Source source) throws DatasetFormatException {
        if (source.optionalDataset("observations") != null) {
            return D4RL;
        }
        if (!MinariReader.episodeGroups(source).isEmpty()) {
            return MINARI;
        }
        throw new DatasetFormatException(source.file(), null, "is neither a D4RL file (a root dataset "
                + "'observations') nor a Minari file (root groups 'episode_0', 'episode_1', ...); found keys: "
                + source.childNames(""));
    }
}
