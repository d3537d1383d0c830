package org.calql.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianTest {
    @Test
    void sameSeedSameBits() {
        double[] a = new double[1000];
        double[] b = new double[1000];
        Gaussian.fill(new SplittableRandom(42), a, a.length);
        SplittableRandom rng = new SplittableRandom(42);
        for (int i = 0; i < b.length; i++) {
            b[i] = Gaussian.next(rng);
        }
        assertArrayEquals(a, b);
    }

    @Test
    void hasStandardNormalMoments() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 400_000;
        double sum = 0;
        double sumSquares = 0;
        double sumFourth = 0;
        int withinOne = 0;
        for (int i = 0; i < n; i++) {
            double x = Gaussian.next(rng);
            sum += x;
            sumSquares += x * x;
            sumFourth += x * x * x * x;
            if (Math.abs(x) < 1) {
                withinOne++;
            }
        }
        // tolerances are about five standard errors
        assertEquals(0.0, sum / n, 0.008);
        assertEquals(1.0, sumSquares / n, 0.012);
        assertEquals(3.0, sumFourth / n, 0.06);
        assertEquals(0.682689, (double) withinOne / n, 0.004);
    }

    @Test
    void fillValidatesCount() {
        assertThrows(IllegalArgumentException.class, () -> Gaussian.fill(new SplittableRandom(1), new double[2], 3));
        assertThrows(IllegalArgumentException.class, () -> Gaussian.fill(new SplittableRandom(1), new double[2], -1));
    }
}
