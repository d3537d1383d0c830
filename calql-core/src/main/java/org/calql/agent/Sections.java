package org.calql.agent;

import java.util.List;
import org.calql.update.UpdateStepState;

/** The sections of a format-v2 checkpoint, in the order they are written; names are unique. */
final class Sections {
    /** Every section; a v2 file must hold each exactly once, and no other. */
    static final List<SectionCodec> ALL = List.of(
            new ConfigSections.Config(),
            new ConfigSections.Training(),
            new ModelSections.Critics(),
            new ModelSections.Policy(),
            new ModelSections.Scalar("temperature", UpdateStepState::temperature, false),
            new ModelSections.Scalar("lagrange", UpdateStepState::lagrange, true),
            new ModelSections.Steps(),
            new TrainingSections.Normalizer(),
            new TrainingSections.Replay(),
            new TrainingSections.Generators(),
            new TrainingSections.Counters(),
            new TrainingSections.OfflineData());

    private Sections() {
    }

    /** The codec named {@code name}, or null. */
    static SectionCodec named(String name) {
        for (SectionCodec c : ALL) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
