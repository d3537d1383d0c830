package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.interop.CorlWeights;
import org.calql.interop.Safetensors;
import org.calql.interop.SafetensorsFile;
import org.calql.interop.TensorData;
import org.calql.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code calql import --format corl (--checkpoint FILE | --actor FILE --critics FILE,FILE [--targets FILE,FILE])
 * [--config DIR] --out DIR}: builds a calql agent from CORL weights in safetensors and saves it as a checkpoint to
 * fine-tune.
 *
 * <p>CORL's {@code CalQL.state_dict()} nests one dict per module, so there are two ways to save it with
 * {@code safetensors.torch.save_file}: flattened into one file ({@code --checkpoint}, the layout of
 * {@link CorlWeights}, targets and α included), or one file per module's own {@code state_dict()}
 * ({@code --actor}, {@code --critics}, optionally {@code --targets}; targets otherwise start as copies of the
 * critics and α, α′ at the config's initial values). The architecture comes from the file's shapes; the other
 * settings from {@code --config DIR} (an existing calql checkpoint, whose architecture must match) or calql's
 * defaults, with {@code --max-action} and {@code --seed}.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import CORL cal_ql.py weights saved with safetensors into a calql checkpoint directory, "
                + "ready to fine-tune."})
final class ImportCommand implements Callable<Integer> {
    /** The import formats. */
    enum Format { CORL }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, description = "corl (CORL's cal_ql.py state_dict key names).")
    Format format;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "One safetensors file holding the flattened trainer state_dict (actor., critic1., "
                    + "critic1_target., ..., sac_log_alpha., cql_log_alpha.).")
    Path checkpoint;

    @Option(names = "--actor", paramLabel = "FILE", description = "The actor's own state_dict (base_network.*).")
    Path actor;

    @Option(names = "--critics", split = ",", paramLabel = "FILE,FILE",
            description = "Each critic's own state_dict (network.*), in order.")
    List<Path> critics;

    @Option(names = "--targets", split = ",", paramLabel = "FILE,FILE",
            description = "The target critics' state_dicts (default: copies of the critics).")
    List<Path> targets;

    @Option(names = "--config", paramLabel = "DIR",
            description = "Take the hyperparameters from this calql checkpoint (its architecture must match).")
    Path configFrom;

    @Option(names = "--max-action", description = "Action scale, CORL's env.action_space.high[0] (default: the "
            + "file's maxAction metadata, else 1.0).")
    Double maxAction;

    @Option(names = "--seed", description = "Seed of the new agent (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--backend", converter = Converters.BackendName.class,
            description = "Backend of the new agent (default: java).")
    String backend = "java";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The checkpoint directory to write.")
    Path out;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        boolean modules = actor != null || critics != null || targets != null;
        if ((checkpoint == null) == !modules) {
            throw new ParameterException(spec.commandLine(),
                    "give either --checkpoint FILE or --actor FILE --critics FILE,FILE");
        }
        if (modules && (actor == null || critics == null || critics.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "--actor and --critics go together");
        }
        Map<String, TensorData> shapes;
        Map<String, String> metadata;
        String source;
        if (checkpoint != null) {
            SafetensorsFile f = Safetensors.read(checkpoint);
            shapes = f.tensors();
            metadata = f.metadata();
            source = checkpoint.toString();
        } else {
            shapes = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, TensorData> e : Safetensors.read(actor).tensors().entrySet()) {
                shapes.put("actor." + e.getKey(), e.getValue());
            }
            for (int k = 0; k < critics.size(); k++) {
                for (Map.Entry<String, TensorData> e : Safetensors.read(critics.get(k)).tensors().entrySet()) {
                    shapes.put("critic" + (k + 1) + "." + e.getKey(), e.getValue());
                }
            }
            metadata = Map.of();
            source = actor.toString();
        }
        CalQlConfig config = config(source, shapes, metadata, checkpoint == null);
        Agent agent = checkpoint != null
                ? CorlWeights.importTensors(source, shapes, metadata, config, Backends.named(backend))
                : CorlWeights.importModules(actor, critics, targets, config, Backends.named(backend));
        agent.save(out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "imported %s into %s: observations %d, actions %d, actor %s, %d critics %s, "
                        + "maxAction %s%n", checkpoint != null ? checkpoint : actor + " and " + critics, out,
                config.observationDim(), config.actionDim(), Arrays.toString(config.policyHidden()),
                config.criticEnsembleSize(), Arrays.toString(config.qHidden()), config.maxAction());
        w.flush();
        return 0;
    }

    private CalQlConfig config(String source, Map<String, TensorData> shapes, Map<String, String> metadata,
                               boolean modules) throws java.io.IOException {
        double fromFile = CorlWeights.maxAction(source, metadata);
        if (maxAction != null && !Double.isNaN(fromFile) && maxAction != fromFile) {
            throw new ParameterException(spec.commandLine(), "--max-action " + maxAction + " disagrees with the "
                    + "file's maxAction metadata " + fromFile);
        }
        double scale = maxAction != null ? maxAction : Double.isNaN(fromFile) ? 1.0 : fromFile;
        CalQlConfig.Builder base;
        if (configFrom != null) {
            base = Agent.load(configFrom, Backends.named("java")).config().toBuilder();
        } else {
            base = CalQlConfig.builder().seed(seed);
        }
        CalQlConfig inferred = CorlWeights.architecture(source, shapes, CalQlConfig.builder().maxAction(scale))
                .build();
        if (configFrom != null) {
            CalQlConfig c = base.build();
            if (c.observationDim() != inferred.observationDim() || c.actionDim() != inferred.actionDim()
                    || !Arrays.equals(c.policyHidden(), inferred.policyHidden())
                    || !Arrays.equals(c.qHidden(), inferred.qHidden())
                    || c.criticEnsembleSize() != inferred.criticEnsembleSize()) {
                throw new ParameterException(spec.commandLine(), "--config " + configFrom + " has observations "
                        + c.observationDim() + ", actions " + c.actionDim() + ", actor "
                        + Arrays.toString(c.policyHidden()) + ", critics " + c.criticEnsembleSize() + "×"
                        + Arrays.toString(c.qHidden()) + "; the file has " + inferred.observationDim() + ", "
                        + inferred.actionDim() + ", " + Arrays.toString(inferred.policyHidden()) + ", "
                        + inferred.criticEnsembleSize() + "×" + Arrays.toString(inferred.qHidden()));
            }
            return maxAction != null || !Double.isNaN(fromFile) ? base.maxAction(scale).build() : c;
        }
        CalQlConfig.Builder b = CorlWeights.architecture(source, shapes, base.maxAction(scale));
        if (modules) {
            b.autoEntropy(true);
        }
        return b.build();
    }
}
