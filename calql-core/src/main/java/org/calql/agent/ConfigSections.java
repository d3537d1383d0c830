package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The sections that describe the agent, version 1 each, read before the agent is built:
 * <ul>
 *   <li>{@code agent-kind}: the kind's name as US-ASCII, the whole payload: {@code calql-discrete} or
 *       {@code calql-aca}. Continuous agents' files have no such section ({@link AgentKind}).</li>
 *   <li>{@code config} (continuous) and {@code discrete-config} (discrete): the config's {@code key=value} lines
 *       as {@link ConfigCodec} writes them, UTF-8, the whole payload (at most 1 MiB); {@code aca-config} (ACA)
 *       the same for its {@code AcaConfig}.</li>
 *   <li>{@code training-config}: the same for the {@code TrainingConfig}.</li>
 * </ul>
 */
final class ConfigSections {
    static final int MAX_TEXT = 1 << 20;

    private ConfigSections() {
    }

    /** Section {@code config}: the {@code CalQlConfig}, decoded by the reader (it may need the caller's config). */
    static final class Config implements SectionCodec {
        @Override
        public String name() {
            return "config";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean readFirst() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.write(ConfigCodec.encode(s.agent().config()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.configText = in.readText("config text", MAX_TEXT);
            try {
                into.structure = ConfigCodec.decodeStructure(ConfigCodec.parse(into.configText));
            } catch (IllegalArgumentException e) {
                throw in.error("config text is malformed: " + e.getMessage());
            }
            into.observationDim = into.structure.observationDim();
            into.actionDim = into.structure.actionDim();
        }
    }

    /** Section {@code training-config}: the {@code TrainingConfig}. */
    static final class Training implements SectionCodec {
        @Override
        public String name() {
            return "training-config";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean readFirst() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.write(ConfigCodec.encode(s.trained().trainingConfig()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.trainingText = in.readText("training config text", MAX_TEXT);
            try {
                into.training = ConfigCodec.decodeTraining(ConfigCodec.parse(into.trainingText));
            } catch (IllegalArgumentException e) {
                throw in.error("training config is invalid: " + e.getMessage());
            }
        }
    }

    /** Section {@code agent-kind}: which agent the file holds; only files of other than continuous agents have it. */
    static final class Kind implements SectionCodec {
        static final String NAME = "agent-kind";
        static final int MAX_BYTES = 64;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean readFirst() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.write(s.kind().label().getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            String label = in.readText("agent kind", MAX_BYTES);
            AgentKind kind = AgentKind.labelled(label);
            if (kind == null || kind == AgentKind.CONTINUOUS) {
                throw in.error("agent kind is '" + label.replaceAll("[^ -~]", "?") + "'; this calql knows '"
                        + AgentKind.DISCRETE.label() + "' and '" + AgentKind.ACA.label()
                        + "' (continuous agents' files have no '" + NAME + "' section)");
            }
            into.kind = kind;
        }
    }

    /**
     * Section {@code aca-config}: the {@code AcaConfig}'s {@code key=value} lines
     * ({@link ConfigCodec#encode(org.calql.aca.AcaConfig)}).
     */
    static final class Aca implements SectionCodec {
        @Override
        public String name() {
            return "aca-config";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean readFirst() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.write(ConfigCodec.encode(s.aca().config()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.configText = in.readText("config text", MAX_TEXT);
            try {
                into.acaConfig = ConfigCodec.decodeAca(ConfigCodec.parse(into.configText));
            } catch (IllegalArgumentException e) {
                throw in.error("ACA config is invalid: " + e.getMessage());
            }
            into.observationDim = into.acaConfig.observationDim();
            into.actionDim = into.acaConfig.actionDim();
        }
    }

    /**
     * Section {@code discrete-config}: the {@code DiscreteConfig}, its text decoded by the reader (it may need the
     * caller's config).
     */
    static final class Discrete implements SectionCodec {
        @Override
        public String name() {
            return "discrete-config";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean readFirst() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.write(ConfigCodec.encode(s.discrete().config()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.configText = in.readText("config text", MAX_TEXT);
            try {
                into.discreteEntries = ConfigCodec.discreteEntries(ConfigCodec.parse(into.configText));
            } catch (IllegalArgumentException e) {
                throw in.error("config text is malformed: " + e.getMessage());
            }
            into.observationDim = Integer.parseInt(into.discreteEntries.get("observationDim"));
            into.actionDim = 1;
        }
    }
}
