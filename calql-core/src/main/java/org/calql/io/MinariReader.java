package org.calql.io;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.calql.data.OfflineDataset;

/**
 * Reads a Minari {@code main_data.hdf5} file into an {@link OfflineDataset}.
 *
 * <p>Layout: one group {@code episode_i} per episode ({@code i = 0, 1, ...}; read in order of
 * {@code i}), each with {@code observations [T + 1, S]}, {@code actions [T, A]}, {@code rewards [T]},
 * {@code terminations [T]} and {@code truncations [T]} ({@code [T, 1]} is accepted for per-step keys);
 * other keys ({@code infos/*}) are ignored. Observations must be a Box space stored as one dataset;
 * a Dict observation space (a group) is rejected with a clear error. The action space a file declares
 * ({@link MinariMetadata}: the root attribute {@code action_space} Minari up to 0.4 writes, or
 * {@code metadata.json} beside a {@code main_data.hdf5} for Minari 0.5 and later) must be a {@code Box} or a
 * {@code Discrete} space. {@link #read(Path)} reads continuous actions and refuses a declared {@code Discrete}
 * space (or, with none declared, integer vectors {@code actions [T]}), pointing at
 * {@link DatasetLoader#loadDiscrete}, which reads {@code actions [T]} as indices.
 *
 * <p>Semantics: every step is kept; step {@code t} goes from {@code observations[t]} to
 * {@code observations[t + 1]}; it is terminal ({@code done = 1}) only if {@code terminations[t]}, so
 * truncated steps bootstrap; the episode ends at its last step (and at any terminated or truncated
 * step).
 *
 * <p>Episode indices must be unique: {@code episode_1} and {@code episode_01} both name episode 1, and
 * such a file is refused naming both groups rather than loading the episode twice. Before anything is
 * allocated, every key's declared size is checked against what the file holds (see
 * {@link MissingChunks}), and the dataset's arrays ({@code 4·(2·S + A + 1)·n + 6·n} bytes for {@code n}
 * steps) plus one episode's flags and one decompressed chunk are checked against the free heap.
 */
public final class MinariReader {
    private static final Pattern EPISODE = Pattern.compile("episode_(\\d+)");
    private static final String LAYOUT = "a Minari episode needs observations, actions, rewards, terminations "
            + "and truncations";
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private MinariReader() {
    }

    /**
     * Reads {@code file}.
     *
     * @param file a Minari {@code main_data.hdf5} file
     * @return every step of every episode, episodes in order of their index
     * @throws DatasetFormatException if the file is not HDF5, is truncated, has no {@code episode_i}
     *     group, or an episode breaks the layout (a missing key, a wrong rank, lengths that disagree,
     *     widths that differ between episodes, an empty episode, a NaN or infinite value, a flag that is
     *     not 0/1); the message names the file, key, value and rule
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset read(Path file) throws IOException {
        return read(file, MissingChunks.REFUSE);
    }

    /**
     * Reads {@code file}, treating chunks missing from a chunk index as {@code missingChunks} says.
     *
     * @throws DatasetFormatException as {@link #read(Path)}, and for missing chunks under
     *     {@link MissingChunks#REFUSE}
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset read(Path file, MissingChunks missingChunks) throws IOException {
        return Hdf5Source.read(file, missingChunks, MinariReader::read);
    }

    /**
     * Names of the {@code episode_i} groups of the root, in order of {@code i}; empty if none; an error
     * naming both groups if two name the same index ({@code episode_1}, {@code episode_01}).
     */
    static List<String> episodeGroups(Hdf5Source source) throws DatasetFormatException {
        List<long[]> ids = new ArrayList<>();
        Map<Long, String> byId = new HashMap<>();
        List<String> names = source.childNames("");
        for (String name : names) {
            Matcher m = EPISODE.matcher(name);
            if (m.matches()) {
                Node node = source.node(name);
                if (!(node instanceof Group)) {
                    throw new DatasetFormatException(source.file(), name, "is a dataset; a Minari episode must be "
                            + "a group holding observations, actions, rewards, terminations and truncations");
                }
                String digits = m.group(1);
                String significant = digits.replaceFirst("^0+(?=.)", "");
                if (significant.length() > 18) {
                    throw new DatasetFormatException(source.file(), name, "has episode index " + digits
                            + "; an episode index must have at most 18 digits");
                }
                long id = Long.parseLong(significant);
                String other = byId.putIfAbsent(id, name);
                if (other != null) {
                    throw new DatasetFormatException(source.file(), name, "and '" + other + "' both name episode "
                            + id + "; a Minari file must have one group per episode index");
                }
                ids.add(new long[] {id, names.indexOf(name)});
            }
        }
        ids.sort((a, b) -> Long.compare(a[0], b[0]));
        List<String> ordered = new ArrayList<>(ids.size());
        for (long[] id : ids) {
            ordered.add(names.get((int) id[1]));
        }
        return ordered;
    }

