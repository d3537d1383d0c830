package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import org.calql.policy.PolicyState;

/**
 * The sections only an ACA agent's file has, version 1 each, in {@link ModelSections}' array layout (every count and
 * length must equal the fresh model's, every value finite, second moments {@code >= 0}):
 * <ul>
 *   <li>{@code z-values}: {@code int K}, then per state value {@code Z_i}: its arrays, its (never moving) target's
 *       arrays, its Adam state.</li>
 *   <li>{@code reference-policy}: {@code boolean present}; when present (after alignment), the frozen π₀'s
 *       parameter arrays in the policy's layout and its (unused) Adam state.</li>
 *   <li>{@code aca-schedule}: {@code boolean online} (aligned), {@code double w} (finite); online iff π₀ is
 *       present.</li>
 * </ul>
 * The other sections are the continuous agent's: {@code critics} ({@code Q_i} offline, {@code R_i} online),
 * {@code policy}, {@code temperature} ({@code log α}), {@code update-steps} and the training sections.
 */
final class AcaSections {
    private AcaSections() {
    }

    /** Section {@code z-values}: the {@code Z_i} ensemble. */
    static final class ZValues implements SectionCodec {
        @Override
        public String name() {
            return "z-values";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean needsTemplate() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            ModelSections.writeEnsemble(out, s.acaState().z());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.z = ModelSections.readEnsemble(in, into.acaTemplate.z(), "state value count",
                    "the config's criticCount", "Z", "Z target");
        }
    }

    /** Section {@code reference-policy}: the frozen π₀, once aligned. */
    static final class Reference implements SectionCodec {
        @Override
        public String name() {
            return "reference-policy";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean needsTemplate() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            PolicyState p = s.acaState().reference();
            out.writeBoolean(p != null);
            if (p != null) {
                ModelSections.writePolicy(out, p);
            }
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            if (!in.readBoolean("reference present")) {
                into.referencePolicy = null;
                return;
            }
            into.referencePolicy = ModelSections.readPolicy(in, into.policyTemplate.parameters(), "reference policy");
        }
    }

    /** Section {@code aca-schedule}: whether aligned, and w. */
    static final class Schedule implements SectionCodec {
        @Override
        public String name() {
            return "aca-schedule";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.writeBoolean(s.acaState().online());
            out.writeDouble(s.acaState().weight());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.acaOnline = in.readBoolean("aligned");
            into.acaWeight = in.readFinite("interpolation weight w");
        }
    }
}
