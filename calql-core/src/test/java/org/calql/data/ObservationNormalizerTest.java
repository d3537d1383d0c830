package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ObservationNormalizerTest {

    @Test
    void fitsMeanAndPopulationStdWithFloor() {
        // dim 0: 1, 3 -> mean 2, std 1; dim 1: constant 5 -> std floored
        OfflineDataset d = OfflineDataset.fromArrays(2, 1, new float[] {1, 5, 3, 5}, new float[2], new float[2],
                new float[4], new boolean[2], new boolean[2]);
        ObservationNormalizer n = ObservationNormalizer.fit(d);
        assertArrayEquals(new double[] {2, 5}, n.mean(), 1e-12);
        assertArrayEquals(new double[] {1, ObservationNormalizer.DEFAULT_STD_FLOOR}, n.std(), 1e-12);
        double[] rows = {3, 5.001, 0, 0, 1, 4};
        n.normalizeInPlace(rows, 2, 2);
        assertArrayEquals(new double[] {3, 5.001, -2, -5000, -1, -1000}, rows, 1e-6);
        double[] out = new double[2];
        n.normalize(new float[] {1, 5}, out);
        assertArrayEquals(new double[] {-1, 0}, out, 1e-12);
    }

    @Test
    void statisticsAreCopiesAndRoundTrip() {
        ObservationNormalizer n = ObservationNormalizer.of(new double[] {1, 2}, new double[] {3, 4});
        n.mean()[0] = 99;
        assertEquals(1.0, n.mean()[0]);
        ObservationNormalizer back = ObservationNormalizer.of(n.mean(), n.std());
        double[] a = {5, 6};
        double[] b = {5, 6};
        n.normalizeInPlace(a);
        back.normalizeInPlace(b);
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void identityLeavesRowsUnchanged() {
        ObservationNormalizer n = ObservationNormalizer.identity(3);
        assertTrue(n.isIdentity());
        double[] rows = {1, -2, 3.5};
        n.normalizeInPlace(rows);
        assertArrayEquals(new double[] {1, -2, 3.5}, rows, 0.0);
    }

    @Test
    void badStatisticsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObservationNormalizer.of(new double[] {0}, new double[] {0}));
        assertTrue(e.getMessage().contains("std[0]") && e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ObservationNormalizer.of(new double[] {Double.NaN}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> ObservationNormalizer.of(new double[] {0, 1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> ObservationNormalizer.identity(2).normalizeInPlace(new double[3]));
    }
}
