package org.calql.regularizer;

import java.util.Objects;

/**
 * The CQL push-down term, with an optional calibration (Cal-QL), over any {@link QLayout}. Per state {@code b},
 * with {@code c(q) = calibration.apply(q, V_ref(s_b))} applied to the entries of calibrated groups only:
 * <pre>
 *   continuous ({@link QLayout#sampledActions}):
 *     importance sampling:  e = [ Q(s,a_rand) − log(0.5^A),  c(Q(s,a_next)) − log π_next,  c(Q(s,a_cur)) − log π_cur ]
 *     otherwise:            e = [ Q(s,a_rand), Q(s,a_data), c(Q(s,a_next)), c(Q(s,a_cur)) ]
 *   discrete ({@link QLayout#allActions}), with or without importance sampling:
 *                         e = [ c(Q(s,0)), …, c(Q(s,|A|−1)) ]
 *   ood_b   = T · logsumexp(e / T)
 *   value   = mean_b clamp(ood_b − Q(s_b,a_data), clipMin, clipMax)
 * </pre>
 * (Kumar et al. 2020, CQL(H); Nakamoto et al. 2023, Cal-QL; the discrete form is d3rlpy's {@code DiscreteCQL}
 * with Cal-QL's bound on every action.) Immutable and stateless.
 */
public final class CqlRegularizer implements ConservativeRegularizer {
    private final double temperature;
    private final boolean importanceSampling;
    private final double clipDiffMin;
    private final double clipDiffMax;
    private final Calibration calibration;

    private CqlRegularizer(Builder b) {
        this.temperature = b.temperature;
        this.importanceSampling = b.importanceSampling;
        this.clipDiffMin = b.clipDiffMin;
        this.clipDiffMax = b.clipDiffMax;
        this.calibration = b.calibration;
    }

    /** A builder with CQL's defaults: temperature 1, importance sampling on, no clipping, no calibration. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this regularizer's settings. */
    public Builder toBuilder() {
        return new Builder().temperature(temperature).importanceSampling(importanceSampling)
                .clipDiff(clipDiffMin, clipDiffMax).calibration(calibration);
    }

    /** The logsumexp temperature {@code T}. */
    public double temperature() {
        return temperature;
    }

    /** Whether entries are importance-weighted by the proposal densities. */
    public boolean importanceSampling() {
        return importanceSampling;
    }

    /** Lower clip of the per-state gap ({@code −∞} for none). */
    public double clipDiffMin() {
        return clipDiffMin;
    }

    /** Upper clip of the per-state gap ({@code +∞} for none). */
    public double clipDiffMax() {
        return clipDiffMax;
    }

