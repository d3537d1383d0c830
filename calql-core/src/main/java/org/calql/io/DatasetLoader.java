package org.calql.io;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.data.OfflineDataset;

/**
 * The front door for loading offline-RL data from disk: detects or takes the {@link DatasetFormat}
 * and reads the file into an {@link OfflineDataset}. Reward scale/bias and returns-to-go are applied
 * afterwards by the data package ({@link org.calql.data.RewardTransform},
 * {@link org.calql.data.ReturnsToGo}).
 *
 * <p>A malformed or hostile file ends in a {@link DatasetFormatException} (an {@link IOException})
 * naming the file, the key, the value and the rule, and nothing else: declared sizes are checked
 * against the file and the heap before anything is allocated; chunks missing from a chunk index are
 * refused by default ({@link MissingChunks}); soft links are followed inside the file and external
 * links refused; and any other exception jHDF throws on a corrupt file is rethrown as a
 * {@code DatasetFormatException}.
 */
public final class DatasetLoader {
    private DatasetLoader() {
    }

    /**
     * Loads {@code file}, detecting its format with {@link DatasetFormat#detect(Path)}.
     *
     * @throws DatasetFormatException if the file is not HDF5, is truncated, or breaks its layout
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset load(Path file) throws IOException {
        return load(file, null, MissingChunks.REFUSE);
    }

    /**
     * Loads {@code file} in the given format, or detects it if {@code format} is null.
     *
     * @throws DatasetFormatException if the file is not HDF5, is truncated, or breaks the layout
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset load(Path file, DatasetFormat format) throws IOException {
        return load(file, format, MissingChunks.REFUSE);
    }

    /**
     * Loads {@code file} in the given format (detected if null), treating chunks missing from a chunk
     * index as {@code missingChunks} says.
     *
     * @throws DatasetFormatException if the file is not HDF5, is truncated, breaks the layout, declares
     *     more data than it holds or than the heap can take, or (under {@link MissingChunks#REFUSE}) lacks
     *     chunks; never another exception for a malformed file
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset load(Path file, DatasetFormat format, MissingChunks missingChunks)
            throws IOException {
        return Hdf5Source.read(file, missingChunks,
                source -> read(source, format == null ? DatasetFormat.detect(source) : format));
    }

    private static OfflineDataset read(Hdf5Source source, DatasetFormat format) throws DatasetFormatException {
        switch (format) {
            case D4RL:
                return D4rlReader.read(source);
            case MINARI:
                return MinariReader.read(source);
            default:
                throw new IllegalStateException("unknown dataset format " + format);
        }
    }
}
