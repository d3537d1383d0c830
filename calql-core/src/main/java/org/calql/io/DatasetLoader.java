package org.calql.io;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.data.OfflineDataset;

/**
 * The front door for loading offline-RL data from disk: detects or takes the {@link DatasetFormat}
 * and reads the file into an {@link OfflineDataset}. Reward scale/bias and returns-to-go are applied
 * afterwards by the data package ({@link org.calql.data.RewardTransform},
 * {@link org.calql.data.ReturnsToGo}).
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
        try (Hdf5Source source = Hdf5Source.open(file)) {
            return read(source, DatasetFormat.detect(source));
        }
    }

    /**
     * Loads {@code file} in the given format, or detects it if {@code format} is null.
     *
     * @throws DatasetFormatException if the file is not HDF5, is truncated, or breaks the layout
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset load(Path file, DatasetFormat format) throws IOException {
        try (Hdf5Source source = Hdf5Source.open(file)) {
            return read(source, format == null ? DatasetFormat.detect(source) : format);
        }
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
