package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Function;
import org.calql.agent.CheckpointInput.Values;
import org.calql.critic.CriticEnsembleState;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;
import org.calql.spi.AdamState;

/**
 * The update step's sections, version 1 each. Arrays are written as {@code int count}, then per array
 * {@code int length} and its doubles; every count and length must equal the fresh model's (what the config
 * implies), every value must be finite, Adam's second moments {@code >= 0} and step counts {@code >= 0}.
 * <ul>
 *   <li>{@code critics}: {@code int K}, then per critic: its arrays, its target's arrays, its Adam state
 *       ({@code long steps}, first-moment arrays, second-moment arrays).</li>
 *   <li>{@code policy}: the parameter arrays in the policy's own layout ({@link PolicyState}), then its Adam
 *       state as above — generic, so a user's {@code Policy} round-trips too.</li>
 *   <li>{@code temperature}, {@code lagrange}: {@code double value, long steps, double m, double v}.</li>
 *   <li>{@code update-steps}: {@code long}.</li>
 * </ul>
 * A discrete agent's file has {@code critics} (its critics map an observation to one Q-value per action) and
 * {@code update-steps}, and none of the others.
 */
final class ModelSections {
    private ModelSections() {
    }

    static void writeArrays(DataOutputStream out, double[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (double[] a : arrays) {
            out.writeInt(a.length);
            for (double x : a) {
                out.writeDouble(x);
            }
        }
    }

    static void writeAdam(DataOutputStream out, AdamState a) throws IOException {
        out.writeLong(a.steps());
        writeArrays(out, a.firstMoment());
        writeArrays(out, a.secondMoment());
    }

    /** An Adam state whose moments must have {@code layout}'s shape. */
    static AdamState readAdam(CheckpointInput in, String what, double[][] layout) throws IOException {
        long steps = in.readNonNegativeLong(what + " optimizer steps");
        double[][] m = in.readArrays(what + " first moment", layout, Values.FINITE);
        double[][] v = in.readArrays(what + " second moment", layout, Values.NON_NEGATIVE);
        return new AdamState(steps, m, v);
    }

    /** An ensemble's count, then per member its parameters, its target's and its Adam state. */
    static void writeEnsemble(DataOutputStream out, CriticEnsembleState c) throws IOException {
        out.writeInt(c.critics().length);
        for (int k = 0; k < c.critics().length; k++) {
            writeArrays(out, c.critics()[k]);
            writeArrays(out, c.targets()[k]);
            writeAdam(out, c.optimizers()[k]);
        }
    }

    /**
     * Reads what {@link #writeEnsemble} wrote in {@code template}'s layout; {@code member} names a member in errors
     * ({@code member + " " + i}, its target {@code target + " " + i}), {@code count} the count, {@code rule} where
     * the expected count comes from.
     */
    static CriticEnsembleState readEnsemble(CheckpointInput in, CriticEnsembleState template, String count, String rule,
                                            String member, String target) throws IOException {
        int k = in.readExactInt(count, template.critics().length, rule);
        double[][][] values = new double[k][][];
        double[][][] targets = new double[k][][];
        AdamState[] adam = new AdamState[k];
        for (int i = 0; i < k; i++) {
            values[i] = in.readArrays(member + " " + i, template.critics()[i], Values.FINITE);
            targets[i] = in.readArrays(target + " " + i, template.targets()[i], Values.FINITE);
            adam[i] = readAdam(in, member + " " + i, template.critics()[i]);
        }
        return new CriticEnsembleState(values, targets, adam);
    }

    /** A policy's parameters, then its Adam state. */
    static void writePolicy(DataOutputStream out, PolicyState p) throws IOException {
        writeArrays(out, p.parameters());
        writeAdam(out, p.optimizer());
    }

    /** Reads what {@link #writePolicy} wrote in {@code layout}; {@code what} names it in errors. */
    static PolicyState readPolicy(CheckpointInput in, double[][] layout, String what) throws IOException {
        double[][] parameters = in.readArrays(what + " parameter", layout, Values.FINITE);
        return new PolicyState(parameters, readAdam(in, what, layout));
    }

    /** Section {@code critics}: {@link CriticEnsembleState}, of either kind of agent. */
    static final class Critics implements SectionCodec {
        @Override
        public String name() {
            return "critics";
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
            writeEnsemble(out, s.critics());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.critics = readEnsemble(in, into.criticsTemplate, "critic count", into.kind != AgentKind.CONTINUOUS
                    ? "the config's criticCount" : "the config's criticEnsembleSize", "critic", "target");
        }
    }

    /** Section {@code policy}: {@link PolicyState}, in the layout of whatever {@code Policy} the config builds. */
    static final class Policy implements SectionCodec {
        @Override
        public String name() {
            return "policy";
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
            writePolicy(out, s.policy());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.policy = readPolicy(in, into.policyTemplate.parameters(), "policy");
        }
    }

    /** Sections {@code temperature} ({@code logAlpha}) and {@code lagrange} ({@code logAlphaPrime}). */
    static final class Scalar implements SectionCodec {
        private final String name;
        private final Function<CheckpointWriting, ScalarState> field;
        private final boolean lagrange;

        Scalar(String name, Function<CheckpointWriting, ScalarState> field, boolean lagrange) {
            this.name = name;
            this.field = field;
            this.lagrange = lagrange;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            ScalarState v = field.apply(s);
            out.writeDouble(v.value());
            out.writeLong((long) v.adam()[0]);
            out.writeDouble(v.adam()[1]);
            out.writeDouble(v.adam()[2]);
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            double value = in.readFinite(name + " value");
            long steps = in.readNonNegativeLong(name + " optimizer steps");
            if (steps > 1L << 53) {
                throw in.error(name + " optimizer steps must be at most 2^53, found " + steps);
            }
            double m = in.readFinite(name + " first moment");
            double v = in.readFinite(name + " second moment");
            if (v < 0.0) {
                throw in.error(name + " second moment must be >= 0, found " + v);
            }
            ScalarState state = new ScalarState(value, new double[] {steps, m, v});
            if (lagrange) {
                into.lagrange = state;
            } else {
                into.temperature = state;
            }
        }
    }

    /** Section {@code update-steps}: the update step's count of updates. */
    static final class Steps implements SectionCodec {
        @Override
        public String name() {
            return "update-steps";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            out.writeLong(s.steps());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.updateSteps = in.readNonNegativeLong("update steps");
        }
    }
}
