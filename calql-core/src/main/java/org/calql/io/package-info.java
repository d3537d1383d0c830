/**
 * Pure-Java readers for offline-RL datasets stored as HDF5, built on jHDF (no Python, no native HDF5).
 *
 * <ul>
 *   <li>{@link org.calql.io.D4rlReader}: D4RL files, with the semantics of D4RL's
 *       {@code qlearning_dataset} (last row and timeout rows dropped).</li>
 *   <li>{@link org.calql.io.MinariReader}: Minari {@code main_data.hdf5} files, one group per
 *       episode, every step kept, truncated steps bootstrapping.</li>
 *   <li>{@link org.calql.io.DatasetLoader} and {@link org.calql.io.DatasetFormat}: the front door,
 *       with format detection; {@link org.calql.io.DatasetLoader#inspect} says whether a file holds continuous
 *       or discrete actions ({@link org.calql.io.DatasetActions}) and
 *       {@link org.calql.io.DatasetLoader#loadDiscrete} loads discrete ones as action indices, each checked to
 *       lie in {@code [0, n)}.</li>
 * </ul>
 *
 * <p>Readers return an {@link org.calql.data.OfflineDataset} whose observations, actions and rewards
 * are flat primitive {@code float[]} arrays, filled chunk by chunk without an intermediate copy of the
 * file. A file that is not HDF5, is truncated or breaks its layout raises a
 * {@link org.calql.io.DatasetFormatException} that names the file, the key, the value or shape, and the
 * rule. So does a hostile one: every declared size is checked against what the file holds and against
 * the heap before anything is allocated, chunks missing from a chunk index are refused unless
 * {@link org.calql.io.MissingChunks#READ_AS_FILL_VALUE} is asked for, soft links are followed inside the
 * file and external links refused, two Minari groups naming the same episode index are refused, and any
 * other exception from jHDF is rethrown as a {@code DatasetFormatException}.
 */
package org.calql.io;
