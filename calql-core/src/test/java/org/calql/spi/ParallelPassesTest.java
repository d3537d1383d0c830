package org.calql.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The gang that runs independent passes: every index once, failures, nesting, and real concurrency. */
class ParallelPassesTest {
    private static final ParallelPasses TWO = new ParallelPasses(2);
    private static final ParallelPasses FOUR = new ParallelPasses(4);

    @Property(tries = 60)
    void everyIndexRunsExactlyOnce(@ForAll @IntRange(min = 0, max = 40) int count,
                                   @ForAll @IntRange(min = 1, max = 3) int gang) {
        ParallelPasses passes = gang == 1 ? new ParallelPasses(1) : gang == 2 ? TWO : FOUR;
        AtomicIntegerArray calls = new AtomicIntegerArray(count);
        passes.run(count, calls::incrementAndGet);
        for (int i = 0; i < count; i++) {
            assertEquals(1, calls.get(i), "index " + i + " of " + count);
        }
    }

    @Test
    void twoPassesRunAtOnce() {
        // each pass waits for the other: run one after another, the barrier would time out
        CyclicBarrier meet = new CyclicBarrier(2);
        List<String> threads = new ArrayList<>(List.of("", ""));
        TWO.run(2, i -> {
            threads.set(i, Thread.currentThread().getName());
            try {
                meet.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("passes did not overlap", e);
            }
        });
        assertNotEquals(threads.get(0), threads.get(1));
    }

    @Test
    void firstFailureIsRethrownAfterEveryPassFinished() {
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("pass 3 failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> FOUR.run(8, i -> {
            if (i == 3) {
                throw boom;
            }
            finished.incrementAndGet();
        }));
        assertSame(boom, thrown);
        assertEquals(7, finished.get());
        AtomicInteger after = new AtomicInteger();
        FOUR.run(5, i -> after.incrementAndGet());
        assertEquals(5, after.get(), "the gang works after a failure");
    }

    @Test
    void inTurnAFailureAlsoLetsTheOtherPassesRun() {
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException first = new IllegalStateException("pass 1 failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> new ParallelPasses(1).run(4,
                i -> {
                    if (i == 1) {
                        throw first;
                    }
                    if (i == 2) {
                        throw new IllegalStateException("pass 2 failed");
                    }
                    finished.incrementAndGet();
                }));
        assertSame(first, thrown);
        assertEquals(2, finished.get());
        Backend sequential = new Backend() {
            @Override
            public String name() {
                return "in-turn";
            }

            @Override
            public Network createNetwork(NetworkSpec spec) {
                throw new UnsupportedOperationException();
            }
        };
        finished.set(0);
        assertSame(first, assertThrows(IllegalStateException.class, () -> sequential.runIndependent(3, i -> {
            if (i == 1) {
                throw first;
            }
            finished.incrementAndGet();
        })));
        assertEquals(2, finished.get(), "the default runIndependent behaves the same");
    }

    @Test
    void enterAndExitFrameOnlyAParallelRun() {
        List<String> log = new ArrayList<>();
        TWO.run(2, i -> { }, () -> log.add("enter"), () -> log.add("exit"));
        assertEquals(List.of("enter", "exit"), log);
        log.clear();
        TWO.run(1, i -> log.add("pass"), () -> log.add("enter"), () -> log.add("exit"));
        assertEquals(List.of("pass"), log, "a single pass runs on the caller, unframed");
        log.clear();
        assertThrows(IllegalArgumentException.class, () -> TWO.run(2, i -> {
            throw new IllegalArgumentException("bad");
        }, () -> log.add("enter"), () -> log.add("exit")));
        assertEquals(List.of("enter", "exit"), log, "exit runs after a failure too");
    }

    @Test
    void nestedCallRunsOnTheCallerWithoutDeadlock() {
        AtomicInteger inner = new AtomicInteger();
        List<String> innerThreads = new ArrayList<>();
        TWO.run(2, i -> {
            String outer = Thread.currentThread().getName();
            TWO.run(3, j -> {
                inner.incrementAndGet();
                synchronized (innerThreads) {
                    innerThreads.add(outer.equals(Thread.currentThread().getName()) ? "same" : "other");
                }
            });
        });
        assertEquals(6, inner.get());
        assertTrue(innerThreads.stream().allMatch("same"::equals), "nested passes stay on their caller's thread");
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TWO.run(-1, i -> { }));
        assertTrue(e.getMessage().contains("count") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParallelPasses(0));
        assertTrue(e.getMessage().contains("threads") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void threadCountAllowsZeroWhenTheMinimumIsZero() {
        String name = "calql.test.threadCount";
        try {
            assertEquals(5, ParallelPasses.threadCount(name, 5, 0), "unset: the fallback");
            System.setProperty(name, " 0 ");
            assertEquals(0, ParallelPasses.threadCount(name, 5, 0));
            System.setProperty(name, "-1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParallelPasses.threadCount(name, 5, 0));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("non-negative")
                    && e.getMessage().contains("-1"), e.getMessage());
        } finally {
            System.clearProperty(name);
        }
    }

    @Test
    void threadsPropertyIsValidated() {
        String before = System.getProperty(ParallelPasses.THREADS_PROPERTY);
        try {
            System.setProperty(ParallelPasses.THREADS_PROPERTY, "3");
            assertEquals(3, ParallelPasses.threadsFromProperty());
            System.setProperty(ParallelPasses.THREADS_PROPERTY, "zero");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    ParallelPasses::threadsFromProperty);
            assertTrue(e.getMessage().contains("calql.threads") && e.getMessage().contains("zero"), e.getMessage());
            System.setProperty(ParallelPasses.THREADS_PROPERTY, "0");
            assertThrows(IllegalArgumentException.class, ParallelPasses::threadsFromProperty);
            System.clearProperty(ParallelPasses.THREADS_PROPERTY);
            assertEquals(Runtime.getRuntime().availableProcessors(), ParallelPasses.threadsFromProperty());
        } finally {
            if (before == null) {
                System.clearProperty(ParallelPasses.THREADS_PROPERTY);
            } else {
                System.setProperty(ParallelPasses.THREADS_PROPERTY, before);
            }
        }
    }
}
