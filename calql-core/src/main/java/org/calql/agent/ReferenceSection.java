package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.calql.data.ObservationNormalizer;
import org.calql.reference.MaxReference;
import org.calql.reference.ValueNetworkReference;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/**
 * The optional {@code reference} section (version 1): the fitted reference an agent calibrates against
 * ({@link Agent#calibrateAgainst}), written only when it is one this calql can rebuild — a
 * {@link ValueNetworkReference}, or a {@link MaxReference} of those and the Monte-Carlo returns — so a loaded agent
 * calibrates against it with nothing to re-inject. Files without it (every file before it, and agents on the
 * Monte-Carlo default) load as before. Payload: one entry, where an entry is
 * <pre>
 *   int kind     0 = Monte-Carlo returns, 1 = value network, 2 = maximum
 *   kind 1:      int nameBytes, UTF-8 name; int inputDim; int hiddenCount, int hidden[]; int activation ordinal;
 *                boolean layerNorm; double layerNormEpsilon; int arrayCount, per array int length, doubles;
 *                doubles mean[inputDim], std[inputDim] (the normaliser the network reads through)
 *   kind 2:      int partCount (2 .. 64), then that many entries of kind 0 or 1
 * </pre>
 */
final class ReferenceSection implements SectionCodec {
    static final String NAME = "reference";
    private static final int MAX_PARTS = 64;
    private static final int MAX_NAME = 200;
    private static final int MAX_HIDDEN = 64;
    private static final int MAX_WIDTH = 1 << 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean optional() {
        return true;
    }

    @Override
    public boolean present(CheckpointWriting state) {
        ReferenceValues r = state.agent() != null ? state.agent().config().referenceValues()
                : state.discrete().config().referenceValues();
        return r != ReferenceValues.monteCarlo() && savable(r);
    }

    /** Whether {@code r} is a reference this section can write. */
    static boolean savable(ReferenceValues r) {
        if (r == ReferenceValues.monteCarlo() || r instanceof ValueNetworkReference) {
            return true;
        }
        if (r instanceof MaxReference m) {
            for (ReferenceValues p : m.parts()) {
                if (!(p == ReferenceValues.monteCarlo() || p instanceof ValueNetworkReference)) {
                    return false;
                }
            }
            return m.parts().size() <= MAX_PARTS;
        }
        return false;
    }

    @Override
    public void write(CheckpointWriting state, DataOutputStream out) throws IOException {
        ReferenceValues r = state.agent() != null ? state.agent().config().referenceValues()
                : state.discrete().config().referenceValues();
        if (r instanceof MaxReference m) {
            out.writeInt(2);
            out.writeInt(m.parts().size());
            for (ReferenceValues p : m.parts()) {
                writeEntry(p, out);
            }
        } else {
            writeEntry(r, out);
        }
    }

    private static void writeEntry(ReferenceValues r, DataOutputStream out) throws IOException {
        if (r == ReferenceValues.monteCarlo()) {
            out.writeInt(0);
            return;
        }
        ValueNetworkReference v = (ValueNetworkReference) r;
        out.writeInt(1);
        byte[] name = v.name().getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        NetworkSpec spec = v.spec();
        out.writeInt(spec.inputDim());
        int[] hidden = spec.hidden();
        out.writeInt(hidden.length);
        for (int h : hidden) {
            out.writeInt(h);
        }
        out.writeInt(spec.activation().ordinal());
        out.writeBoolean(spec.layerNorm());
        out.writeDouble(spec.layerNormEpsilon());
        double[][] p = v.parameters();
        out.writeInt(p.length);
        for (double[] a : p) {
            out.writeInt(a.length);
            for (double x : a) {
                out.writeDouble(x);
            }
        }
        ObservationNormalizer n = v.normalizer();
        for (double x : n.mean()) {
            out.writeDouble(x);
        }
        for (double x : n.std()) {
            out.writeDouble(x);
        }
    }

    @Override
    public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
        int kind = in.readInt("kind", 0, 2);
        if (kind == 2) {
            int count = in.readInt("part count", 2, MAX_PARTS);
            List<ReferenceValues> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int k = in.readInt("part " + i + " kind", 0, 1);
                parts.add(readEntry(in, k, "part " + i, into));
            }
            into.reference = MaxReference.of(parts.toArray(new ReferenceValues[0]));
        } else {
            into.reference = readEntry(in, kind, "reference", into);
        }
    }

    private static ReferenceValues readEntry(CheckpointInput in, int kind, String what, CheckpointContents into)
            throws IOException {
        if (kind == 0) {
            return ReferenceValues.monteCarlo();
        }
        int nameBytes = in.readInt(what + " name length", 1, MAX_NAME);
        String name = new String(in.readBytes(what + " name", nameBytes), StandardCharsets.UTF_8);
        int inputDim = in.readExactInt(what + " inputDim", into.observationDim, "the config's observationDim");
        int layers = in.readInt(what + " hidden layer count", 0, MAX_HIDDEN);
        int[] hidden = new int[layers];
        for (int i = 0; i < layers; i++) {
            hidden[i] = in.readInt(what + " hidden[" + i + "]", 1, MAX_WIDTH);
        }
        int activation = in.readInt(what + " activation", 0, Activation.values().length - 1);
        boolean layerNorm = in.readBoolean(what + " layerNorm");
        double epsilon = in.readFinite(what + " layerNormEpsilon");
        NetworkSpec spec;
        try {
            NetworkSpec.Builder b = NetworkSpec.builder(inputDim, 1).hidden(hidden)
                    .activation(Activation.values()[activation]).layerNorm(layerNorm);
            if (layerNorm) {
                b.layerNormEpsilon(epsilon);
            }
            spec = b.build();
        } catch (IllegalArgumentException e) {
            throw in.error(what + ": " + e.getMessage());
        }
        double[][] parameters = in.readArrays(what + " parameters", spec.zeroParameters(),
                CheckpointInput.Values.FINITE);
        double[] mean = in.readDoubles(what + " normaliser mean", inputDim, CheckpointInput.Values.FINITE);
        double[] std = in.readDoubles(what + " normaliser std", inputDim, CheckpointInput.Values.FINITE);
        try {
            return ValueNetworkReference.of(name, spec, parameters, ObservationNormalizer.of(mean, std),
                    into.backend);
        } catch (IllegalArgumentException e) {
            throw in.error(what + ": " + e.getMessage());
        }
    }
}
