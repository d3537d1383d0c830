package org.calql.regularizer;

import java.util.Objects;

/**
 * The CQL push-down term, with an optional calibration (Cal-QL). Per state {@code b}, with
 * {@code c(q) = calibration.apply(q, V_ref(s_b))} applied to policy-action entries only:
 * <pre>
 *   importance sampling:  e = [ Q(s,a_rand) − log(0.5^A),  c(Q(s,a_next)) − log π_next,  c(Q(s,a_cur)) − log π_cur ]
 *   otherwise:            e = [ Q(s,a_rand), Q(s,a_data), c(Q(s,a_next)), c(Q(s,a_cur)) ]
 *   ood_b   = T · logsumexp(e / T)
 *   value   = mean_b clamp(ood_b − Q(s_b,a_data), clipMin, clipMax)
 * </pre>
 * (Kumar et al. 2020, CQL(H); Nakamoto et al. 2023, Cal-QL.) Immutable and stateless.
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

    @Override
    public double evaluate(PenaltyInputs in, double[] q, double[] gradQ) {
        int batch = in.batchSize();
        int n = in.samples();
        int stride = in.stride();
        if (q.length < batch * stride || gradQ.length < batch * stride) {
            throw new IllegalArgumentException("q and gradQ need " + batch * stride + " entries (B·(1+3N)), found "
                    + q.length + " and " + gradQ.length);
        }
        double randomDensity = Math.log(Math.pow(0.5, in.actionDim()));
        double[] logNext = in.logProbNext();
        double[] logCur = in.logProbCurrent();
        double[] ref = in.referenceValues();
        double invT = 1.0 / temperature;
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            int base = b * stride;
            int lp = b * n;
            double v = ref[b];
            // pass 1: the largest entry
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, entryRandom(q[base + 1 + j], randomDensity));
                max = Math.max(max, entryPolicy(q[base + 1 + n + j], v, logNext[lp + j]));
                max = Math.max(max, entryPolicy(q[base + 1 + 2 * n + j], v, logCur[lp + j]));
            }
            if (!importanceSampling) {
                max = Math.max(max, q[base]);
            }
            // pass 2: sum of exponentials
            double s = 0.0;
            for (int j = 0; j < n; j++) {
                s += Math.exp((entryRandom(q[base + 1 + j], randomDensity) - max) * invT);
                s += Math.exp((entryPolicy(q[base + 1 + n + j], v, logNext[lp + j]) - max) * invT);
                s += Math.exp((entryPolicy(q[base + 1 + 2 * n + j], v, logCur[lp + j]) - max) * invT);
            }
            if (!importanceSampling) {
                s += Math.exp((q[base] - max) * invT);
            }
            double lse = max * invT + Math.log(s);
            double ood = temperature * lse;
            double diff = ood - q[base];
            double clipped = Math.max(clipDiffMin, Math.min(clipDiffMax, diff));
            sum += clipped;
            // pass 3: gradient (softmax weights; the clamp passes gradient where clipMin <= diff <= clipMax)
            double g = (diff >= clipDiffMin && diff <= clipDiffMax) ? 1.0 / batch : 0.0;
            for (int j = 0; j < n; j++) {
                int iRand = base + 1 + j;
                int iNext = base + 1 + n + j;
                int iCur = base + 1 + 2 * n + j;
                gradQ[iRand] = g * Math.exp(entryRandom(q[iRand], randomDensity) * invT - lse);
                gradQ[iNext] = g * Math.exp(entryPolicy(q[iNext], v, logNext[lp + j]) * invT - lse)
                        * calibration.derivative(q[iNext], v);
                gradQ[iCur] = g * Math.exp(entryPolicy(q[iCur], v, logCur[lp + j]) * invT - lse)
                        * calibration.derivative(q[iCur], v);
            }
            double dataWeight = importanceSampling ? 0.0 : Math.exp(q[base] * invT - lse);
            gradQ[base] = g * (dataWeight - 1.0);
        }
        return sum / batch;
    }

    private double entryRandom(double q, double randomDensity) {
        return importanceSampling ? q - randomDensity : q;
    }

    private double entryPolicy(double q, double reference, double logProb) {
        double c = calibration.apply(q, reference);
        return importanceSampling ? c - logProb : c;
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
