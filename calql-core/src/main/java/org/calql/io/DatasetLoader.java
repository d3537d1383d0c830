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
 *
 * <p><b>Continuous or discrete.</b> {@link #load} reads continuous actions ({@code actions [N, A]}, any numeric
 * type, stored as float). {@link #loadDiscrete} reads discrete ones: one action index per step, stored in the
 * dataset as a float holding the index ({@code actionDim = 1}), as {@link org.calql.env.DiscreteSpace} carries
 * actions. {@link #inspect} says which a file holds and how many actions. A file holding discrete actions (an
 * integer vector {@code actions [N]}, or a Minari file declaring a {@code Discrete} action space) is refused by
 * {@link #load} with a message pointing at {@link #loadDiscrete}: the dataset does not record its kind, so loading
 * indices as 1-D continuous actions would let a continuous agent train on them without notice, and only a caller
 * that names the number of actions can have every index checked against it. An integer <em>matrix</em>
 * {@code [N, A]} still loads as continuous actions, as it always did.
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
     *     more data than it holds or than the heap can take, (under {@link MissingChunks#REFUSE}) lacks
     *     chunks, or holds discrete actions (then the message points at {@link #loadDiscrete}); never another
     *     exception for a malformed file
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset load(Path file, DatasetFormat format, MissingChunks missingChunks)
            throws IOException {
        return Hdf5Source.read(file, missingChunks,
                source -> read(source, format == null ? DatasetFormat.detect(source) : format));
    }

    /**
     * Says what kind of actions {@code file} holds (its format detected), reading only its action space and its
     * {@code actions}; see {@link #inspect(Path, DatasetFormat, MissingChunks)}.
     *
     * @throws DatasetFormatException as {@link #inspect(Path, DatasetFormat, MissingChunks)}
     * @throws IOException if the file cannot be read
     */
    public static DatasetActions inspect(Path file) throws IOException {
        return inspect(file, null, MissingChunks.REFUSE);
    }

    /**
     * Says what kind of actions {@code file} holds, in the given format (detected if null):
     * <ul>
     *   <li>a Minari file that declares its action space (the root attribute {@code action_space} Minari up to 0.4
     *       writes, or {@code action_space} in the {@code metadata.json} beside a {@code main_data.hdf5}, as Minari
     *       0.5 writes): a {@code Discrete} space as {@link DatasetActions.Discrete} with its {@code n} and
     *       {@code start} ({@code inferred = false}), a {@code Box} as {@link DatasetActions.Continuous} of the
     *       first episode's action width; any other space is refused;</li>
     *   <li>otherwise an integer vector {@code actions [N]} (every Minari episode's {@code actions [T]}) as
     *       {@link DatasetActions.Discrete} with {@code n} = largest value + 1 and {@code inferred = true}, after
     *       checking every value is a non-negative integer below 2^24;</li>
     *   <li>otherwise a matrix {@code actions [N, A]} as {@link DatasetActions.Continuous} of width {@code A}.</li>
     * </ul>
     * The other keys are not read, so a file this accepts may still be refused by a load.
     *
     * @throws DatasetFormatException if the file is not HDF5, has neither layout, declares a malformed or
     *     unsupported action space, or its {@code actions} break the rules above (naming file, key, value and rule)
     * @throws IOException if the file cannot be read
     */
    public static DatasetActions inspect(Path file, DatasetFormat format, MissingChunks missingChunks)
            throws IOException {
        return Hdf5Source.read(file, missingChunks, source -> {
            DatasetFormat resolved = format == null ? DatasetFormat.detect(source) : format;
            return resolved == DatasetFormat.D4RL ? D4rlReader.inspect(source) : MinariReader.inspect(source);
        });
    }

    /**
     * Loads {@code file} (its format detected) requiring discrete actions, {@code numActions} of them; see
     * {@link #loadDiscrete(Path, DatasetFormat, MissingChunks, int)}.
     *
     * @throws IllegalArgumentException if {@code numActions} is not in {@code [1, 2^24]}
     * @throws DatasetFormatException as {@link #loadDiscrete(Path, DatasetFormat, MissingChunks, int)}
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset loadDiscrete(Path file, int numActions) throws IOException {
        return loadDiscrete(file, null, MissingChunks.REFUSE, numActions);
    }

    /**
     * Loads {@code file} in the given format (detected if null) requiring discrete actions, {@code numActions} of
     * them: the dataset has {@code actionDim = 1} and action {@code t} is the index, as a float, of step {@code t}'s
     * action; every other key follows the same rules as {@link #load} ({@code qlearning_dataset} for D4RL, every
     * step for Minari).
     *
     * <p>{@code actions} must be {@code [N]} or {@code [N, 1]} ({@code [T]} or {@code [T, 1]} per Minari episode),
     * of any HDF5 integer type (signed or unsigned, 8 to 64 bits) or of a float type whose every value is a whole
     * number; every value {@code a} of every row (dropped rows included) must give an index {@code a − start} in
     * {@code [0, numActions)}, where {@code start} is a declared Minari {@code Discrete} space's start (else 0). A
     * Minari file that declares its action space must declare {@code Discrete(numActions)}. Refused, each with a
     * {@link DatasetFormatException} naming the file, key, index and value and the rule: a negative index, an index
     * {@code >= numActions}, a non-integral float, a float matrix {@code [N, A]} (continuous actions), a 2-D integer
     * {@code [N, k]} with {@code k >= 2} (multi-discrete), another type (an h5py bool, a string), a declared
     * {@code Box} space, or a declared {@code Discrete(n)} with {@code n != numActions}. The size checks of
     * {@link #load} apply unchanged.
     *
     * @param numActions the number of actions, {@code |A|}, from 1 to 2^24 (indices up to 2^24 are exact as floats)
     * @throws IllegalArgumentException if {@code numActions} is not in {@code [1, 2^24]}
     * @throws DatasetFormatException if the file breaks its layout or the rules above
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset loadDiscrete(Path file, DatasetFormat format, MissingChunks missingChunks,
            int numActions) throws IOException {
        if (numActions < 1 || numActions > ActionColumns.MAX_ACTIONS) {
            throw new IllegalArgumentException("numActions must be between 1 and " + ActionColumns.MAX_ACTIONS
                    + " (2^24: every index exact as a float), found " + numActions);
        }
        return Hdf5Source.read(file, missingChunks,
                source -> read(source, format == null ? DatasetFormat.detect(source) : format, numActions));
    }

    private static OfflineDataset read(Hdf5Source source, DatasetFormat format) throws DatasetFormatException {
        return read(source, format, ActionColumns.CONTINUOUS);
    }

    private static OfflineDataset read(Hdf5Source source, DatasetFormat format, int numActions)
            throws DatasetFormatException {
        switch (format) {
            case D4RL:
                return D4rlReader.read(source, numActions);
            case MINARI:
                return MinariReader.read(source, numActions);
            default:
                throw new IllegalStateException("unknown dataset format " + format);
        }
    }
}
