package org.calql.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoxSpaceTest {

    @Test
    void boundsAreValidatedWithIndexAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BoxSpace(new double[] {-1, 2}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("low[1] = 2.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BoxSpace(new double[] {Double.NaN}, new double[] {1}));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BoxSpace(new double[] {0, 0}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoxSpace(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> BoxSpace.uniform(0, -1, 1));
    }

    @Test
    void boundsAreCopied() {
        double[] low = {-1, -2};
        BoxSpace box = new BoxSpace(low, new double[] {1, 2});
        low[0] = 5;
        assertEquals(-1, box.low(0));
        box.low()[1] = 7;
        assertEquals(-2, box.low(1));
        assertEquals(BoxSpace.uniform(2, -1, 1), new BoxSpace(new double[] {-1, -1}, new double[] {1, 1}));
    }

    @Test
    void badActionsNameTheProblem() {
        BoxSpace box = BoxSpace.uniform(3, -2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> box.requireValid(new double[] {0, 1}));
        assertTrue(e.getMessage().contains("length 3") && e.getMessage().contains("found 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> box.requireValid(new double[] {0, Double.NaN, 1}));
        assertTrue(e.getMessage().contains("action[1] = NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> box.clip(new double[] {0, 0, Double.NEGATIVE_INFINITY}));
        assertTrue(e.getMessage().contains("action[2] = -Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> box.requireValid(null));
    }

    @Test
    void clipAndContains() {
        BoxSpace box = new BoxSpace(new double[] {-1, 0}, new double[] {1, 3});
        assertArrayEquals(new double[] {-1, 3}, box.clip(new double[] {-5, 4}));
        assertArrayEquals(new double[] {0.5, 1}, box.clip(new double[] {0.5, 1}));
        assertTrue(box.contains(new double[] {1, 0}));
        assertFalse(box.contains(new double[] {1.01, 0}));
        assertFalse(box.contains(new double[] {0}));
        assertFalse(box.contains(new double[] {Double.NaN, 1}));
    }
}
