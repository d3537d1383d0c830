package org.calql.examples.extension;

import java.util.OptionalDouble;
import java.util.random.RandomGenerator;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReturnsToGo;
import org.calql.data.RewardTransform;
import org.calql.data.TransitionBatch;
import org.calql.data.TransitionStore;

/**
 * A user-written replay, written against calql's public {@link TransitionStore} seam only: a FIFO of the newest
 * {@code capacity} transitions that draws half of every sample from the newest {@code recentWindow} of them
 * (a simple recency bias), the other half uniformly. Steps of the current episode are staged and committed with
 * their Monte-Carlo returns-to-go ({@link ReturnsToGo#episode}) when the episode ends, in the units of the
 * agent's training config (reward transform, discount, sparse rule). Primitive arrays; no allocation per step.
 */
public final class RecentTransitionStore implements TransitionStore {
    private final int capacity;
    private final int recentWindow;
    private final int observationDim;
    private final int actionDim;
    private final RewardTransform transform;
    private final double discount;
    private final OptionalDouble sparseFailureReward;
    private final float[] observations;
    private final float[] nextObservations;
    private final float[] actions;
    private final float[] rewards;
    private final boolean[] terminals;
    private final double[] returns;
    private final float[] stagedRewards;
    private final boolean[] stagedTerminals;
    private final double[] stagedReturns;
    private int next;
    private int size;
    private int staged;
    private int stagedStart;
    private long sampledRecent;

    /**
     * @param capacity     transitions kept, at least the longest episode
     * @param recentWindow the newest transitions that half of every sample comes from
     */
    public RecentTransitionStore(int capacity, int recentWindow, int observationDim, int actionDim,
                                 RewardTransform transform, double discount, OptionalDouble sparseFailureReward) {
        if (capacity < 1 || recentWindow < 1 || recentWindow > capacity) {
            throw new IllegalArgumentException("need 1 <= recentWindow <= capacity, found " + recentWindow + " and "
                    + capacity);
        }
        this.capacity = capacity;
        this.recentWindow = recentWindow;
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.transform = transform;
        this.discount = discount;
        this.sparseFailureReward = sparseFailureReward;
        observations = new float[capacity * observationDim];
        nextObservations = new float[capacity * observationDim];
        actions = new float[capacity * actionDim];
        rewards = new float[capacity];
        terminals = new boolean[capacity];
        returns = new double[capacity];
        stagedRewards = new float[capacity];
        stagedTerminals = new boolean[capacity];
        stagedReturns = new double[capacity];
    }

    @Override
    public int observationDim() {
        return observationDim;
    }

    @Override
    public int actionDim() {
        return actionDim;
    }

    /** Rows drawn from the recent window so far (what makes this store differ from uniform replay). */
    public long sampledRecent() {
        return sampledRecent;
    }

    /** Stages the step in the ring slot after the committed ones; its return is known when the episode ends. */
    @Override
    public void add(double[] observation, double[] action, double rawReward, double[] nextObservation,
                    boolean terminated, boolean truncated) {
        if (staged == capacity) {
            throw new IllegalStateException("an episode longer than the store's capacity " + capacity);
        }
        if (staged == 0) {
            stagedStart = next;
        }
        int slot = (stagedStart + staged) % capacity;
        for (int j = 0; j < observationDim; j++) {
            observations[slot * observationDim + j] = (float) observation[j];
            nextObservations[slot * observationDim + j] = (float) nextObservation[j];
        }
        for (int j = 0; j < actionDim; j++) {
            actions[slot * actionDim + j] = (float) action[j];
        }
        float r = transform.apply(rawReward);
        rewards[slot] = r;
        terminals[slot] = terminated;
        stagedRewards[staged] = r;
        stagedTerminals[staged] = terminated;
        staged++;
        if (terminated || truncated) {
            endEpisode();
        }
    }

    @Override
    public void endEpisode() {
        if (staged == 0) {
            return;
        }
        ReturnsToGo.episode(stagedRewards, stagedTerminals, 0, staged, discount, sparseFailureReward, stagedReturns,
                0);
        for (int t = 0; t < staged; t++) {
            returns[(stagedStart + t) % capacity] = stagedReturns[t];
        }
        next = (stagedStart + staged) % capacity;
        size = Math.min(capacity, size + staged);
        staged = 0;
    }

    /** Committed transitions not yet overwritten by the staged episode (which reuses the oldest slots). */
    @Override
    public int size() {
        return Math.min(size, capacity - staged);
    }

    @Override
    public int pendingSize() {
        return staged;
    }

    @Override
    public void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random,
                       ObservationNormalizer normalizer) {
        int available = size();
        if (rows > 0 && available == 0) {
            throw new IllegalStateException("the store holds no committed transition yet");
        }
        int window = Math.min(recentWindow, available);
        for (int r = fromRow; r < fromRow + rows; r++) {
            boolean recent = (r - fromRow) % 2 == 0;
            int age = random.nextInt(recent ? window : available);
            if (recent) {
                sampledRecent++;
            }
            int slot = Math.floorMod(next - 1 - age, capacity);
            copy(observations, slot * observationDim, batch.observations(), r * observationDim, observationDim);
            copy(nextObservations, slot * observationDim, batch.nextObservations(), r * observationDim,
                    observationDim);
            copy(actions, slot * actionDim, batch.actions(), r * actionDim, actionDim);
            batch.rewards()[r] = rewards[slot];
            batch.dones()[r] = terminals[slot] ? 1.0 : 0.0;
            batch.returnsToGo()[r] = returns[slot];
        }
        if (normalizer != null) {
            normalizer.normalizeInPlace(batch.observations(), fromRow * observationDim, rows);
            normalizer.normalizeInPlace(batch.nextObservations(), fromRow * observationDim, rows);
        }
    }

    private static void copy(float[] from, int offset, double[] to, int at, int n) {
        for (int j = 0; j < n; j++) {
            to[at + j] = from[offset + j];
        }
    }
}
