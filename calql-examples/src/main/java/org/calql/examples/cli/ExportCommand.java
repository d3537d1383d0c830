package org.calql.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.calql.agent.Agent;
import org.calql.interop.CorlWeights;
import org.calql.interop.DType;
import org.calql.env.BoxSpace;
import org.calql.interop.ExportOptions;
import org.calql.onnx.OnnxExport;
import org.calql.serving.PolicyArtifact;
import org.calql.serving.ServedPolicy;
import org.calql.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code calql export DIR --format safetensors|npz|onnx|policy --out FILE}: safetensors and npz write a checkpoint's
 * actor, critics, targets, α, α′ and normaliser under CORL's {@code state_dict} key names (see {@link CorlWeights});
 * onnx and policy write its deterministic policy as an ONNX model ({@link OnnxExport}) or a policy artifact
 * ({@link PolicyArtifact}), as {@code export-policy} does, for a Cal-QL/CQL or a tanh-Gaussian ACA checkpoint.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a calql checkpoint's weights (DIR/agent.calql) under CORL cal_ql.py's state_dict key "
                + "names: actor.base_network.*, critic1.network.*, critic1_target.network.*, sac_log_alpha.constant, "
                + "cql_log_alpha.constant, plus obs_mean/obs_std. safetensors also holds maxAction (and the action "
                + "box) as metadata; npz holds the tensors only. onnx and policy write the deterministic policy "
                + "(observation -> action, with the normaliser and the action scaling) as an ONNX model or a calql "
                + "policy artifact."})
final class ExportCommand implements Callable<Integer> {
    /** The export formats. */
    enum Format { SAFETENSORS, NPZ, ONNX, POLICY }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory holding agent.calql.")
    Path directory;

    @Option(names = "--format", required = true, description = "safetensors, npz, onnx or policy.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Option(names = "--dtype", description = "F32 (default, PyTorch's) or F64.")
    DType dtype = DType.F32;

    @Option(names = "--action-low", split = ",", paramLabel = "X,X",
            description = "The environment's lower action bounds, written to the metadata when the box differs from "
                    + "[-maxAction, maxAction] (with --action-high).")
    double[] actionLow;

    @Option(names = "--action-high", split = ",", paramLabel = "X,X", description = "The upper action bounds.")
    double[] actionHigh;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        ExportOptions options;
        try {
            options = new ExportOptions(dtype, actionLow, actionHigh);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dtype/--action-low/--action-high: " + e.getMessage());
        }
        if (format == Format.ONNX || format == Format.POLICY) {
            BoxSpace box = actionLow == null ? null : new BoxSpace(actionLow, actionHigh);
            ServedPolicy policy = PolicySource.checkpoint(directory, actionDim -> box);
            if (format == Format.ONNX) {
                OnnxExport.write(policy, out);
            } else {
                PolicyArtifact.write(policy, out);
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf(java.util.Locale.ROOT, "wrote %s (%s): %s%n", out, format.name().toLowerCase(java.util.Locale.ROOT),
                    policy);
            w.flush();
            return 0;
        }
        Agent agent;
        try {
            agent = Agent.load(directory, Backends.named("java"));
        } catch (IOException e) {
            if (PolicySource.isAca(directory)) {
                throw new ParameterException(spec.commandLine(), "--format " + format.name().toLowerCase(
                        java.util.Locale.ROOT) + " writes CORL cal_ql.py's state_dict of a Cal-QL/CQL agent; "
                        + directory + " holds an ACA agent (critics, Z_i, π₀), which has no such layout: export its "
                        + "policy with --format policy or onnx");
            }
            throw e;
        }
        if (format == Format.SAFETENSORS) {
            CorlWeights.exportSafetensors(agent, out, options);
        } else {
            CorlWeights.exportNpz(agent, out, options);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(java.util.Locale.ROOT, "wrote %s (%s, %s, %d tensors) from %s%n", out,
                format.name().toLowerCase(java.util.Locale.ROOT), options.dtype(), CorlWeights.tensors(agent).size(),
                directory);
        w.flush();
        return 0;
    }
}
