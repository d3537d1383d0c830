package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.calql.agent.CheckpointInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code calql checkpoint-info DIR}: verifies the checkpoint {@code DIR/agent.calql} as a load would (checksum,
 * sections, every length and value; see {@link CheckpointInfo#read}) and prints its format version, which agent it
 * holds ({@code calql-continuous}, {@code calql-discrete} or {@code calql-aca}), configs, counters and sections; with {@code --json}, as one JSON object. A bad file exits 1 with the reason in one line on
 * standard error.
 */
@Command(name = "checkpoint-info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify a calql checkpoint (DIR/agent.calql) and describe it: format version, agent kind "
                + "(calql-continuous, calql-discrete or calql-aca), config, "
                + "training config, counters, sections with their sizes. Exits 1 with the reason if it would not "
                + "load."})
final class CheckpointInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory holding agent.calql.")
    Path directory;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        CheckpointInfo info = CheckpointInfo.read(directory);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> config = new TreeMap<>(info.config());
        Map<String, String> training = new TreeMap<>(info.trainingConfig());
        if (json) {
            Json counters = new Json();
            info.counters().forEach(counters::put);
            List<Json> sections = new ArrayList<>();
            for (CheckpointInfo.Section s : info.sections()) {
                sections.add(new Json().put("name", s.name()).put("version", s.version()).put("offset", s.offset())
                        .put("bytes", s.bytes()));
            }
            out.println(new Json().put("file", info.file().toString()).put("bytes", info.bytes())
                    .put("formatVersion", info.formatVersion()).put("agentKind", info.agentKind())
                    .put("fullyVerified", info.fullyVerified())
                    .put("note", info.note()).put("counters", counters).put("onlinePhase", info.onlinePhase())
                    .put("updateSteps", info.updateSteps()).put("replaySize", info.replaySize())
                    .put("sections", sections).put("config", config).put("trainingConfig", training));
        } else {
            out.printf(Locale.ROOT, "file            %s (%,d bytes)%n", info.file(), info.bytes());
            out.printf(Locale.ROOT, "format          %d%s%n", info.formatVersion(),
                    info.formatVersion() == 1 ? " (before named sections; a save rewrites it as 2)" : "");
            out.printf(Locale.ROOT, "agent           %s%n", switch (info.agentKind()) {
                case "calql-discrete" -> "calql-discrete (load with DiscreteAgent.load)";
                case "calql-aca" -> "calql-aca (Actor-Critic Alignment; load with AcaAgent.load)";
                default -> "calql-continuous (load with Agent.load)";
            });
            out.printf(Locale.ROOT, "verified        %s%n", info.fullyVerified()
                    ? "checksum, layout and every value (loaded on the plain-Java backend)"
                    : "checksum, layout, configs, counters, normaliser, replay, generators; not the networks: "
                            + info.note());
            out.printf(Locale.ROOT, "counters        %s%n", info.counters().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            out.printf(Locale.ROOT, "phase           %s%n", info.onlinePhase()
                    ? "online (fine-tuning settings in force)" : "offline");
            out.printf(Locale.ROOT, "update steps    %d%n", info.updateSteps());
            out.printf(Locale.ROOT, "replay          %s%n", info.replaySize() < 0 ? "none"
                    : String.format(Locale.ROOT, "%,d transitions", info.replaySize()));
            if (!info.sections().isEmpty()) {
                out.println("sections");
                for (CheckpointInfo.Section s : info.sections()) {
                    out.printf(Locale.ROOT, "  %-18s v%d %,12d bytes%n", s.name(), s.version(), s.bytes());
                }
            }
            out.println("config");
            config.forEach((k, v) -> out.printf(Locale.ROOT, "  %s = %s%n", k, v));
            out.println("training config");
            training.forEach((k, v) -> out.printf(Locale.ROOT, "  %s = %s%n", k, v));
        }
        out.flush();
        return 0;
    }
}
