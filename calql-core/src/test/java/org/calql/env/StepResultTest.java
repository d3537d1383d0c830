package org.calql.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepResultTest {

    @Test
    void isAValueWithCopiedObservation() {
        double[] obs = {1, 2};
        StepResult r = new StepResult(obs, 0.5, false, true, false);
        obs[0] = 9;
        assertEquals(1, r.observation()[0]);
        r.observation()[1] = 9;
        assertEquals(2, r.observation()[1]);
        assertEquals(new StepResult(new double[] {1, 2}, 0.5, false, true, false), r);
        assertTrue(r.done());
        assertFalse(new StepResult(obs, 0, false, false, false).done());
    }

    @Test
    void rejectsNullObservationAndNaNReward() {
        assertThrows(IllegalArgumentException.class, () -> new StepResult(null, 0, false, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> new StepResult(new double[1], Double.NaN, false, false, false));
    }
}
