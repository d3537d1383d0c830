package org.calql.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Backend discovery in calql-core alone (only the plain-Java backend is on this class path). */
class BackendsTest {
    @Test
    void bestIsJavaWhenItIsTheOnlyBackend() {
        assertEquals("java", Backends.best().name());
        assertEquals(java.util.List.of("java"), Backends.available());
    }

    @Test
    void propertyOverridesAndUnknownNamesFailWithTheAvailableOnes() {
        System.setProperty(Backends.PROPERTY, "tensorflow");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backends::best);
            assertTrue(e.getMessage().contains("tensorflow") && e.getMessage().contains("[java]"), e.getMessage());
        } finally {
            System.clearProperty(Backends.PROPERTY);
        }
    }
}
