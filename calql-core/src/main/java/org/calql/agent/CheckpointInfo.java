package org.calql.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A verified description of a checkpoint, for tools such as {@code calql checkpoint-info}: read with
 * {@link #read(Path)}, which runs every check a load runs.
 *
 * @param file            the checkpoint file
 * @param bytes           its size
 * @param formatVersion   1 (before named sections) or 2
 * @param agentKind       which agent the file holds: {@code calql-continuous} ({@link Agent}; every format-1 file,
 *                        and every format-2 file without an {@code agent-kind} section) or {@code calql-discrete}
 *                        ({@link DiscreteAgent})
 * @param config          the saved config's entries, as written (sorted by key): a {@code CalQlConfig}'s, or a
 *                        {@code DiscreteConfig}'s for a discrete agent
 * @param trainingConfig  the saved training config's entries
 * @param counters        the training counters by name, in this order ({@code pretrainUpdates}, {@code finetuneUpdates},
 *                        {@code finetuneSteps}, {@code finetuneEpisodes}, {@code finetuneFailures})
 * @param onlinePhase     whether the agent was saved with its fine-tuning settings in force
 * @param updateSteps     updates the update step has taken
 * @param replaySize      transitions in the online replay, or -1 if the agent has none
 * @param sections        the named sections with their sizes (empty for format 1, which has none)
 * @param fullyVerified   whether every value was checked by building the agent on the plain-Java backend; false
 *                        only when the checkpoint names custom components (a policy, regularizer or reference
 *                        values) that cannot be rebuilt without the caller's config — then the checksum, the
 *                        layout, the configs, counters, normaliser, replay and generators were checked, and the
 *                        critics' and policy's bytes only against their section lengths
 * @param note            why not fully verified, or empty
 */
public record CheckpointInfo(Path file, long bytes, int formatVersion, String agentKind, Map<String, String> config,
                             Map<String, String> trainingConfig, Map<String, Long> counters, boolean onlinePhase,
                             long updateSteps, long replaySize, List<Section> sections, boolean fullyVerified,
                             String note) {
    /**
     * One named section of a format-2 checkpoint.
     *
     * @param name    its name
     * @param version its section version
     * @param offset  where its payload starts in the file
     * @param bytes   its payload's length
     */
    public record Section(String name, int version, long offset, long bytes) {
    }

    /** Unmodifiable copies: the configs sorted by key, the counters in the order given. */
    public CheckpointInfo {
        config = Collections.unmodifiableMap(new TreeMap<>(config));
        trainingConfig = Collections.unmodifiableMap(new TreeMap<>(trainingConfig));
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        sections = List.copyOf(sections);
    }

    /**
     * Verifies the checkpoint in {@code directory} as {@link Agent#load(Path, org.calql.spi.Backend)} or, for a
     * discrete agent's, {@link DiscreteAgent#load(Path, org.calql.spi.Backend)} would, and describes it.
     *
     * @throws IOException naming the file and the problem if it is missing or would not load
     */
    public static CheckpointInfo read(Path directory) throws IOException {
        return Checkpoints.inspect(directory);
    }
}
