package org.calql.data;

import java.util.random.RandomGenerator;

/**
 * Draws part of every batch from offline data and the rest from online data (Cal-QL fine-tuning's
 * "mixing ratio"). The offline rows come first in the batch, the online rows after them.
 * <ul>
 *   <li>{@link #fixedRatio}: exactly {@code round(ratio · B)} rows of every batch of size {@code B} are
 *       offline (the same count every batch, so the ratio is held batch by batch, not just on
 *       average); the authors use 0.5.</li>
 *   <li>{@link #proportional}: every row is drawn uniformly from the union of the two stores, so a row
 *       is offline with probability {@code n_offline / (n_offline + n_online)}.</li>
 * </ul>
 */
public final class MixedSampler implements TransitionSampler {
    private final TransitionSampler offline;
    private final TransitionSampler online;
    private final double ratio;
    private final boolean proportional;

    private MixedSampler(TransitionSampler offline, TransitionSampler online, double ratio, boolean proportional) {
        if (offline == null || online == null) {
            throw new IllegalArgumentException("offline and online samplers must not be null");
        }
        this.offline = offline;
        this.online = online;
        this.ratio = ratio;
        this.proportional = proportional;
    }

    /**
     * A fixed fraction {@code offlineRatio} of every batch from {@code offline}.
     *
     * @throws IllegalArgumentException if {@code offlineRatio} is NaN or outside {@code [0, 1]}
     */
    public static MixedSampler fixedRatio(TransitionSampler offline, TransitionSampler online, double offlineRatio) {
        if (!(offlineRatio >= 0.0 && offlineRatio <= 1.0)) {
            throw new IllegalArgumentException("offlineRatio must be in [0, 1], found " + offlineRatio);
        }
        return new MixedSampler(offline, online, offlineRatio, false);
    }

    /** Rows drawn in proportion to the two stores' sizes. */
    public static MixedSampler proportional(TransitionSampler offline, TransitionSampler online) {
        return new MixedSampler(offline, online, Double.NaN, true);
    }

    /** Whether rows are drawn in proportion to the stores' sizes rather than at a fixed ratio. */
    public boolean isProportional() {
        return proportional;
    }

    /** The fixed offline ratio, or NaN when {@link #isProportional()}. */
    public double offlineRatio() {
        return ratio;
    }

    /** Offline rows in a batch of {@code rows} under a fixed ratio: {@code round(ratio · rows)}. */
    public int offlineRows(int rows) {
        if (proportional) {
            throw new IllegalStateException("a proportional sampler draws a random number of offline rows");
        }
        return (int) Math.round(ratio * rows);
    }

    @Override
    public int available() {
        return offline.available() + online.available();
    }

    /**
     * Fills the offline rows first, then the online rows.
     *
     * @throws IllegalStateException if rows are due from a store that is empty
     */
    @Override
    public void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random) {
        if (fromRow < 0 || rows < 0 || fromRow + rows > batch.size()) {
            throw new IllegalArgumentException("rows [" + fromRow + ", " + ((long) fromRow + rows)
                    + ") must lie within the batch of size " + batch.size());
        }
        int offlineRows;
        if (proportional) {
            int nOffline = offline.available();
            int total = nOffline + online.available();
            if (rows > 0 && total == 0) {
                throw new IllegalStateException("cannot sample " + rows + " rows: offline and online data are empty");
            }
            offlineRows = 0;
            if (nOffline == total) {
                offlineRows = rows;
            } else if (nOffline > 0) {
                for (int i = 0; i < rows; i++) {
                    if (random.nextInt(total) < nOffline) {
                        offlineRows++;
                    }
                }
            }
        } else {
            offlineRows = (int) Math.round(ratio * rows);
        }
        offline.sample(batch, fromRow, offlineRows, random);
        online.sample(batch, fromRow + offlineRows, rows - offlineRows, random);
    }
}
