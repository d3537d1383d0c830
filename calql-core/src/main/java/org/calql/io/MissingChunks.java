package org.calql.io;

/**
 * What a reader does with a chunked dataset whose chunk index lists fewer chunks than the dataset's
 * shape needs. HDF5 reads such chunks as the dataset's fill value, which hides a corrupt chunk index
 * (e.g. every reward of an episode read as 0.0), so calql refuses them unless told otherwise.
 */
public enum MissingChunks {
    /**
     * The default: a {@link DatasetFormatException} naming the file, the key, how many of the
     * dataset's chunks are missing and the rule.
     */
    REFUSE,
    /**
     * Read the missing chunks as the dataset's fill value, as h5py does. Use it only for a file known to
     * have been written in part on purpose (e.g. {@code dset[:k] = ...} into a larger chunked dataset).
     * The declared size is then not bounded by the file's content, only by the heap check.
     */
    READ_AS_FILL_VALUE
}
