package org.calql.data;

import java.nio.FloatBuffer;
import java.util.zip.CRC32C;

/**
 * A short identity of an offline dataset's contents: its sizes and a CRC-32C over every column (observations,
 * actions, rewards, next observations, terminals, episode ends). A checkpoint records it so that resuming
 * refuses other data than the agent trained on. Computed in one pass, allocation-free per row.
 */
public final class DatasetFingerprint {
    private DatasetFingerprint() {
    }

    /** {@code "N×(observationDim, actionDim) crc32c:XXXXXXXX"}. */
    public static String of(OfflineDataset dataset) {
        CRC32C crc = new CRC32C();
        byte[] scratch = new byte[4096];
        update(crc, dataset.observationsView(), scratch);
        update(crc, dataset.actionsView(), scratch);
        update(crc, dataset.rewardsView(), scratch);
        update(crc, dataset.nextObservationsView(), scratch);
        update(crc, dataset.terminals(), scratch);
        update(crc, dataset.episodeEnds(), scratch);
        return dataset.size() + "×(" + dataset.observationDim() + ", " + dataset.actionDim() + ") crc32c:"
                + String.format("%08x", crc.getValue());
    }

    private static void update(CRC32C crc, FloatBuffer values, byte[] scratch) {
        FloatBuffer v = values.duplicate();
        int fill = 0;
        while (v.hasRemaining()) {
            int bits = Float.floatToRawIntBits(v.get());
            scratch[fill++] = (byte) (bits >>> 24);
            scratch[fill++] = (byte) (bits >>> 16);
            scratch[fill++] = (byte) (bits >>> 8);
            scratch[fill++] = (byte) bits;
            if (fill == scratch.length) {
                crc.update(scratch, 0, fill);
                fill = 0;
            }
        }
        crc.update(scratch, 0, fill);
    }

    private static void update(CRC32C crc, boolean[] values, byte[] scratch) {
        int fill = 0;
        for (boolean b : values) {
            scratch[fill++] = (byte) (b ? 1 : 0);
            if (fill == scratch.length) {
                crc.update(scratch, 0, fill);
                fill = 0;
            }
        }
        crc.update(scratch, 0, fill);
    }
}
