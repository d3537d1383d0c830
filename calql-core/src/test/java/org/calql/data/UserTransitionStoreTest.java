package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** A store written against {@link TransitionStore} alone plugs into the samplers like the built-in one. */
class UserTransitionStoreTest {

    /**
     * A deliberately plain user store: lists of boxed rows, an unbounded FIFO, returns-to-go with
     * {@link ReturnsToGo#episode} when an episode closes, uniform draws with one {@code nextInt} per
     * row, and normalisation through the public {@link ObservationNormalizer#normalizeInPlace}. It uses
     * nothing package-private.
     */
    static final class ListStore implements TransitionStore {
        private final int observationDim;
        private final int actionDim;
        private final RewardTransform transform;
        private final double discount;
        private final List<float[]> rows = new ArrayList<>();
        private final List<Double> returns = new ArrayList<>();
        private final List<float[]> pending = new ArrayList<>();

        ListStore(int observationDim, int actionDim, RewardTransform transform, double discount) {
            this.observationDim = observationDim;
            this.actionDim = actionDim;
            this.transform = transform;
            this.discount = discount;
        }

        @Override
        public int observationDim() {
            return observationDim;
        }

        @Override
        public int actionDim() {
            return actionDim;
        }

        /** A row is {@code obs ‖ next ‖ action ‖ reward ‖ terminal}, all float. */
        @Override
        public void add(double[] observation, double[] action, double rawReward, double[] nextObservation,
                boolean terminated, boolean truncated) {
            if (observation.length != observationDim || nextObservation.length != observationDim
                    || action.length != actionDim || !Double.isFinite(rawReward)) {
                throw new IllegalArgumentException("bad step");
            }
            float[] row = new float[2 * observationDim + actionDim + 2];
            for (int j = 0; j < observationDim; j++) {
                row[j] = (float) observation[j];
                row[observationDim + j] = (float) nextObservation[j];
            }
            for (int j = 0; j < actionDim; j++) {
                row[2 * observationDim + j] = (float) action[j];
            }
            row[row.length - 2] = transform.apply(rawReward);
            row[row.length - 1] = terminated ? 1f : 0f;
            pending.add(row);
            if (terminated || truncated) {
                endEpisode();
            }
        }

        @Override
        public void endEpisode() {
            int n = pending.size();
            float[] rewards = new float[n];
            boolean[] terminals = new boolean[n];
            for (int t = 0; t < n; t++) {
                float[] row = pending.get(t);
                rewards[t] = row[row.length - 2];
                terminals[t] = row[row.length - 1] == 1f;
            }
            double[] g = new double[n];
            ReturnsToGo.episode(rewards, terminals, 0, n, discount, OptionalDouble.empty(), g, 0);
            for (int t = 0; t < n; t++) {
                rows.add(pending.get(t));
                returns.add(g[t]);
            }
            pending.clear();
        }

        @Override
        public int size() {
            return rows.size();
        }

        @Override
        public int pendingSize() {
            return pending.size();
        }

        @Override
        public void sample(TransitionBatch batch, int fromRow, int count, RandomGenerator random,
                ObservationNormalizer normalizer) {
            if (batch.observationDim() != observationDim || batch.actionDim() != actionDim
                    || fromRow < 0 || count < 0 || fromRow + count > batch.size()) {
                throw new IllegalArgumentException("batch does not fit");
            }
            if (count > 0 && rows.isEmpty()) {
                throw new IllegalStateException("empty user store");
            }
            for (int r = fromRow; r < fromRow + count; r++) {
                int t = random.nextInt(rows.size());
                float[] row = rows.get(t);
                for (int j = 0; j < observationDim; j++) {
                    batch.observations()[r * observationDim + j] = row[j];
                    batch.nextObservations()[r * observationDim + j] = row[observationDim + j];
                }
                for (int j = 0; j < actionDim; j++) {
                    batch.actions()[r * actionDim + j] = row[2 * observationDim + j];
                }
                batch.rewards()[r] = row[row.length - 2];
                batch.dones()[r] = row[row.length - 1];
                batch.returnsToGo()[r] = returns.get(t);
            }
            if (normalizer != null) {
                normalizer.normalizeInPlace(batch.observations(), fromRow * observationDim, count);
                normalizer.normalizeInPlace(batch.nextObservations(), fromRow * observationDim, count);
            }
        }
    }

    private static final ObservationNormalizer NORM = ObservationNormalizer.of(new double[] {1, -2},
            new double[] {2, 0.5});

