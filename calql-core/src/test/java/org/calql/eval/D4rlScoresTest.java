package org.calql.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference returns as d4rl/infos.py (Farama-Foundation/D4RL @ 89141a68) lists them; literals with their lines. */
class D4rlScoresTest {
    @Test
    void referenceValuesEqualInfosPy() {
        assertEquals(0.0, D4rlScores.referenceMin("antmaze-medium-diverse-v2").getAsDouble()); // infos.py:158
        assertEquals(1.0, D4rlScores.referenceMax("antmaze-medium-diverse-v2").getAsDouble()); // infos.py:248
        assertEquals(96.262799, D4rlScores.referenceMin("pen-human-v0").getAsDouble());        // infos.py:117
        assertEquals(3076.8331017826877, D4rlScores.referenceMax("pen-human-v0").getAsDouble()); // infos.py:207
        assertEquals(0.0, D4rlScores.referenceMin("kitchen-mixed-v0").getAsDouble());          // infos.py:163
        assertEquals(4.0, D4rlScores.referenceMax("kitchen-mixed-v0").getAsDouble());          // infos.py:253
        assertEquals(-20.272305, D4rlScores.referenceMin("hopper-medium-v0").getAsDouble());   // infos.py:140
        assertEquals(3234.3, D4rlScores.referenceMax("hopper-medium-v0").getAsDouble());       // infos.py:230
        assertEquals(87, D4rlScores.tasks().size());
    }

    @Test
    void normalisedScoreIsHundredTimesTheFraction() {
        assertEquals(100.0, D4rlScores.normalized("antmaze-large-play-v2", 1.0));
        assertEquals(75.0, D4rlScores.normalized("kitchen-partial-v0", 3.0));
        assertEquals(100.0 * (1000 - 96.262799) / (3076.8331017826877 - 96.262799),
                D4rlScores.normalized("pen-cloned-v0", 1000), 1e-12);
        assertEquals(0.0, D4rlScores.normalized("door-expert-v0", -56.512833), 1e-12);
    }

    @Test
    void unlistedTasksAreRefusedByName() {
        assertFalse(D4rlScores.referenceMin("pen-binary-v0").isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> D4rlScores.normalized("pen-binary-v0", 1));
        assertTrue(e.getMessage().contains("'pen-binary-v0'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> D4rlScores.normalized("hopper-medium-v0", Double.NaN));
    }
}