    static OfflineDataset read(Hdf5Source source) throws DatasetFormatException {
        return read(source, ActionColumns.CONTINUOUS);
    }

    private static List<String> requireEpisodes(Hdf5Source source) throws DatasetFormatException {
        List<String> groups = episodeGroups(source);
        if (groups.isEmpty()) {
            throw new DatasetFormatException(source.file(), null, "has no episode_i groups; a Minari main_data.hdf5 "
                    + "holds one group per episode (found keys: " + source.childNames("") + ")");
        }
        return groups;
    }

    /** The declared action space, or null; an error if it is neither {@code Box} nor {@code Discrete}. */
    private static MinariMetadata space(Hdf5Source source) throws DatasetFormatException {
        MinariMetadata space = MinariMetadata.read(source);
        if (space != null && !space.isBox() && !space.isDiscrete()) {
            throw new DatasetFormatException(source.file(), null, "declares a " + space.describe() + " action space; "
                    + "calql reads Box (continuous) and Discrete action spaces only");
        }
        return space;
    }

    /**
     * The actions the file holds (after checking every episode's keys, shapes and sizes as {@link #read} does,
     * without reading their data): as its declared action space says ({@link MinariMetadata}), a {@code Box} as
     * {@link DatasetActions.Continuous} of the first episode's action width, a {@code Discrete} space with its
     * {@code n} and {@code start}; without a declaration, integer vectors {@code [T]} in every episode as
     * {@link DatasetActions.Discrete} with {@code n} inferred (largest value + 1, every value checked), anything else
     * as continuous.
     */
    static DatasetActions inspect(Hdf5Source source) throws DatasetFormatException {
        MinariMetadata space = space(source);
        List<String> groups = requireEpisodes(source);
        if (space != null && space.isDiscrete()) {
            return new DatasetActions.Discrete(space.n, space.start, false);
        }
        Hdf5Column first = source.requireColumn(groups.get(0) + "/actions", LAYOUT);
        boolean discrete = space == null && ActionColumns.isIndexVector(first);
        List<Episode> episodes = new ArrayList<>(groups.size());
        for (String group : groups) {
            Episode episode = Episode.open(source, group, discrete, false);
            if (discrete && !ActionColumns.isIndexVector(episode.actions)) {
                throw episode.actions.error("has type " + episode.actions.typeName() + " and shape "
                        + episode.actions.shape() + " but " + first.key() + " is an integer vector " + first.shape()
                        + "; every episode must hold the same kind of actions");
            }
            episodes.add(episode);
        }
        if (!discrete) {
            return new DatasetActions.Continuous(episodes.get(0).actions.cols());
        }
        long total = 0;
        for (Episode episode : episodes) {
            total += episode.steps;
        }
        int max = -1;
        for (Episode episode : episodes) {
            ActionColumns.requireScannable(source, episode.actions, total);
            max = Math.max(max, ActionColumns.maxIndex(episode.actions, 0));
        }
        return new DatasetActions.Discrete(max + 1, 0, true);
    }

