package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.calql.spi.ParallelPasses;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Independent passes on ND4J: one BLAS thread each while they run at once, a user's BLAS setting restored after. */
class Nd4jParallelPassesTest {
    private final Nd4jBackend backend = Nd4jBackend.create();

    @Test
    void blasRunsSingleThreadedInsideAndGetsItsSettingBack() {
        int before = Nd4j.factory().blas().getMaxThreads();
        AtomicIntegerArray inside = new AtomicIntegerArray(2);
        backend.runIndependent(2, i -> inside.set(i, Nd4j.factory().blas().getMaxThreads()));
        assertEquals(before, Nd4j.factory().blas().getMaxThreads());
        if (ParallelPasses.shared().threads() > 1) {
            assertEquals(1, inside.get(0));
            assertEquals(1, inside.get(1));
        } else {
            assertEquals(before, inside.get(0), "one thread: passes run in turn and BLAS is left alone");
        }
    }

    @Test
    void backendStartsWithSingleThreadedBlasWhenPassesRunAtOnce() {
        // the surefire JVM sets no calql.nd4j.blasThreads, so the default applies
        if (System.getProperty(Nd4jBackend.BLAS_THREADS_PROPERTY) == null && ParallelPasses.shared().threads() > 1) {
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        }
    }

    @Test
    void aUsersBlasThreadCountIsLoweredInsideAndRestoredAfter() {
        var blas = Nd4j.factory().blas();
        int original = blas.getMaxThreads();
        try {
            blas.setMaxThreads(2);
            AtomicIntegerArray inside = new AtomicIntegerArray(2);
            backend.runIndependent(2, i -> inside.set(i, blas.getMaxThreads()));
            assertEquals(2, blas.getMaxThreads());
            if (ParallelPasses.shared().threads() > 1) {
                assertEquals(1, inside.get(0));
                assertEquals(1, inside.get(1));
            }
        } finally {
            blas.setMaxThreads(original);
        }
    }

    @Test
    void blasSettingComesBackAfterAFailure() {
        int before = Nd4j.factory().blas().getMaxThreads();
        AtomicInteger ran = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.runIndependent(3, i -> {
            ran.incrementAndGet();
            if (i == 1) {
                throw new IllegalStateException("pass " + i);
            }
        }));
        assertTrue(e.getMessage().contains("pass 1"), e.getMessage());
        assertEquals(3, ran.get());
        assertEquals(before, Nd4j.factory().blas().getMaxThreads());
    }
}
