package org.calql.spi;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent network passes (one per critic of an ensemble) at once on a small gang of daemon
 * threads shared by the whole JVM; the calling thread takes part. Backends use it to implement
 * {@link Backend#runIndependent}.
 *
 * <p>The gang has {@code calql.threads − 1} workers ({@value #THREADS_PROPERTY}; default: the number of
 * available processors; {@code 1} runs every pass on the caller). It serves one call at a time: a call made
 * while it is busy, including a nested call from inside a pass, runs its passes one after another on the
 * calling thread, so concurrent callers never wait on each other or deadlock. Handing passes to workers
 * allocates nothing after the first call.
 */
public final class ParallelPasses {
    /** System property: how many threads run independent passes (at least 1). */
    public static final String THREADS_PROPERTY = "calql.threads";

    private static volatile ParallelPasses shared;

    private final int threads;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Semaphore start = new Semaphore(0);
    private final Semaphore finished = new Semaphore(0);
    private final AtomicInteger next = new AtomicInteger();
    private volatile IntConsumer pass;
    private volatile int count;
    private volatile Throwable failure;

    /** A gang of {@code threads − 1} daemon workers plus the caller. */
    ParallelPasses(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        this.threads = threads;
        for (int i = 1; i < threads; i++) {
            Thread worker = new Thread(this::serve, "calql-pass-" + i);
            worker.setDaemon(true);
            worker.start();
        }
    }

    /**
     * The JVM-wide gang, sized by {@value #THREADS_PROPERTY} when first used.
     *
     * @throws IllegalArgumentException if {@value #THREADS_PROPERTY} is not a positive integer (on every call
     *                                  until it is)
     */
    public static ParallelPasses shared() {
        ParallelPasses p = shared;
        if (p == null) {
            synchronized (ParallelPasses.class) {
                if (shared == null) {
                    shared = new ParallelPasses(threadsFromProperty());
                }
                p = shared;
            }
        }
        return p;
    }

    /** Threads that run passes, the caller included. */
    public int threads() {
        return threads;
    }

    static int threadsFromProperty() {
        return threadCount(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors(), 1);
    }

    /**
     * A thread count read from system property {@code name} ({@code fallback} when unset or blank), for this gang
     * and for backends' own thread settings.
     *
     * @throws IllegalArgumentException naming the property and its value if it is not an integer of at least
     *                                  {@code minimum}
     */
    public static int threadCount(String name, int fallback, int minimum) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < minimum) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            String rule = minimum == 0 ? "a non-negative integer" : minimum == 1 ? "a positive integer"
                    : "an integer of at least " + minimum;
            throw new IllegalArgumentException(name + " must be " + rule + ", found '" + value + "'", e);
        }
    }

    /** {@link #run(int, IntConsumer, Runnable, Runnable)} with nothing to do around the parallel part. */
    public void run(int count, IntConsumer pass) {
        run(count, pass, null, null);
    }

    /**
     * Calls {@code pass.accept(i)} for every {@code i} in {@code [0, count)} and returns when all have finished.
     * If the passes run at once, {@code enter} runs first and {@code exit} last, both on the calling thread
     * (a backend sets its libraries' threading there); neither runs when the passes run one after another.
     * If passes throw, the first failure is rethrown after every pass has finished.
     */
    public void run(int count, IntConsumer pass, Runnable enter, Runnable exit) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, found " + count);
        }
        if (count < 2 || threads < 2 || !busy.compareAndSet(false, true)) {
            runInTurn(count, pass);
            return;
        }
        try {
            if (enter != null) {
                enter.run();
            }
            try {
                runOnGang(count, pass);
            } finally {
                if (exit != null) {
                    exit.run();
                }
            }
        } finally {
            busy.set(false);
        }
    }

    /**
     * Calls {@code pass.accept(i)} for every {@code i} in {@code [0, count)} in order on the calling thread; as on
     * the gang, a failure does not stop the other passes, and the first one is rethrown at the end.
     */
    public static void runInTurn(int count, IntConsumer pass) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, found " + count);
        }
        RuntimeException firstRuntime = null;
        Error firstError = null;
        for (int i = 0; i < count; i++) {
            try {
                pass.accept(i);
            } catch (RuntimeException e) {
                if (firstRuntime == null && firstError == null) {
                    firstRuntime = e;
                }
            } catch (Error e) {
                if (firstRuntime == null && firstError == null) {
                    firstError = e;
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
        if (firstRuntime != null) {
            throw firstRuntime;
        }
    }

    private void runOnGang(int count, IntConsumer pass) {
        this.pass = pass;
        this.count = count;
        this.failure = null;
        next.set(0);
        int helpers = Math.min(threads - 1, count - 1);
        start.release(helpers);
        work();
        finished.acquireUninterruptibly(helpers);
        Throwable t = failure;
        this.pass = null;
        this.failure = null;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("a parallel pass failed", t);
        }
    }

    private void serve() {
        while (true) {
            start.acquireUninterruptibly();
            work();
            finished.release();
        }
    }

    private void work() {
        IntConsumer p = pass;
        int n = count;
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
                p.accept(i);
            } catch (Throwable t) {
                synchronized (this) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        }
    }
}
