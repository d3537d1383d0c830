package org.calql.reference;

import java.util.List;
import org.calql.data.TransitionBatch;
import org.calql.regularizer.ReferenceValues;

/**
 * The tightest of several references: {@code V_ref(s) = max_j V_j(s)}. Cal-QL's bound holds for any reference
 * policy, so each {@code V_j} is a valid lower bound and so is their maximum; the tighter it is, the less the
 * conservative term pushes values down (Nakamoto et al. 2023, §5). Every part must be in the same
 * {@link CriticUnits}. Its {@link #parts()} are reported one by one in the update's reference metrics. Buffers grow
 * once to the batch size; not thread-safe.
 */
public final class MaxReference implements ReferenceValues {
    private final List<ReferenceValues> parts;
    private double[] scratch = new double[0];

    private MaxReference(List<ReferenceValues> parts) {
        this.parts = parts;
    }

    /**
     * The maximum of {@code parts} (at least one, none null; a part that is itself a maximum is flattened).
     *
     * @throws IllegalArgumentException if there is no part or one is null
     */
    public static MaxReference of(ReferenceValues... parts) {
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException("a max reference needs at least one part, found none");
        }
        java.util.ArrayList<ReferenceValues> flat = new java.util.ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                throw new IllegalArgumentException("parts[" + i + "] must not be null");
            }
            flat.addAll(parts[i].parts());
        }
        return new MaxReference(List.copyOf(flat));
    }

    /** The references whose maximum this is. */
    @Override
    public List<ReferenceValues> parts() {
        return parts;
    }

    @Override
    public void compute(TransitionBatch batch, double[] out) {
        int n = batch.size();
        if (scratch.length < n) {
            scratch = new double[n];
        }
        parts.get(0).compute(batch, out);
        for (int j = 1; j < parts.size(); j++) {
            parts.get(j).compute(batch, scratch);
            for (int i = 0; i < n; i++) {
                if (scratch[i] > out[i]) {
                    out[i] = scratch[i];
                }
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("max(");
        for (int j = 0; j < parts.size(); j++) {
            b.append(j == 0 ? "" : ", ").append(parts.get(j));
        }
        return b.append(')').toString();
    }
}