    /**
     * Reads every episode; {@code numActions} is {@link ActionColumns#CONTINUOUS} for continuous actions (a
     * declared {@code Discrete} space or, without a declaration, integer vectors refused, pointing at the discrete
     * loader) or the number of discrete actions (a declared {@code Box} space refused, a declared
     * {@code Discrete(n, start)} required to have {@code n = numActions}, and every action {@code a} loaded as the
     * index {@code a − start} in {@code [0, numActions)}).
     */
    static OfflineDataset read(Hdf5Source source, int numActions) throws DatasetFormatException {
        Path file = source.file();
        MinariMetadata space = space(source);
        boolean discrete = numActions != ActionColumns.CONTINUOUS;
        long start = 0;
        if (space != null) {
            if (!discrete && space.isDiscrete()) {
                throw new DatasetFormatException(file, null, "declares a " + space.describe() + " action space; "
                        + "DatasetLoader.load reads continuous actions only: load discrete data with "
                        + "DatasetLoader.loadDiscrete(file, " + space.n + ")");
            }
            if (discrete && space.isBox()) {
                throw new DatasetFormatException(file, null, "declares a " + space.describe() + " action space "
                        + "(continuous) but discrete actions were asked for; load continuous data with "
                        + "DatasetLoader.load");
            }
            if (discrete && space.n != numActions) {
                throw new DatasetFormatException(file, null, "declares a " + space.describe() + " action space but "
                        + numActions + " actions were asked for; the number of actions must match the dataset's");
            }
            start = space.start;
        }
        List<String> groups = requireEpisodes(source);
        List<Episode> episodes = new ArrayList<>(groups.size());
        long total = 0;
        Episode first = null;
        for (String group : groups) {
            Episode episode = Episode.open(source, group, discrete, space == null);
            if (first == null) {
                first = episode;
            } else {
                if (episode.observations.cols() != first.observations.cols()) {
                    throw episode.observations.error("has shape " + episode.observations.shape() + " but "
                            + first.observations.key() + " has " + first.observations.shape()
                            + "; every episode must have the same observation width");
                }
                if (episode.actions.cols() != first.actions.cols()) {
                    throw episode.actions.error("has shape " + episode.actions.shape() + " but "
                            + first.actions.key() + " has " + first.actions.shape()
                            + "; every episode must have the same action width");
                }
            }
            episodes.add(episode);
            total += episode.steps;
        }
        int obsDim = first.observations.cols();
        int actDim = discrete ? 1 : first.actions.cols();
        if (total > MAX_ARRAY / obsDim || total > MAX_ARRAY / actDim) {
            throw new DatasetFormatException(file, null, "has " + total + " steps of observation width " + obsDim
                    + " and action width " + actDim + ", more than a Java float array can hold");
        }
        int size = (int) total;
        long perEpisode = 0;
        for (Episode episode : episodes) {
            perEpisode = Math.max(perEpisode, 2 * Hdf5Source.arrayBytes(episode.steps, 1) + episode.streamingBytes());
        }
        source.requireHeap(null, D4rlReader.datasetBytes(size, obsDim, actDim) + perEpisode, size
                + " steps of observation width " + obsDim + " and action width " + actDim
                + " (and one episode's flags and decompressed chunk)");
        float[] obs = new float[size * obsDim];
        float[] nextObs = new float[size * obsDim];
        float[] act = new float[size * actDim];
        float[] rew = new float[size];
        boolean[] terminals = new boolean[size];
        boolean[] episodeEnds = new boolean[size];
        int base = 0;
        for (Episode episode : episodes) {
            episode.readInto(base, obsDim, actDim, obs, nextObs, act, rew, terminals, episodeEnds, start, numActions);
            base += episode.steps;
        }
        return OfflineDataset.fromArrays(obsDim, actDim, obs, act, rew, nextObs, terminals, episodeEnds);
    }

    /** One validated {@code episode_i} group. */
    private static final class Episode {
        final int steps;
        final Hdf5Column observations;
        final Hdf5Column actions;
        final Hdf5Column rewards;
        final Hdf5Column terminations;
        final Hdf5Column truncations;

        private Episode(int steps, Hdf5Column observations, Hdf5Column actions, Hdf5Column rewards,
                Hdf5Column terminations, Hdf5Column truncations) {
            this.steps = steps;
            this.observations = observations;
            this.actions = actions;
            this.rewards = rewards;
            this.terminations = terminations;
            this.truncations = truncations;
        }