    /** The calibration of policy-action Q-values. */
    public Calibration calibration() {
        return calibration;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Any {@link QLayout} is served by one logsumexp path. Per state {@code b} with
     * {@code c(q) = calibration.apply(q, V_ref(s_b))} on the entries of calibrated groups and {@code ρ} the group's
     * log-density (subtracted only when importance-sampling), the entries are {@code e = c(q) − ρ} for every
     * pushed-down entry, plus the data entry's own {@code Q(s, a_data)} when the regularizer does not
     * importance-sample and the data entry is not already pushed down. Then
     * {@code ood_b = T·logsumexp(e/T)}, {@code gap_b = ood_b − Q(s_b, a_data)} and
     * {@code d value/d q_i = 1[clipMin ≤ gap_b ≤ clipMax]/B · (softmax_i(e/T)·c'(q_i) − 1[i = data])}.
     * {@code q} and {@code gradQ} must be distinct arrays.
     */
    @Override
    public double evaluate(PenaltyInputs in, double[] q, double[] gradQ) {
        QLayout layout = in.layout();
        int batch = in.batchSize();
        int stride = layout.stride();
        if (q.length < batch * stride || gradQ.length < batch * stride) {
            throw new IllegalArgumentException("q and gradQ need " + batch * stride + " entries (B·" + stride
                    + "), found " + q.length + " and " + gradQ.length);
        }
        int groups = layout.groupCount();
        int rounds = layout.maxCount();
        int[] offsets = layout.offsets;
        int[] counts = layout.counts;
        boolean[] calibrated = layout.calibrated;
        boolean[] corrected = layout.corrected;
        double[] constants = layout.constants;
        boolean dataAmong = layout.dataAmongPushedDown();
        boolean dataOwnEntry = !importanceSampling && !dataAmong;
        double[] ref = in.referenceValues();
        double invT = 1.0 / temperature;
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            int base = b * stride;
            int data = base + checkedDataIndex(in, b, stride);
            double v = ref[b];
            // pass 1: each pushed-down entry's value, kept in gradQ, and the largest entry
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < rounds; j++) {
                for (int g = 0; g < groups; g++) {
                    if (j < counts[g]) {
                        int i = base + offsets[g] + j;
                        double e = calibrated[g] ? calibration.apply(q[i], v) : q[i];
                        if (importanceSampling && corrected[g]) {
                            double[] perEntry = in.corrections(g);
                            e = e - (perEntry == null ? constants[g] : perEntry[b * counts[g] + j]);
                        }
                        gradQ[i] = e;
                        max = Math.max(max, e);
                    }
                }
            }
            if (dataOwnEntry) {
                max = Math.max(max, q[data]);
            }
            // pass 2: sum of exponentials, in the same order
            double s = 0.0;
            for (int j = 0; j < rounds; j++) {
                for (int g = 0; g < groups; g++) {
                    if (j < counts[g]) {
                        s += Math.exp((gradQ[base + offsets[g] + j] - max) * invT);
                    }
                }
            }
            if (dataOwnEntry) {
                s += Math.exp((q[data] - max) * invT);
            }
            double lse = max * invT + Math.log(s);
            double ood = temperature * lse;
            double diff = ood - q[data];
            double clipped = Math.max(clipDiffMin, Math.min(clipDiffMax, diff));
            sum += clipped;
            // pass 3: gradient (softmax weights; the clamp passes gradient where clipMin <= diff <= clipMax)
            double gate = (diff >= clipDiffMin && diff <= clipDiffMax) ? 1.0 / batch : 0.0;
            for (int g = 0; g < groups; g++) {
                int from = base + offsets[g];
                int to = from + counts[g];
                if (calibrated[g]) {
                    for (int i = from; i < to; i++) {
                        gradQ[i] = gate * Math.exp(gradQ[i] * invT - lse) * calibration.derivative(q[i], v);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        gradQ[i] = gate * Math.exp(gradQ[i] * invT - lse);
                    }
                }
            }
            double own = dataOwnEntry ? Math.exp(q[data] * invT - lse) : 0.0;
            gradQ[data] = dataAmong ? gradQ[data] + gate * (own - 1.0) : gate * (own - 1.0);
        }
        return sum / batch;
    }

    private static int checkedDataIndex(PenaltyInputs in, int b, int stride) {
        int d = in.dataIndex(b);
        if (d < 0 || d >= stride) {
            throw new IllegalArgumentException("data index of row " + b + " must lie in [0, " + stride + "), found "
                    + d);
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CqlRegularizer r && Double.compare(r.temperature, temperature) == 0
                && r.importanceSampling == importanceSampling && Double.compare(r.clipDiffMin, clipDiffMin) == 0
                && Double.compare(r.clipDiffMax, clipDiffMax) == 0 && r.calibration.equals(calibration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(temperature, importanceSampling, clipDiffMin, clipDiffMax, calibration);
    }

    @Override
    public String toString() {
        return "CqlRegularizer[temperature=" + temperature + ", importanceSampling=" + importanceSampling
                + ", clipDiff=[" + clipDiffMin + ", " + clipDiffMax + "], calibration=" + calibration + "]";
    }

    /** Validated builder of a {@link CqlRegularizer}. */
    public static final class Builder {
        private double temperature = 1.0;
        private boolean importanceSampling = true;
        private double clipDiffMin = Double.NEGATIVE_INFINITY;
        private double clipDiffMax = Double.POSITIVE_INFINITY;
        private Calibration calibration = Calibration.none();

        private Builder() {
        }

        /** Logsumexp temperature {@code T > 0} (default 1). */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Whether to weigh entries by their proposal densities (default true). */
        public Builder importanceSampling(boolean importanceSampling) {
            this.importanceSampling = importanceSampling;
            return this;
        }

        /** Clip of the per-state gap; infinities for none (default ±∞). */
        public Builder clipDiff(double min, double max) {
            this.clipDiffMin = min;
            this.clipDiffMax = max;
            return this;
        }

        /** Calibration of policy-action Q-values (default {@link Calibration#none()}). */
        public Builder calibration(Calibration calibration) {
            this.calibration = calibration;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field, the value and the rule
         */
        public CqlRegularizer build() {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be positive and finite, found " + temperature);
            }
            if (Double.isNaN(clipDiffMin) || clipDiffMin == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("clipDiffMin must be a number below +∞, found " + clipDiffMin);
            }
            if (Double.isNaN(clipDiffMax) || clipDiffMax == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("clipDiffMax must be a number above −∞, found " + clipDiffMax);
            }
            if (clipDiffMin > clipDiffMax) {
                throw new IllegalArgumentException("clipDiffMin must not exceed clipDiffMax, found "
                        + clipDiffMin + " > " + clipDiffMax);
            }
            Objects.requireNonNull(calibration, "calibration must not be null");
            return new CqlRegularizer(this);
        }
    }
}
