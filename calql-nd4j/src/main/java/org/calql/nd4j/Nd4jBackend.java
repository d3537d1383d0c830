package org.calql.nd4j;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParallelPasses;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs calql networks on ND4J in float32 (CPU natives by default).
 *
 * <p>Creating the backend initialises ND4J once per JVM and limits ND4J's per-op ("master") thread
 * pool to {@value #DEFAULT_MASTER_THREADS} thread, so that chains of small element-wise ops do not
 * fight BLAS for the cores (BLAS keeps all cores for matrix products). Set the system property
 * {@value #MASTER_THREADS_PROPERTY} to another positive number, or to {@code 0} to leave ND4J's
 * setting alone. This is a JVM-wide ND4J setting.
 *
 * <p>{@link #runIndependent} runs independent passes (the critics of an ensemble) at once on
 * {@link ParallelPasses#shared()} with one BLAS thread per pass: the element-wise ops, which run on one
 * thread, then overlap with the other passes' work instead of leaving cores idle (calql-bench/RESULTS.md
 * has the measurements). BLAS gets its thread count back afterwards.
 */
public final class Nd4jBackend implements Backend {
    /** System property that sets ND4J's master thread count; {@code 0} leaves ND4J's default. */
    public static final String MASTER_THREADS_PROPERTY = "calql.nd4j.masterThreads";

    /** The master thread count used when {@link #MASTER_THREADS_PROPERTY} is not set. */
    public static final int DEFAULT_MASTER_THREADS = 1;

    private static final Object LOCK = new Object();
    private static volatile Nd4jBackend instance;

    private final Runnable enterParallel = this::enterParallel;
    private final Runnable exitParallel = this::exitParallel;
    /** BLAS threads before the running parallel section (the shared gang runs one section at a time). */
    private int blasThreadsBefore;

    private Nd4jBackend() {
    }

    /**
     * The backend, loading ND4J and its native library on the first call.
     *
     * @throws IllegalStateException if ND4J cannot be loaded, saying how to fix it
     */
    public static Nd4jBackend create() {
        Nd4jBackend b = instance;
        if (b != null) {
            return b;
        }
        synchronized (LOCK) {
            if (instance == null) {
                initialiseNd4j();
                instance = new Nd4jBackend();
            }
            return instance;
        }
    }

    private static void initialiseNd4j() {
        int masterThreads = masterThreads();
        try {
            // Touching the factory loads the native backend; a 1-element array checks that ops run.
            Nd4j.create(DataType.FLOAT, 1);
            if (masterThreads > 0) {
                Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
            }
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("ND4J could not be loaded (" + e + "); calql-nd4j ships CPU natives for "
                    + "linux-x86_64 only: add nd4j-native with your platform's classifier (see calql-nd4j/README.md) "
                    + "or run with -Dcalql.backend=java", e);
        }
    }

    private static int masterThreads() {
        String value = System.getProperty(MASTER_THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MASTER_THREADS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MASTER_THREADS_PROPERTY + " must be a non-negative integer, found '"
                    + value + "'", e);
        }
    }

    /** Returns {@code nd4j}. */
    @Override
    public String name() {
        return Nd4jBackendProvider.NAME;
    }

    /** A float32 network of the given shape with all parameters zero. */
    @Override
    public Network createNetwork(NetworkSpec spec) {
        return new Nd4jNetwork(Objects.requireNonNull(spec, "spec"));
    }

    /**
     * Runs the passes on {@link ParallelPasses#shared()}; while they run at once, BLAS uses one thread per
     * call (OpenBLAS's thread count is process-wide, so it is set before and restored after).
     */
    @Override
    public void runIndependent(int count, IntConsumer pass) {
        ParallelPasses.shared().run(count, pass, enterParallel, exitParallel);
    }

    private void enterParallel() {
        Blas blas = Nd4j.factory().blas();
        blasThreadsBefore = blas.getMaxThreads();
        blas.setMaxThreads(1);
    }

    private void exitParallel() {
        Nd4j.factory().blas().setMaxThreads(blasThreadsBefore);
    }

    @Override
    public String toString() {
        return "Nd4jBackend[float32, " + Nd4j.getBackend().getClass().getSimpleName() + "]";
    }
}
