package org.calql.nd4j;

import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.calql.spi.Backend;
import org.calql.spi.BoundRows;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParallelPasses;
import org.calql.spi.Precision;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs calql networks on ND4J in float32 (CPU natives by default).
 *
 * <p>Creating the backend initialises ND4J once per JVM and sets two JVM-wide thread counts:
 * <ul>
 *   <li>ND4J's per-op ("master") thread pool: {@value #DEFAULT_MASTER_THREADS} thread, so that chains of small
 *       element-wise ops do not fight BLAS for the cores ({@value #MASTER_THREADS_PROPERTY}; {@code 0} leaves
 *       ND4J's setting alone);</li>
 *   <li>OpenBLAS: 1 thread when calql runs independent passes at once ({@link ParallelPasses#threads()} &gt; 1),
 *       because the cores are then used by running the critics' passes side by side, each with
 *       single-threaded products (on 2 cores two single-threaded products run as fast as one two-threaded one,
 *       and one critic's element-wise ops overlap with the other's products instead of leaving a core idle).
 *       {@value #BLAS_THREADS_PROPERTY} sets another count, {@code 0} leaves OpenBLAS's setting alone; a section
 *       of passes at once then runs with 1 BLAS thread and restores the count afterwards.</li>
 * </ul>
 *
 * <p>Before ND4J loads, it also chooses OpenBLAS's kernel from the CPU's feature flags when nothing in the
 * environment chose one ({@link OpenBlasKernel}; {@value OpenBlasKernel#PROPERTY} turns it off or names one).
 *
 * <p>Plain ReLU networks (the Cal-QL/CQL critics and policy) multiply on oneDNN's float32 matmul by default, with
 * activations row by row and bias and ReLU fused (1.15–1.7× faster per antmaze update than OpenBLAS on
 * f-order activations in five alternating runs on calql-bench's Intel Xeon; results differ from OpenBLAS's in rounding
 * only); {@code -Dcalql.nd4j.fp32Products=openblas}
 * keeps them on OpenBLAS, as do CPUs where oneDNN's float32 matmul cannot run ({@link Bf16Gemm#fp32UnavailableReason()}).
 * oneDNN runs each product on its OpenMP threads ({@code OMP_NUM_THREADS}, all cores by default).
 */
public final class Nd4jBackend implements Backend {
    /** System property that sets ND4J's master thread count; {@code 0} leaves ND4J's default. */
    public static final String MASTER_THREADS_PROPERTY = "calql.nd4j.masterThreads";

    /** The master thread count used when {@link #MASTER_THREADS_PROPERTY} is not set. */
    public static final int DEFAULT_MASTER_THREADS = 1;

    /** System property that sets OpenBLAS's thread count; {@code 0} leaves OpenBLAS's default. */
    public static final String BLAS_THREADS_PROPERTY = "calql.nd4j.blasThreads";

    private static final Object LOCK = new Object();
    private static volatile Nd4jBackend instance;
    private static volatile Nd4jBackend bf16Instance;

    private final Precision precision;

    private final Runnable enterParallel = this::enterParallel;
    private final Runnable exitParallel = this::exitParallel;
    /** BLAS threads before the running parallel section (the shared gang runs one section at a time). */
    private int blasThreadsBefore;

    private Nd4jBackend(Precision precision) {
        this.precision = precision;
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
                instance = new Nd4jBackend(Precision.FP32);
            }
            return instance;
        }
    }

    private static void initialiseNd4j() {
        int masterThreads = ParallelPasses.threadCount(MASTER_THREADS_PROPERTY, DEFAULT_MASTER_THREADS, 0);
        int blasThreads = ParallelPasses.threadCount(BLAS_THREADS_PROPERTY,
                ParallelPasses.shared().threads() > 1 ? 1 : 0, 0);
        // Before the first native call: OpenBLAS reads OPENBLAS_CORETYPE once, when its library loads.
        OpenBlasKernel.applyBeforeLoad();
        try {
            // Touching the factory loads the native backend; a 1-element array checks that ops run.
            Nd4j.create(DataType.FLOAT, 1);
            if (masterThreads > 0) {
                Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
            }
            if (blasThreads > 0) {
                Nd4j.factory().blas().setMaxThreads(blasThreads);
            }
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("ND4J could not be loaded (" + e + "); calql-nd4j ships CPU natives for "
                    + "linux-x86_64 only: add nd4j-native with your platform's classifier (see calql-nd4j/README.md) "
                    + "or run with -Dcalql.backend=java", e);
        }
    }

    /** Returns {@code nd4j}. */
    @Override
    public String name() {
        return Nd4jBackendProvider.NAME;
    }

    /**
     * A float32 network of the given shape with all parameters zero; every {@link NetworkSpec} runs. Its matrix
     * products run in this backend's {@link #precision()}.
     */
    @Override
    public Network createNetwork(NetworkSpec spec) {
        return new Nd4jNetwork(Objects.requireNonNull(spec, "spec"), precision);
    }

    /**
     * This backend with float32 ({@link Precision#FP32}) or bfloat16 ({@link Precision#BF16}) matrix products.
     * BF16 runs every product of the forward and backward passes (weight gradients included) on oneDNN with
     * bfloat16 inputs and float32 accumulation ({@link Bf16Gemm}); parameters, parameter gradients and Adam stay
     * float32. Plain ReLU networks also keep their hidden activations and gradients in bfloat16 (row by row, as at
     * FP32 on oneDNN; each is only ever a bf16 product's input; see {@code Nd4jWorkspace}).
     *
     * @throws IllegalArgumentException if {@code precision} is null, or BF16 on a CPU without AMX-BF16 or
     *                                  AVX512-BF16 or where oneDNN does not load (the message says which)
     */
    @Override
    public Backend withPrecision(Precision precision) {
        Objects.requireNonNull(precision, "precision");
        if (precision == Precision.FP32) {
            return create();
        }
        Optional<String> reason = Bf16Gemm.unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalArgumentException("precision BF16 cannot run on this machine: " + reason.get()
                    + "; use precision FP32");
        }
        Nd4jBackend b = bf16Instance;
        if (b == null) {
            create();
            synchronized (LOCK) {
                if (bf16Instance == null) {
                    bf16Instance = new Nd4jBackend(Precision.BF16);
                }
                b = bf16Instance;
            }
        }
        return b;
    }

    /** The precision of this backend's matrix products. */
    @Override
    public Precision precision() {
        return precision;
    }

    /**
     * Rows staged once as a float32 f-order matrix with a ones column, which passes read in place (layer 0's
     * input or head): the conversion and transposition happen once per staging instead of once per pass.
     */
    @Override
    public BoundRows bindRows(int maxRows, int width) {
        return new Nd4jRows(maxRows, width);
    }

    /**
     * Runs the passes on {@link ParallelPasses#shared()}; while they run at once, BLAS uses one thread per
     * call (already so by default; otherwise OpenBLAS's process-wide count is set before and restored after,
     * which costs about 0.3–0.75 ms).
     */
    @Override
    public void runIndependent(int count, IntConsumer pass) {
        ParallelPasses.shared().run(count, pass, enterParallel, exitParallel);
    }

    private void enterParallel() {
        Blas blas = Nd4j.factory().blas();
        blasThreadsBefore = blas.getMaxThreads();
        if (blasThreadsBefore != 1) {
            blas.setMaxThreads(1);
        }
    }

    private void exitParallel() {
        if (blasThreadsBefore != 1) {
            Nd4j.factory().blas().setMaxThreads(blasThreadsBefore);
        }
    }

    @Override
    public String toString() {
        return "Nd4jBackend[float32" + (precision == Precision.BF16 ? ", bf16 products (oneDNN "
                + Bf16Gemm.kernel().orElse("?") + ")" : "") + ", " + Nd4j.getBackend().getClass().getSimpleName() + ", OpenBLAS "
                + OpenBlasKernel.runningCoreType().orElse("kernel unknown") + "]";
    }
}
