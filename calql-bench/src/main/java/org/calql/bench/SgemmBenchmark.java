package org.calql.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.calql.nd4j.Bf16Gemm;
import org.calql.nd4j.OpenBlasKernel;
import org.calql.spi.Backends;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The machine's float matrix-multiply throughput, {@code C = op(A)·op(B)} with {@code Nd4j.gemm} into a
 * preallocated f-order output, for the shapes one antmaze update uses. ND4J is initialised through the ND4J
 * backend (one "master" thread for element-wise ops, as the update runs), then BLAS is given every core
 * ({@link #useEveryCore()}): the bound is what the machine's cores multiply together, whether as one
 * multi-threaded product or, as the update does, as several single-threaded products at once.
 *
 * <p>A shape reads {@code MxKxN.ab}: {@code C [M×N] = op(A) [M×K] · op(B) [K×N]}, with {@code a}, {@code b}
 * {@code n} (as stored) or {@code t} (transposed), as the backend calls gemm:
 * <ul>
 *   <li>{@code 7936x256x256.nt}: a hidden layer's forward on the stacked B·(1+3N) rows (the bound's shape);</li>
 *   <li>{@code 7936x256x256.nn}: its input gradient; {@code 256x7936x256.tn}: its weight gradient;</li>
 *   <li>{@code 2560x256x256.nt}: the target pass (B·N rows); {@code 256x256x256.nt}: the actor pass (B rows);</li>
 *   <li>{@code 7936x9x256.nt}: the first layer's action columns plus bias (antmaze, A = 8);</li>
 *   <li>{@code 7936x257x1.nt}: the last layer (one output plus bias).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SgemmBenchmark {
    /** The shape whose throughput is the bound every ratio is taken against. */
    public static final String BOUND_SHAPE = "7936x256x256.nt";

    /** The shapes of {@link #shape}, in the order the table lists them. */
    public static final List<String> SHAPES = List.of(BOUND_SHAPE, "7936x256x256.nn", "256x7936x256.tn",
            "2560x256x256.nt", "256x256x256.nt", "7936x9x256.nt", "7936x257x1.nt");

    /** {@code MxKxN.ab}, see the class comment. */
    @Param({BOUND_SHAPE, "7936x256x256.nn", "256x7936x256.tn", "2560x256x256.nt", "256x256x256.nt",
        "7936x9x256.nt", "7936x257x1.nt"})
    public String shape;

    /** {@code fp32} ({@code Nd4j.gemm}) or {@code bf16} ({@link Bf16Gemm}: bf16 inputs, float32 accumulation). */
    @Param({"fp32"})
    public String precision;

    /**
     * {@code f}: f-order float32 operands and output ({@code Nd4j.gemm}, OpenBLAS; bf16: {@link Bf16Gemm#gemm});
     * {@code rows}: as a plain-ReLU network calls oneDNN (see {@code Nd4jWorkspace}): {@code A} row by row (the
     * batch's activations or gradients), {@code B} the float32 f-order weights ({@code .tn}: activations row by row),
     * {@code C} row by row ({@code .tn}: the f-order gradient buffer); bf16 keeps activations and hidden results in
     * bfloat16 (one output column: float32), fp32 multiplies in float32 on oneDNN ({@link Bf16Gemm#gemmFp32}).
     */
    @Param({"f"})
    public String layout;

    private boolean bf16;
    private boolean byRows;

    private static volatile boolean kernelPrinted;

    private INDArray a;
    private INDArray b;
    private INDArray c;
    private boolean transposeA;
    private boolean transposeB;

    /** Creates the operands (f-order, uniform in [0, 1)) and the f-order output. */
    @Setup
    public void setup() {
        Backends.named("nd4j"); // initialises ND4J exactly as the update's backend does
        useEveryCore();
        if (!kernelPrinted) {
            kernelPrinted = true;
            System.out.println("# " + kernel());
        }
        bf16 = precision.equals("bf16");
        if (bf16 && Bf16Gemm.unavailableReason().isPresent()) {
            throw new IllegalStateException("bf16 products cannot run here: " + Bf16Gemm.unavailableReason().get());
        }
        Shape s = Shape.parse(shape);
        transposeA = s.transposeA;
        transposeB = s.transposeB;
        Nd4j.getRandom().setSeed(1);
        a = (transposeA ? Nd4j.rand(DataType.FLOAT, s.k, s.m) : Nd4j.rand(DataType.FLOAT, s.m, s.k)).dup('f');
        b = (transposeB ? Nd4j.rand(DataType.FLOAT, s.n, s.k) : Nd4j.rand(DataType.FLOAT, s.k, s.n)).dup('f');
        c = Nd4j.create(DataType.FLOAT, new long[] {s.m, s.n}, 'f');
        byRows = layout.equals("rows");
        if (byRows) {
            if (!bf16 && Bf16Gemm.fp32UnavailableReason().isPresent()) {
                throw new IllegalStateException("oneDNN float32 products cannot run here: "
                        + Bf16Gemm.fp32UnavailableReason().get());
            }
            boolean weightGradient = transposeA && !transposeB;
            DataType stored = bf16 ? DataType.BFLOAT16 : DataType.FLOAT;
            a = a.dup('c').castTo(stored);
            if (weightGradient) {
                b = b.dup('c').castTo(stored);
            } else if (s.n > 1 || !bf16) {
                c = Nd4j.create(stored, new long[] {s.m, s.n}, 'c');
            }
        } else if (!layout.equals("f")) {
            throw new IllegalArgumentException("layout must be 'f' or 'rows', found '" + layout + "'");
        }
    }

    /**
     * The OpenBLAS kernel this JVM runs and how it was chosen ({@link OpenBlasKernel#summary()}); creates the
     * ND4J backend first, which is when calql chooses the kernel.
     */
    public static String kernel() {
        Backends.named("nd4j");
        return OpenBlasKernel.summary();
    }

    /** Sets OpenBLAS to one thread per available processor (the backend may have lowered it). */
    public static void useEveryCore() {
        Nd4j.factory().blas().setMaxThreads(Runtime.getRuntime().availableProcessors());
    }

    /** One product. */
    @Benchmark
    public INDArray gemm() {
        if (bf16) {
            Bf16Gemm.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
            return c;
        }
        if (byRows) {
            Bf16Gemm.gemmFp32(a, b, c, transposeA, transposeB, 1.0, 0.0);
            return c;
        }
        return Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
    }

    /** FLOPs of one product of {@code shape}: {@code 2·M·K·N}. */
    public static double flops(String shape) {
        Shape s = Shape.parse(shape);
        return 2.0 * s.m * s.k * s.n;
    }

    /** A parsed {@code MxKxN.ab}. */
    record Shape(int m, int k, int n, boolean transposeA, boolean transposeB) {
        static Shape parse(String text) {
            String[] parts = text.toLowerCase(Locale.ROOT).split("[x.]");
            if (parts.length != 4 || parts[3].length() != 2 || !parts[3].matches("[nt]{2}")) {
                throw new IllegalArgumentException("shape must read MxKxN.ab with a, b in {n, t}, found '" + text + "'");
            }
            return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    parts[3].charAt(0) == 't', parts[3].charAt(1) == 't');
        }
    }
}
