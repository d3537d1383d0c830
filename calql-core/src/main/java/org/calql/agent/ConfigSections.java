package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sections {@code config} and {@code training-config}, version 1: the config's {@code key=value} lines as
 * {@link ConfigCodec} writes them, UTF-8, the whole payload (at most 1 MiB).
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
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.write(ConfigCodec.encode(s.agent().trainingConfig()).getBytes(StandardCharsets.UTF_8));
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
}
