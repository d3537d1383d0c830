package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.calql.onnx.OnnxExport;
import org.calql.serving.PolicyArtifact;
import org.calql.serving.ServedPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code calql export-policy CHECKPOINT_OR_POLICY --format onnx|policy --out FILE}: the deterministic policy
 * alone, as an ONNX model ({@link OnnxExport}: observation → action, normaliser and action scaling included) or as
 * a calql policy artifact ({@link PolicyArtifact}, loaded by {@code ServedPolicy.load} with calql-core alone).
 * The weight formats of whole agents (safetensors, NPZ) are another command's.
 */
@Command(name = "export-policy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a checkpoint's (or a policy artifact's) deterministic policy as an ONNX model or a "
                + "calql policy artifact."})
final class ExportPolicyCommand implements Callable<Integer> {
    /** The formats of the deterministic policy. */
    enum Format {
        /** ONNX model, opset 17, float32. */
        ONNX,
        /** calql policy artifact. */
        POLICY
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT_OR_POLICY",
            description = "A checkpoint directory (holding agent.calql of a Cal-QL, CQL or tanh-Gaussian "
                    + "ACA agent) or a policy artifact.")
    Path source;

    @Option(names = "--format", required = true, paramLabel = "onnx|policy",
            description = "onnx: an ONNX model (input 'observation' [batch, observationDim], output 'action' "
                    + "[batch, actionDim]); policy: a calql policy artifact.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (replaced).")
    Path out;

    @Mixin
    PolicySource policySource;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        ServedPolicy policy = policySource.load(source);
        if (format == Format.ONNX) {
            OnnxExport.write(policy, out);
        } else {
            PolicyArtifact.write(policy, out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "wrote %s (%s, %,d bytes): %s%n", out, format.name().toLowerCase(Locale.ROOT),
                Files.size(out), policy);
        return 0;
    }
}
