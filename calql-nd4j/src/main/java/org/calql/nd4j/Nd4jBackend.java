package org.calql.nd4j;

import java.util.Objects;
import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
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
 */
public final class Nd4jBackend implements Backend {
    /** System property that sets ND4J's master thread count; {@code 0} leaves ND4J's default. */
    public static final String MASTER_THREADS_PROPERTY = "calql.nd4j.masterThreads";

    /** The master thread count used when {@link #MASTER_THREADS_PROPERTY} is not set. */
    public static final int DEFAULT_MASTER_THREADS = 1;

    private static final Object LOCK = new Object();
    private static volatile Nd4jBackend instance;

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

    @Override
    public String toString() {
        return "Nd4jBackend[float32, " + Nd4j.getBackend().getClass().getSimpleName() + "]";
    }
}
