package org.calql.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class ActionScalingTest {
    private static final BoxSpace BOX = new BoxSpace(new double[] {-2, 0, 10}, new double[] {2, 1, 30});

    @Test
    void endpointsAndMiddleMapToBoundsAndCentre() {
        ActionScaling s = new ActionScaling(BOX, 0.5);
        assertArrayEquals(new double[] {-2, 0, 10}, s.toEnvironment(new double[] {-0.5, -0.5, -0.5}), 1e-12);
        assertArrayEquals(new double[] {2, 1, 30}, s.toEnvironment(new double[] {0.5, 0.5, 0.5}), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 20}, s.toEnvironment(new double[] {0, 0, 0}), 1e-12);
        assertArrayEquals(new double[] {0.5, -0.5, 0}, s.toPolicy(new double[] {2, 0, 20}), 1e-12);
    }

    @Test
    void outOfRangeInputsAreClippedNotRejected() {
        ActionScaling s = ActionScaling.unit(BOX);
        assertArrayEquals(new double[] {2, 0, 30}, s.toEnvironment(new double[] {1.0000001, -3, 9}), 0);
        assertArrayEquals(new double[] {-1, 1, 1}, s.toPolicy(new double[] {-7, 2, 31}), 0);
    }

    @Property(tries = 300)
    void roundTripIsIdentityAndStaysInBounds(@ForAll @DoubleRange(min = -1.5, max = 1.5) double a0,
            @ForAll @DoubleRange(min = -1.5, max = 1.5) double a1,
            @ForAll @DoubleRange(min = -1.5, max = 1.5) double a2,
            @ForAll @DoubleRange(min = 0.1, max = 5) double maxAction) {
        ActionScaling s = new ActionScaling(BOX, maxAction);
        double[] policy = {a0 * maxAction, a1 * maxAction, a2 * maxAction};
        double[] env = s.toEnvironment(policy);
        assertTrue(BOX.contains(env));
        double[] back = s.toPolicy(env);
        for (int i = 0; i < 3; i++) {
            double expected = Math.max(-maxAction, Math.min(maxAction, policy[i]));
            assertEquals(expected, back[i], 1e-9 * maxAction * 30);
            assertTrue(Math.abs(back[i]) <= maxAction);
        }
    }

    @Test
    void writesIntoTheGivenBuffer() {
        ActionScaling s = ActionScaling.unit(BOX);
        double[] out = new double[3];
        assertTrue(out == s.toEnvironment(new double[] {0, 0, 0}, out));
        assertThrows(IllegalArgumentException.class, () -> s.toEnvironment(new double[] {0, 0, 0}, new double[2]));
    }

    @Test
    void badInputsAreRejectedWithIndexAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ActionScaling(BOX, 0));
        assertTrue(e.getMessage().contains("maxAction") && e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ActionScaling(BOX, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ActionScaling(null, 1));
        ActionScaling s = ActionScaling.unit(BOX);
        e = assertThrows(IllegalArgumentException.class, () -> s.toEnvironment(new double[] {0, Double.NaN, 0}));
        assertTrue(e.getMessage().contains("action[1] = NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.toPolicy(new double[] {0, 0}));
        assertTrue(e.getMessage().contains("length 3"), e.getMessage());
    }
}
