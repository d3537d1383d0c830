package org.calql.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.calql.spi.BackendProvider;
import org.calql.spi.Backends;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.junit.jupiter.api.Test;

class JavaBackendProviderTest {
    @Test
    void serviceLoaderFindsTheJavaBackend() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("java")) {
                found = p;
            }
        }
        assertTrue(found instanceof JavaBackendProvider, "ServiceLoader should list JavaBackendProvider");
        assertEquals(0, found.rank());
        assertEquals("java", found.create().name());
        assertTrue(Backends.available().contains("java"));
        assertTrue(Backends.named("JAVA") instanceof JavaBackend);
    }

    @Test
    void unknownNameListsTheAvailableBackends() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.named("nope"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("java"), e.getMessage());
    }

    @Test
    void createsZeroNetworksOfTheRequestedSpec() {
        NetworkSpec spec = NetworkSpec.of(3, new int[] {2}, 1);
        Network net = new JavaBackend().createNetwork(spec);
        assertEquals(spec, net.spec());
        for (double[] a : net.exportParameters()) {
            for (double v : a) {
                assertEquals(0.0, v);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new JavaBackend().createNetwork(null));
    }
}