        /**
         * Opens and checks an episode; {@code discrete} says whether actions are indices, {@code undeclared} whether
         * the file declares no action space (then an integer vector is refused as continuous actions).
         */
        static Episode open(Hdf5Source source, String group, boolean discrete, boolean undeclared)
                throws DatasetFormatException {
            String obsKey = group + "/observations";
            Node obsNode = source.node(obsKey);
            if (obsNode instanceof Group) {
                throw new DatasetFormatException(source.file(), obsKey, "is a group (a Dict observation space, keys "
                        + source.childNames(obsKey) + "); only Box observations stored as one [T + 1, "
                        + "observationDim] dataset are supported");
            }
            Hdf5Column rewards = source.requireColumn(group + "/rewards", LAYOUT)
                    .requireVector("rewards must have shape [T] or [T, 1]");
            int steps = rewards.rows();
            String perStep = "'" + rewards.key() + "' has " + steps + "; a Minari episode needs T steps of actions, "
                    + "rewards, terminations and truncations and T + 1 observations";
            Hdf5Column observations = source.requireColumn(obsKey, LAYOUT)
                    .requireMatrix("observations must have shape [T + 1, observationDim]");
            observations.requireRows(steps + 1, perStep);
            Hdf5Column actions = source.requireColumn(group + "/actions", LAYOUT);
            if (discrete) {
                ActionColumns.requireIndices(actions, "T");
            } else {
                if (undeclared && ActionColumns.isIndexVector(actions)) {
                    throw ActionColumns.discreteRefused(actions, actions.typeName() + ", shape " + actions.shape());
                }
                actions.requireMatrix("actions must have shape [T, actionDim] (continuous actions; discrete action "
                        + "indices are an integer vector [T], read by DatasetLoader.loadDiscrete)");
            }
            actions.requireRows(steps, perStep);
            Hdf5Column terminations = source.requireColumn(group + "/terminations", LAYOUT)
                    .requireVector("terminations must have shape [T] or [T, 1]");
            terminations.requireRows(steps, perStep);
            Hdf5Column truncations = source.requireColumn(group + "/truncations", LAYOUT)
                    .requireVector("truncations must have shape [T] or [T, 1]");
            truncations.requireRows(steps, perStep);
            return new Episode(steps, observations, actions, rewards, terminations, truncations);
        }

        long streamingBytes() {
            return Math.max(Math.max(observations.streamingBytes(), actions.streamingBytes()),
                    Math.max(rewards.streamingBytes(), Math.max(terminations.streamingBytes(),
                            truncations.streamingBytes())));
        }

        void readInto(int base, int obsDim, int actDim, float[] obs, float[] nextObs, float[] act, float[] rew,
                boolean[] terminals, boolean[] episodeEnds, long start, int numActions) throws DatasetFormatException {
            int last = steps;
            observations.stream((row0, nRows, col0, nCols, values) -> {
                int k = 0;
                for (int i = 0; i < nRows; i++) {
                    int t = row0 + i;
                    for (int j = 0; j < nCols; j++) {
                        float v = observations.toFiniteFloat(values[k++], t, col0 + j);
                        if (t < last) {
                            obs[(base + t) * obsDim + col0 + j] = v;
                        }
                        if (t > 0) {
                            nextObs[(base + t - 1) * obsDim + col0 + j] = v;
                        }
                    }
                }
            });
            if (numActions != ActionColumns.CONTINUOUS) {
                ActionColumns.readIndices(actions, null, act, base, start, numActions);
            } else {
                actions.stream((row0, nRows, col0, nCols, values) -> {
                    int k = 0;
                    for (int i = 0; i < nRows; i++) {
                        int t = row0 + i;
                        for (int j = 0; j < nCols; j++) {
                            act[(base + t) * actDim + col0 + j] = actions.toFiniteFloat(values[k++], t, col0 + j);
                        }
                    }
                });
            }
            rewards.stream((row0, nRows, col0, nCols, values) -> {
                for (int i = 0; i < nRows; i++) {
                    rew[base + row0 + i] = rewards.toFiniteFloat(values[i * nCols], row0 + i, 0);
                }
            });
            boolean[] terminated = terminations.readBooleans();
            boolean[] truncated = truncations.readBooleans();
            for (int t = 0; t < steps; t++) {
                terminals[base + t] = terminated[t];
                episodeEnds[base + t] = terminated[t] || truncated[t] || t == steps - 1;
            }
        }
    }
}
