package org.calql.data;

import java.util.OptionalDouble;

/**
 * Monte-Carlo returns-to-go, the reference values {@code V_ref(s)} that Cal-QL calibrates against,
 * computed exactly as the authors' {@code calc_return_to_go} (Nakamoto et al., "Cal-QL", 2023).
 *
 * <p>Per episode, backwards from its last step with {@code G = 0} after it:
 * <pre>
 *   G_t = r_t + γ · G_{t+1} · (1 − terminal_t)
 * </pre>
 * so at a terminal {@code G_t = r_t}, and at the last step of a truncated episode (timeout or data
 * break, not a terminal) also {@code G_t = r_t}, since nothing after it is known.
 *
 * <p>Sparse-reward rule: with a failure reward {@code R_f} (in transformed units), an episode whose
 * every reward equals {@code R_f} gets {@code G_t = R_f / (1 − γ)} at every step — the value of failing
 * forever rather than the truncated sum. Rewards are compared to {@code (float) R_f}, exactly.
 *
 * <p>Returns are accumulated in double.
 */
public final class ReturnsToGo {
    private ReturnsToGo() {
    }

    /**
     * Returns-to-go of a whole dataset, episode by episode.
     *
     * @param transformedRewards {@code [n]} rewards after the {@link RewardTransform}
     * @param terminals {@code [n]} terminal flags
     * @param episodeEnds {@code [n]} episode-end flags; the last transition always ends an episode,
     *     and so does every terminal
     * @param discount {@code γ} in {@code [0, 1)}
     * @param sparseFailureReward {@code R_f} for the sparse rule, or empty for none
     * @return {@code [n]} returns-to-go
     * @throws IllegalArgumentException on mismatched lengths, a bad discount or a non-finite {@code R_f}
     */
    public static double[] compute(float[] transformedRewards, boolean[] terminals, boolean[] episodeEnds,
            double discount, OptionalDouble sparseFailureReward) {
        checkDiscount(discount);
        checkFailureReward(sparseFailureReward);
        int n = transformedRewards.length;
        if (terminals.length != n) {
            throw new IllegalArgumentException("terminals must have length " + n + " (one per reward), found "
                    + terminals.length);
        }
        if (episodeEnds.length != n) {
            throw new IllegalArgumentException("episodeEnds must have length " + n + " (one per reward), found "
                    + episodeEnds.length);
        }
        double[] out = new double[n];
        int start = 0;
        for (int t = 0; t < n; t++) {
            if (episodeEnds[t] || terminals[t] || t == n - 1) {
                episode(transformedRewards, terminals, start, t + 1, discount, sparseFailureReward, out, start);
                start = t + 1;
            }
        }
        return out;
    }

    /**
     * Returns-to-go of one episode held in {@code rewards[from .. to)} (the step {@code to − 1} is its
     * last), written to {@code out[outOffset .. outOffset + to − from)}; allocates nothing. A terminal
     * flag inside the range cuts the bootstrap there, as in the authors' code.
     *
     * @param rewards transformed rewards
     * @param terminals terminal flags, indexed like {@code rewards}
     * @param from first step, inclusive
     * @param to last step, exclusive
     * @param discount {@code γ} in {@code [0, 1)}
     * @param sparseFailureReward {@code R_f} for the sparse rule, or empty for none
     * @param out destination
     * @param outOffset where step {@code from} goes in {@code out}
     * @throws IllegalArgumentException on a bad range, a bad discount or a non-finite {@code R_f}
     */
    public static void episode(float[] rewards, boolean[] terminals, int from, int to, double discount,
            OptionalDouble sparseFailureReward, double[] out, int outOffset) {
        checkDiscount(discount);
        checkFailureReward(sparseFailureReward);
        if (from < 0 || to < from || to > rewards.length || to > terminals.length) {
            throw new IllegalArgumentException("episode range [" + from + ", " + to + ") must lie within the "
                    + rewards.length + " rewards and " + terminals.length + " terminals");
        }
        int length = to - from;
        if (outOffset < 0 || outOffset + length > out.length) {
            throw new IllegalArgumentException("output range [" + outOffset + ", " + (outOffset + length)
                    + ") must lie within the " + out.length + " outputs");
        }
        if (sparseFailureReward.isPresent() && length > 0) {
            double failure = sparseFailureReward.getAsDouble();
            float failureAsStored = (float) failure;
            boolean allFailure = true;
            for (int t = from; t < to; t++) {
                if (rewards[t] != failureAsStored) {
                    allFailure = false;
                    break;
                }
            }
            if (allFailure) {
                double value = failure / (1.0 - discount);
                for (int i = 0; i < length; i++) {
                    out[outOffset + i] = value;
                }
                return;
            }
        }
        double next = 0.0;
        for (int t = to - 1; t >= from; t--) {
            double g = rewards[t] + (terminals[t] ? 0.0 : discount * next);
            out[outOffset + (t - from)] = g;
            next = g;
        }
    }

    static void checkDiscount(double discount) {
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("discount must be in [0, 1), found " + discount);
        }
    }

    static void checkFailureReward(OptionalDouble sparseFailureReward) {
        if (sparseFailureReward == null) {
            throw new IllegalArgumentException("sparseFailureReward must not be null; use OptionalDouble.empty()");
        }
        if (sparseFailureReward.isPresent() && !Double.isFinite(sparseFailureReward.getAsDouble())) {
            throw new IllegalArgumentException("sparseFailureReward must be finite, found "
                    + sparseFailureReward.getAsDouble());
        }
    }
}