    /** Online steps whose first observation component is {@code -(1000 + id)}, so they read as online. */
    private static void fill(TransitionStore store, int steps) {
        for (int id = 0; id < steps; id++) {
            store.add(new double[] {-(1000 + id), 0.25 * id}, new double[] {0.1 * id}, id % 3,
                    new double[] {-(1001 + id), 0.25 * id + 0.5}, id % 5 == 4, id % 7 == 6);
        }
    }

    @Test
    void userStoreMixesWithOfflineDataThroughMixedSampler() {
        ListStore store = new ListStore(2, 1, new RewardTransform(2, -1), 0.9);
        fill(store, 32);
        // step 29 ended an episode; steps 30 and 31 are still pending
        assertEquals(2, store.pendingSize());
        assertEquals(30, store.size());
        PreparedDataset offline = SamplerTest.offline(40);
        MixedSampler mixed = MixedSampler.fixedRatio(new OfflineSampler(offline, NORM), new ReplaySampler(store, NORM),
                0.25);
        assertEquals(40 + 30, mixed.available());
        TransitionBatch batch = new TransitionBatch(64, 2, 1);
        mixed.sample(batch, new SplittableRandom(11));
        batch.validate();
        int offlineRows = mixed.offlineRows(64);
        assertEquals(16, offlineRows);
        for (int row = 0; row < 64; row++) {
            double raw = batch.observations()[2 * row] * 2 + 1;
            if (row < offlineRows) {
                assertTrue(raw >= 0, "offline row " + row + " holds " + raw);
                continue;
            }
            int id = (int) Math.round(-raw) - 1000;
            assertTrue(id >= 0 && id < 30, "online row " + row + " holds id " + id + ", not a committed step");
            // the whole row is that step's: normalised next observation, action, transformed reward, done
            assertEquals((-(1001 + id) - 1) / 2.0, batch.nextObservations()[2 * row], 1e-12);
            assertEquals((0.25 * id + 0.5 + 2) / 0.5, batch.nextObservations()[2 * row + 1], 1e-12);
            assertEquals((float) (0.1 * id), batch.actions()[row], 0.0);
            assertEquals(2 * (id % 3) - 1, batch.rewards()[row], 0.0);
            assertEquals(id % 5 == 4 ? 1.0 : 0.0, batch.dones()[row], 0.0);
        }
    }

    @Test
    void userStoreDrawsWhatTheReplayBufferDrawsOnTheSameSteps() {
        // with no wrap-around the ring's slots are in commit order, like the list, and both draw
        // one nextInt(size) per row: the contract leaves nothing else to differ
        ListStore store = new ListStore(2, 1, new RewardTransform(2, -1), 0.9);
        ReplayBuffer buffer = new ReplayBuffer(100, 2, 1, new RewardTransform(2, -1), 0.9, OptionalDouble.empty());
        fill(store, 30);
        fill(buffer, 30);
        for (ObservationNormalizer normalizer : Arrays.asList(null, NORM)) {
            TransitionBatch a = new TransitionBatch(50, 2, 1);
            TransitionBatch b = new TransitionBatch(50, 2, 1);
            new ReplaySampler(store, normalizer).sample(a, 3, 40, new SplittableRandom(5));
            new ReplaySampler(buffer, normalizer).sample(b, 3, 40, new SplittableRandom(5));
            assertArrayEquals(b.observations(), a.observations(), 0.0);
            assertArrayEquals(b.nextObservations(), a.nextObservations(), 0.0);
            assertArrayEquals(b.actions(), a.actions(), 0.0);
            assertArrayEquals(b.rewards(), a.rewards(), 0.0);
            assertArrayEquals(b.dones(), a.dones(), 0.0);
            assertArrayEquals(b.returnsToGo(), a.returnsToGo(), 0.0);
        }
    }

    @Test
    void emptyUserStoreFailsOnlyWhenRowsAreDue() {
        ListStore store = new ListStore(2, 1, RewardTransform.identity(), 0.9);
        fill(store, 3);
        assertEquals(0, store.size());
        MixedSampler mixed = MixedSampler.fixedRatio(new OfflineSampler(SamplerTest.offline(10)),
                new ReplaySampler(store), 0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mixed.sample(new TransitionBatch(4, 2, 1), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("empty user store"), e.getMessage());
        MixedSampler.proportional(new OfflineSampler(SamplerTest.offline(10)), new ReplaySampler(store))
                .sample(new TransitionBatch(4, 2, 1), new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class, () -> new ReplaySampler(store, ObservationNormalizer.identity(3)));
    }
}
