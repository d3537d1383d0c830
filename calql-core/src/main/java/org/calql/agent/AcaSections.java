package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import org.calql.agent.CheckpointInput.Values;
import org.calql.critic.CriticEnsembleState;
import org.calql.policy.PolicyState;
import org.calql.spi.AdamState;

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
            CriticEnsembleState z = s.acaState().z();
            out.writeInt(z.critics().length);
            for (int k = 0; k < z.critics().length; k++) {
                ModelSections.writeArrays(out, z.critics()[k]);
                ModelSections.writeArrays(out, z.targets()[k]);
                ModelSections.writeAdam(out, z.optimizers()[k]);
            }
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            CriticEnsembleState t = into.acaTemplate.z();
            int k = in.readExactInt("state value count", t.critics().length, "the config's criticCount");
            double[][][] values = new double[k][][];
            double[][][] targets = new double[k][][];
            AdamState[] adam = new AdamState[k];
            for (int i = 0; i < k; i++) {
                values[i] = in.readArrays("Z " + i, t.critics()[i], Values.FINITE);
                targets[i] = in.readArrays("Z target " + i, t.targets()[i], Values.FINITE);
                adam[i] = ModelSections.readAdam(in, "Z " + i, t.critics()[i]);
            }
            into.z = new CriticEnsembleState(values, targets, adam);
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
                ModelSections.writeArrays(out, p.parameters());
                ModelSections.writeAdam(out, p.optimizer());
            }
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            if (!in.readBoolean("reference present")) {
                into.referencePolicy = null;
                return;
            }
            double[][] layout = into.policyTemplate.parameters();
            double[][] parameters = in.readArrays("reference policy parameter", layout, Values.FINITE);
            into.referencePolicy = new PolicyState(parameters, ModelSections.readAdam(in, "reference policy", layout));
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
