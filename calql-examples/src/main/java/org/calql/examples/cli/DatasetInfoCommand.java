package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.io.DatasetFormat;
import org.calql.io.DatasetLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code calql dataset-info FILE}: loads a D4RL or Minari HDF5 file as training would and describes it;
 * with {@code --json}, as one JSON object.
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

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DatasetFormat resolved = format != null ? format : DatasetFormat.detect(file);
        OfflineDataset data = DatasetLoader.load(file, resolved);
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
            out.println(j);
        } else {
            out.printf(Locale.ROOT, "file            %s (%s)%n", file, resolved.id());
            out.printf(Locale.ROOT, "dimensions      observation %d, action %d%n", data.observationDim(),
                    data.actionDim());
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
