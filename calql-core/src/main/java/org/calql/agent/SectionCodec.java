package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The codec of one named section of a format-v2 checkpoint: the component it belongs to writes its state and
 * reads it back. A new component adds a section by adding a codec to {@link Sections#ALL}, touching no other.
 *
 * <p>A codec reads with {@link CheckpointInput}, which bounds every length by the section's bytes, and compares
 * every array with the layout the config implies ({@link CheckpointContents#template}) before allocating it; it
 * checks the values no component checks on import (finite moments, non-negative steps, flags), and leaves the
 * component's own rules to its import.
 *
 * <p>The sections that describe the agent ({@link #readFirst()}: its kind, configs and exploration schedule) are read
 * before the fresh agent is built from them; the rest after.
 */
interface SectionCodec {
    /** The section's name in the file. */
    String name();

    /** The version this calql writes. */
    int version();

    /** Whether this calql reads {@code version} of the section. */
    default boolean reads(int version) {
        return version == version();
    }

    /** Whether the section needs the fresh agent's layouts ({@link CheckpointContents#template}) to be read. */
    default boolean needsTemplate() {
        return false;
    }

    /** Whether the section is read before the fresh agent is built (it describes the agent to build). */
    default boolean readFirst() {
        return false;
    }

    /**
     * Whether a file may lack the section (then it is read as before the section existed); a required section must
     * appear exactly once.
     */
    default boolean optional() {
        return false;
    }

    /** Whether the section is written for {@code state} (an optional section may have nothing to write). */
    default boolean present(CheckpointWriting state) {
        return true;
    }

    /** Writes the section's payload. */
    void write(CheckpointWriting state, DataOutputStream out) throws IOException;

    /** Reads the section's payload of version {@code version} into {@code into}; must read all of it. */
    void read(CheckpointInput in, int version, CheckpointContents into) throws IOException;
}
