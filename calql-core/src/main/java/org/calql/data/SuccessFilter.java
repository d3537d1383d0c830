package org.calql.data;

/**
 * The Cal-QL authors' handling of binary-success data (Adroit-binary: reward 0 on a success step, −1 otherwise),
 * as a data-preparation step applied to the raw {@link OfflineDataset} before it is prepared: each option
 * rewrites or drops rows of every episode, and the result is a new dataset. The source is {@code
 * get_hand_dataset_with_mc_calculation} in {@code JaxCQL/replay_buffer.py} (nakamotoo/Cal-QL):
 * <ul>
 *   <li>{@link Builder#skipFailedEpisodes(boolean) skipFailedEpisodes}: drop every episode with no success step
 *       (lines 184-185 and 202-203: {@code if not (0 in dataset[i]["rewards"]): continue});</li>
 *   <li>{@link Builder#cutAtLastSuccess(boolean) cutAtLastSuccess}: keep an episode only up to and including its
 *       last success step (line 187: {@code trunc_ind = np.where(rewards == 0)[0][-1] + 1}); the data of
 *       {@code [−1, −1, 0, 0, −1]} becomes {@code [−1, −1, 0, 0]}. The cut row ends its episode as a data
 *       break (unless it is terminal);</li>
 *   <li>{@link Builder#doneAtSuccess(boolean) doneAtSuccess}: the terminal flags become "this step is a success"
 *       and replace the data's own (line 150: {@code dones = (rewards == reward_pos)}), so the bootstrap stops at
 *       every success step.</li>
 * </ul>
 * Success is a raw reward equal to {@link #successReward()} (the authors' {@code reward_pos}, 0 for
 * Adroit-binary, line 12), compared before any {@link RewardTransform}.
 *
 * <p>Returns-to-go then agree with the authors': they compute them over the whole cut episode with the
 * terminal flags cutting the bootstrap, which is what per-episode returns over the episodes split at those
 * terminals give; and since every kept piece ends at a success, the sparse-failure rule never applies offline,
 * as in their code.
 */
public final class SuccessFilter {
    private final double successReward;
    private final boolean doneAtSuccess;
    private final boolean cutAtLastSuccess;
    private final boolean skipFailedEpisodes;

    private SuccessFilter(Builder b) {
        this.successReward = b.successReward;
        this.doneAtSuccess = b.doneAtSuccess;
        this.cutAtLastSuccess = b.cutAtLastSuccess;
        this.skipFailedEpisodes = b.skipFailedEpisodes;
    }

    /**
     * A builder with every option off.
     *
     * @param successReward the raw reward that marks a success step, finite
     */
    public static Builder builder(double successReward) {
        return new Builder(successReward);
    }

    /** The authors' Adroit-binary handling: success reward 0, all three options on. */
    public static SuccessFilter adroitBinary() {
        return builder(0.0).doneAtSuccess(true).cutAtLastSuccess(true).skipFailedEpisodes(true).build();
    }

    /** The raw reward of a success step. */
    public double successReward() {
        return successReward;
    }

    /** Whether success steps become the terminal flags. */
    public boolean doneAtSuccess() {
        return doneAtSuccess;
    }

    /** Whether episodes are cut after their last success. */
    public boolean cutAtLastSuccess() {
        return cutAtLastSuccess;
    }

    /** Whether episodes without a success are dropped. */
    public boolean skipFailedEpisodes() {
        return skipFailedEpisodes;
    }

