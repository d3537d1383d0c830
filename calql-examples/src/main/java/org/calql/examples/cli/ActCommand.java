package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.calql.serving.NpyFile;
import org.calql.serving.ServedPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code calql act CHECKPOINT_OR_POLICY --observations FILE.npy --out FILE.npy}: batch inference for offline
 * scoring. Reads raw observations ({@code [N, observationDim]}, or one {@code [observationDim]}), and writes the
 * deterministic actions ({@code [N, actionDim]}, or {@code [actionDim]}) as the agent's {@code act} hands them to the
 * environment: normaliser applied, {@code maxAction·tanh(mean)}, then mapped into the environment's box when the
 * policy knows it (a policy artifact written with one) or {@code --action-low/--action-high} give it; otherwise in
 * the policy's range {@code [−maxAction, maxAction]}. Runs on the plain-Java host path ({@link ServedPolicy}); a
 * checkpoint may hold a Cal-QL/CQL agent or an ACA agent with a tanh-Gaussian policy ({@link PolicySource}).
 */
@Command(name = "act", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Batch inference: the deterministic actions of a checkpoint (DIR holding agent.calql) or a "
                + "policy artifact for the observations of a .npy file, written as a .npy file."})
final class ActCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT_OR_POLICY",
            description = "A checkpoint directory (holding agent.calql of a Cal-QL, CQL or tanh-Gaussian ACA agent) "
                    + "or a policy artifact (export-policy --format policy).")
    Path source;

    @Option(names = "--observations", required = true, paramLabel = "FILE.npy",
            description = "Raw observations, float32 or float64, shape [N, observationDim] or [observationDim].")
    Path observations;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy",
            description = "Where the actions go: shape [N, actionDim] (or [actionDim]).")
    Path out;

    @Option(names = "--dtype", paramLabel = "float32|float64",
            description = "The actions' type (default: the observations').")
    NpyFile.DType dtype;

    @Mixin
    PolicySource policySource;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        ServedPolicy policy = policySource.load(source);
        NpyFile input = NpyFile.read(observations);
        int[] shape = input.shape();
        int dim = policy.observationDim();
        boolean single = shape.length == 1;
        if (!(single && shape[0] == dim) && !(shape.length == 2 && shape[1] == dim)) {
            throw new IllegalArgumentException(observations + ": shape " + Arrays.toString(shape)
                    + " must be [N, " + dim + "] or [" + dim + "] (observationDim " + dim + ")");
        }
        int rows = single ? 1 : shape[0];
        double[] actions = new double[rows * policy.actionDim()];
        try {
            policy.act(input.values(), rows, actions);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(observations + ": " + e.getMessage(), e);
        }
        int[] outShape = single ? new int[] {policy.actionDim()} : new int[] {rows, policy.actionDim()};
        NpyFile.write(out, outShape, actions, dtype == null ? input.dtype() : dtype);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "wrote %d actions %s to %s, %s%n", rows, Arrays.toString(outShape), out,
                policy.actionBox() == null
                        ? "in the policy's range [-" + policy.maxAction() + ", " + policy.maxAction() + "]"
                        : "in the environment's box " + policy.actionBox());
        return 0;
    }
}
