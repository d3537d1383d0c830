package org.calql.train;

import org.calql.data.ReplayBuffer;
import org.calql.random.Rng;

/**
 * Where training stands, apart from the model: the counters, the random generators of sampling and acting, the
 * online replay, and whether the fine-tuning settings are in force. An agent holds one and saves it in its
 * checkpoint; the {@link Trainer} advances it. Not thread-safe.
 */
public final class TrainingState {
    private final Rng sampleRng;
    private final Rng environmentRng;
    private ReplayBuffer replay;
    private boolean onlinePhase;
    private long pretrainUpdates;
    private long finetuneUpdates;
    private long finetuneSteps;
    private long finetuneEpisodes;
    private long finetuneFailures;
    private String offlineDataFingerprint;

    /** A fresh state whose generators are split from the agent's root generator. */
    public TrainingState(Rng sampleRng, Rng environmentRng) {
        this.sampleRng = sampleRng;
        this.environmentRng = environmentRng;
    }

    /** The generator of batch sampling. */
    public Rng sampleRng() {
        return sampleRng;
    }

    /** The generator of environment seeds, exploration noise and random exploration. */
    public Rng environmentRng() {
        return environmentRng;
    }

    /** The online replay, or null before the first fine-tuning. */
    public ReplayBuffer replay() {
        return replay;
    }

    /** Whether the agent has switched to its fine-tuning settings. */
    public boolean onlinePhase() {
        return onlinePhase;
    }

    /** Pre-training updates so far. */
    public long pretrainUpdates() {
        return pretrainUpdates;
    }

    /** Fine-tuning updates so far. */
    public long finetuneUpdates() {
        return finetuneUpdates;
    }

    /** Fine-tuning environment steps so far. */
    public long finetuneSteps() {
        return finetuneSteps;
    }

    /** Fine-tuning episodes finished so far. */
    public long finetuneEpisodes() {
        return finetuneEpisodes;
    }

    /** Fine-tuning episodes finished without success. */
    public long finetuneFailures() {
        return finetuneFailures;
    }

    /** Mean of {@code 1 − success} over fine-tuning episodes so far (NaN before the first). */
    public double cumulativeRegret() {
        return finetuneEpisodes == 0 ? Double.NaN : (double) finetuneFailures / finetuneEpisodes;
    }

    /**
     * The {@link org.calql.data.DatasetFingerprint} of the offline data the agent last trained on, or null; saved
     * in checkpoints so that a resumed agent refuses other data.
     */
    public String offlineDataFingerprint() {
        return offlineDataFingerprint;
    }

    /** Records the fingerprint of the offline data in use (the agent sets it; a checkpoint load restores it). */
    public void recordOfflineData(String fingerprint) {
        this.offlineDataFingerprint = fingerprint;
    }

    /** The counters in checkpoint order: pretrain updates, finetune updates, steps, episodes, failures. */
    public long[] counters() {
        return new long[] {pretrainUpdates, finetuneUpdates, finetuneSteps, finetuneEpisodes, finetuneFailures};
    }

    /**
     * Restores a saved state.
     *
     * @throws IllegalArgumentException if there are not 5 counters, a counter is negative, or failures exceed
     *                                  episodes; nothing changes then
     */
    public void restore(long[] counters, ReplayBuffer replay, boolean onlinePhase) {
        if (counters == null || counters.length != 5) {
            throw new IllegalArgumentException("training counters must hold 5 values, found "
                    + (counters == null ? "null" : counters.length));
        }
        String[] names = {"pretrainUpdates", "finetuneUpdates", "finetuneSteps", "finetuneEpisodes",
            "finetuneFailures"};
        for (int i = 0; i < 5; i++) {
            if (counters[i] < 0) {
                throw new IllegalArgumentException(names[i] + " must not be negative, found " + counters[i]);
            }
        }
        if (counters[4] > counters[3]) {
            throw new IllegalArgumentException("finetuneFailures " + counters[4] + " exceed finetuneEpisodes "
                    + counters[3]);
        }
        pretrainUpdates = counters[0];
        finetuneUpdates = counters[1];
        finetuneSteps = counters[2];
        finetuneEpisodes = counters[3];
        finetuneFailures = counters[4];
        this.replay = replay;
        this.onlinePhase = onlinePhase;
    }

    void useReplay(ReplayBuffer buffer) {
        this.replay = buffer;
    }

    void enterOnlinePhase() {
        this.onlinePhase = true;
    }

    long countPretrainUpdate() {
        return ++pretrainUpdates;
    }

    long countFinetuneUpdate() {
        return ++finetuneUpdates;
    }

    long countFinetuneStep() {
        return ++finetuneSteps;
    }

    void countEpisode(boolean success) {
        finetuneEpisodes++;
        if (!success) {
            finetuneFailures++;
        }
    }
}