    /**
     * The filtered dataset (new arrays; {@code dataset} is unchanged).
     *
     * @throws IllegalArgumentException if {@code dataset} is null or no row is left (every episode failed and
     *                                  failed episodes are skipped)
     */
    public OfflineDataset apply(OfflineDataset dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must not be null");
        }
        int obsDim = dataset.observationDim();
        int actDim = dataset.actionDim();
        float[] rewards = dataset.rewardArray();
        boolean[] terminals = dataset.terminalArray();
        int[] starts = dataset.episodeStarts();
        int[] lengths = dataset.episodeLengths();
        int[] keepTo = new int[starts.length];
        int kept = 0;
        for (int e = 0; e < starts.length; e++) {
            int last = -1;
            for (int t = starts[e]; t < starts[e] + lengths[e]; t++) {
                if (rewards[t] == successReward) {
                    last = t;
                }
            }
            if (last < 0 && skipFailedEpisodes) {
                keepTo[e] = starts[e];
            } else {
                keepTo[e] = cutAtLastSuccess && last >= 0 ? last + 1 : starts[e] + lengths[e];
            }
            kept += keepTo[e] - starts[e];
        }
        if (kept == 0) {
            throw new IllegalArgumentException("no row is left: none of the " + starts.length + " episodes has a"
                    + " step with the success reward " + successReward + ", and skipFailedEpisodes drops those");
        }
        float[] obs = new float[kept * obsDim];
        float[] act = new float[kept * actDim];
        float[] rew = new float[kept];
        float[] next = new float[kept * obsDim];
        boolean[] term = new boolean[kept];
        boolean[] ends = new boolean[kept];
        float[] srcObs = dataset.observationArray();
        float[] srcAct = dataset.actionArray();
        float[] srcNext = dataset.nextObservationArray();
        int row = 0;
        for (int e = 0; e < starts.length; e++) {
            int from = starts[e];
            int n = keepTo[e] - from;
            if (n == 0) {
                continue;
            }
            System.arraycopy(srcObs, from * obsDim, obs, row * obsDim, n * obsDim);
            System.arraycopy(srcNext, from * obsDim, next, row * obsDim, n * obsDim);
            System.arraycopy(srcAct, from * actDim, act, row * actDim, n * actDim);
            for (int i = 0; i < n; i++) {
                rew[row + i] = rewards[from + i];
                term[row + i] = doneAtSuccess ? rewards[from + i] == successReward : terminals[from + i];
            }
            ends[row + n - 1] = true;
            row += n;
        }
        return OfflineDataset.fromArrays(obsDim, actDim, obs, act, rew, next, term, ends);
    }

    @Override
    public String toString() {
        return "SuccessFilter{successReward=" + successReward + ", doneAtSuccess=" + doneAtSuccess
                + ", cutAtLastSuccess=" + cutAtLastSuccess + ", skipFailedEpisodes=" + skipFailedEpisodes + "}";
    }

    /** Builder of a {@link SuccessFilter}; {@link #build()} validates. */
    public static final class Builder {
        private final double successReward;
        private boolean doneAtSuccess;
        private boolean cutAtLastSuccess;
        private boolean skipFailedEpisodes;

        private Builder(double successReward) {
            this.successReward = successReward;
        }

        /** See {@link SuccessFilter#doneAtSuccess()}. */
        public Builder doneAtSuccess(boolean v) {
            doneAtSuccess = v;
            return this;
        }

        /** See {@link SuccessFilter#cutAtLastSuccess()}. */
        public Builder cutAtLastSuccess(boolean v) {
            cutAtLastSuccess = v;
            return this;
        }

        /** See {@link SuccessFilter#skipFailedEpisodes()}. */
        public Builder skipFailedEpisodes(boolean v) {
            skipFailedEpisodes = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the success reward is not finite, or no option is on
         */
        public SuccessFilter build() {
            if (!Double.isFinite(successReward)) {
                throw new IllegalArgumentException("successReward must be finite, found " + successReward);
            }
            if (!doneAtSuccess && !cutAtLastSuccess && !skipFailedEpisodes) {
                throw new IllegalArgumentException("a SuccessFilter needs at least one of doneAtSuccess,"
                        + " cutAtLastSuccess, skipFailedEpisodes on, found all off");
            }
            return new SuccessFilter(this);
        }
    }
}
