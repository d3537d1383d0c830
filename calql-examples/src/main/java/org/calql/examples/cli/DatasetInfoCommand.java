package org.calql.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.io.DatasetActions;
import org.calql.io.DatasetFormat;
import org.calql.io.DatasetLoader;
import org.calql.io.MissingChunks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code calql dataset-info FILE}: loads a D4RL or Minari HDF5 file as training would and describes it;
 * with {@code --json}, as one JSON object. It first asks {@link DatasetLoader#inspect} what actions the file
 * holds and reports them: continuous with their dimension, or discrete with the number of actions (declared by
 * a Minari action space, or inferred as the largest index + 1, which the report says) and the space's start;
 * discrete data is then loaded with {@link DatasetLoader#loadDiscrete} with that number, so every index is
 * checked. A bad file (malformed, truncated, declaring more data than
 * it or the heap holds, missing chunks) ends, like every runtime error, as one line on stderr naming the
 * file, key, value and rule, with exit code 1; so does running out of memory.
 */
@Command(name = "dataset-info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Describe a D4RL or Minari HDF5 dataset as calql loads it (D4RL's qlearning_dataset rules)."})
final class DatasetInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The HDF5 file.")
    Path file;

    @Option(names = "--format", description = "d4rl or minari (default: detected from the file's layout).")
    DatasetFormat format;

    @Option(names = "--discount", description = "Discount of the returns-to-go (default: ${DEFAULT-VALUE}).")
    double discount = 0.99;

    @Option(names = "--reward-scale", description = "Reward scale before returns (default: ${DEFAULT-VALUE}).")
    double rewardScale = 1.0;

    @Option(names = "--reward-bias", description = "Reward bias before returns (default: ${DEFAULT-VALUE}).")
    double rewardBias = 0.0;

    @Option(names = "--sparse-failure-reward", description = "Failure reward of the sparse-reward rule in "
            + "transformed units (default: off).")
    double sparseFailureReward = Double.NaN;

    @Option(names = "--allow-missing-chunks", description = "Read chunks missing from a chunk index as the "
            + "dataset's fill value, as h5py does (default: refuse the file, naming the key and the count).")
    boolean allowMissingChunks;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    Verbosity verbosity;

    /**
     * Loads {@code file} for a command: as {@link DatasetLoader#load(Path, DatasetFormat, MissingChunks)},
     * with an {@link OutOfMemoryError} (which the loader's size checks should prevent) rethrown as an
     * {@link IOException} naming the file and the heap, so that the command line reports it in one line.
     */
    static OfflineDataset load(Path file, DatasetFormat format, boolean allowMissingChunks) throws IOException {
        try {
            return DatasetLoader.load(file, format,
                    allowMissingChunks ? MissingChunks.READ_AS_FILL_VALUE : MissingChunks.REFUSE);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, e);
        }
    }

    /** An out-of-memory error while handling {@code file}, as an exception with a one-line message. */
    static IOException outOfMemory(Path file, OutOfMemoryError e) {
        return new IOException(file + ": ran out of memory (" + e.getMessage() + ", maximum heap "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); the dataset needs a larger heap (-Xmx)", e);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return describe();
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, e);
        }
    }

    private int describe() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        MissingChunks missing = allowMissingChunks ? MissingChunks.READ_AS_FILL_VALUE : MissingChunks.REFUSE;
        DatasetActions actions = DatasetLoader.inspect(file, format, missing);
        OfflineDataset data = actions instanceof DatasetActions.Discrete discrete
                ? DatasetLoader.loadDiscrete(file, format, missing, discrete.n())
                : load(file, format, allowMissingChunks);
        DatasetFormat resolved = format != null ? format : DatasetFormat.detect(file);
        PreparedDataset prepared = PreparedDataset.prepare(data, new RewardTransform(rewardScale, rewardBias), discount,
                Double.isNaN(sparseFailureReward) ? OptionalDouble.empty() : OptionalDouble.of(sparseFailureReward));
        double rtgSum = 0.0;
        for (double g : prepared.returnsToGo()) {
            rtgSum += g;
        }
        int[] starts = data.episodeStarts();
        double startSum = 0.0;
        for (int s : starts) {
            startSum += prepared.returnToGo(s);
        }
        double startMean = starts.length == 0 ? Double.NaN : startSum / starts.length;
        if (json) {
            Json j = new Json().put("file", file.toString()).put("format", resolved.id())
                    .put("observationDim", data.observationDim()).put("actionDim", data.actionDim())
                    .put("transitions", data.size()).put("episodes", data.episodeCount())
                    .put("terminals", data.terminalCount()).put("rewardSum", data.rewardSum())
                    .put("returnToGoSum", rtgSum).put("meanStartReturnToGo", startMean)
                    .put("discount", discount).put("rewardScale", rewardScale).put("rewardBias", rewardBias)
                    .put("sparseFailureReward", sparseFailureReward)
                    .put("episodeLengths", data.episodeLengths());
            j.put("actionKind", actions instanceof DatasetActions.Discrete ? "discrete" : "continuous");
            if (actions instanceof DatasetActions.Discrete discrete) {
                j.put("numActions", discrete.n()).put("numActionsInferred", discrete.inferred())
                        .put("actionStart", discrete.start());
            }
            out.println(j);
        } else {
            out.printf(Locale.ROOT, "file            %s (%s)%n", file, resolved.id());
            out.printf(Locale.ROOT, "dimensions      observation %d, action %d%n", data.observationDim(),
                    data.actionDim());
            out.printf(Locale.ROOT, "actions         %s%n", actions);
            out.printf(Locale.ROOT, "transitions     %d%n", data.size());
            out.printf(Locale.ROOT, "episodes        %d (%d end in a terminal)%n", data.episodeCount(),
                    data.terminalCount());
            int[] lengths = data.episodeLengths();
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int l : lengths) {
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
            out.printf(Locale.ROOT, "episode length  min %d, mean %.1f, max %d%n", lengths.length == 0 ? 0 : min,
                    lengths.length == 0 ? 0.0 : (double) data.size() / lengths.length, max);
            out.printf(Locale.ROOT, "reward sum      %.6g (raw)%n", data.rewardSum());
            out.printf(Locale.ROOT, "return-to-go    sum %.6g, mean at episode starts %.6g (discount %s, r' = %s·r + %s)%n",
                    rtgSum, startMean, discount, rewardScale, rewardBias);
        }
        out.flush();
        return 0;
    }
}
