package org.calql.regularizer;

import java.util.ArrayList;
import java.util.List;
import org.calql.data.TransitionBatch;

/**
 * Measures {@link ReferenceMetrics} in an update: the configured reference's values (already computed by the
 * update) and, for a maximum of several, each part's, against the policy-action Q-values of every critic. Buffers
 * are sized once per reference; a measurement allocates only its result. Not thread-safe.
 */
public final class ReferenceMeter {
    private final ReferenceValues reference;
    private final List<ReferenceValues> parts;
    private final List<String> names;
    private final double[][] values;
    private final long[] below;
    private final double[] gapSum;
    private long count;

    /** A meter of {@code reference} for batches of {@code batchSize}. */
    public ReferenceMeter(ReferenceValues reference, int batchSize) {
        this.reference = reference;
        List<ReferenceValues> p = reference.parts();
        this.parts = p.size() > 1 ? p : List.of();
        List<String> n = new ArrayList<>();
        n.add(reference.toString());
        for (ReferenceValues part : parts) {
            n.add(part.toString());
        }
        this.names = List.copyOf(n);
        this.values = new double[names.size()][];
        for (int j = 1; j < values.length; j++) {
            values[j] = new double[batchSize];
        }
        this.below = new long[names.size()];
        this.gapSum = new double[names.size()];
    }

    /** The reference measured. */
    public ReferenceValues reference() {
        return reference;
    }

    /**
     * Starts a measurement: {@code combined} holds the configured reference's values of {@code batch}; each part of
     * a maximum is computed again into its own buffer.
     */
    public void start(TransitionBatch batch, double[] combined) {
        values[0] = combined;
        for (int j = 0; j < parts.size(); j++) {
            parts.get(j).compute(batch, values[j + 1]);
        }
        java.util.Arrays.fill(below, 0L);
        java.util.Arrays.fill(gapSum, 0.0);
        count = 0;
    }

    /**
     * Adds {@code samples} policy-action Q-values per state: row {@code b}'s are {@code q[b·stride + offset + i]}.
     */
    public void add(double[] q, int batchSize, int stride, int offset, int samples) {
        for (int j = 0; j < values.length; j++) {
            double[] v = values[j];
            long n = 0;
            double g = 0.0;
            for (int b = 0; b < batchSize; b++) {
                int base = b * stride + offset;
                double ref = v[b];
                for (int i = 0; i < samples; i++) {
                    double x = q[base + i];
                    if (x < ref) {
                        n++;
                    }
                    g += x - ref;
                }
            }
            below[j] += n;
            gapSum[j] += g;
        }
        count += (long) batchSize * samples;
    }

    /** Adds one Q-value per state: row {@code b}'s is {@code q[b·stride + index[b]]}. */
    public void addAt(double[] q, int batchSize, int stride, int[] index) {
        for (int j = 0; j < values.length; j++) {
            double[] v = values[j];
            long n = 0;
            double g = 0.0;
            for (int b = 0; b < batchSize; b++) {
                double x = q[b * stride + index[b]];
                if (x < v[b]) {
                    n++;
                }
                g += x - v[b];
            }
            below[j] += n;
            gapSum[j] += g;
        }
        count += batchSize;
    }

    /** The metrics of what was added since {@link #start}. */
    public ReferenceMetrics result() {
        double[] rate = new double[values.length];
        double[] gap = new double[values.length];
        for (int j = 0; j < values.length; j++) {
            rate[j] = count == 0 ? Double.NaN : (double) below[j] / count;
            gap[j] = count == 0 ? Double.NaN : gapSum[j] / count;
        }
        return new ReferenceMetrics(names, rate, gap);
    }
}
