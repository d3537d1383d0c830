package org.calql.agent;

import java.util.List;

/**
 * The sections of a format-v2 checkpoint per {@link AgentKind}, in the order they are written; names are unique
 * within a kind, and a name two kinds share means the same payload layout and version.
 */
final class Sections {
    /** Every section of a continuous agent's file; it must hold each required one exactly once, an optional one at most once, and no other. */
    static final List<SectionCodec> ALL = List.of(
            new ConfigSections.Config(),
            new ConfigSections.Training(),
            new ModelSections.Critics(),
            new ModelSections.Policy(),
            new ModelSections.Scalar("temperature", CheckpointWriting::temperature, false),
            new ModelSections.Scalar("lagrange", w -> w.state().lagrange(), true),
            new ModelSections.Steps(),
            new TrainingSections.Normalizer(),
            new TrainingSections.Replay(),
            new TrainingSections.Generators(TrainingSections.Generators.CONTINUOUS),
            new TrainingSections.Counters(),
            new TrainingSections.OfflineData(),
            new ReferenceSection());

    /** Every section of a discrete agent's file; it must hold each exactly once, and no other. */
    static final List<SectionCodec> DISCRETE = List.of(
            new ConfigSections.Kind(),
            new ConfigSections.Discrete(),
            new ConfigSections.Training(),
            new TrainingSections.Epsilon(),
            new ModelSections.Critics(),
            new ModelSections.Steps(),
            new TrainingSections.Normalizer(),
            new TrainingSections.Replay(),
            new TrainingSections.Generators(TrainingSections.Generators.DISCRETE),
            new TrainingSections.Counters(),
            new TrainingSections.OfflineData(),
            new ReferenceSection());

    /** Every section of an ACA agent's file; it must hold each exactly once, and no other. */
    static final List<SectionCodec> ACA = List.of(
            new ConfigSections.Kind(),
            new ConfigSections.Aca(),
            new ConfigSections.Training(),
            new ModelSections.Critics(),
            new ModelSections.Policy(),
            new ModelSections.Scalar("temperature", CheckpointWriting::temperature, false),
            new AcaSections.ZValues(),
            new AcaSections.Reference(),
            new AcaSections.Schedule(),
            new ModelSections.Steps(),
            new TrainingSections.Normalizer(),
            new TrainingSections.Replay(),
            new TrainingSections.Generators(TrainingSections.Generators.CONTINUOUS),
            new TrainingSections.Counters(),
            new TrainingSections.OfflineData());

    private Sections() {
    }

    /** The sections of {@code kind}'s files. */
    static List<SectionCodec> of(AgentKind kind) {
        return switch (kind) {
            case DISCRETE -> DISCRETE;
            case ACA -> ACA;
            case CONTINUOUS -> ALL;
        };
    }

    /** The codec named {@code name} among {@code kind}'s sections, or null. */
    static SectionCodec named(AgentKind kind, String name) {
        for (SectionCodec c : of(kind)) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The codec named {@code name} in any kind's files, or null: a name no kind has is unknown. */
    static SectionCodec named(String name) {
        for (AgentKind kind : AgentKind.values()) {
            SectionCodec c = named(kind, name);
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
