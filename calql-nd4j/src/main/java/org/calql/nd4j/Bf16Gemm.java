package org.calql.nd4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_sum;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_output_scales;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matrix products with bfloat16 inputs and float32 accumulation, on oneDNN (2.5.2, through its JavaCPP preset):
 * {@code C ← alpha·op(A)·op(B) + beta·C} for float32 ND4J matrices of any strides, the same contract as
 * {@code Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta)}.
 *
 * <p>Each call rounds {@code op(A)} and {@code op(B)} to bfloat16 (round to nearest even, oneDNN's reorder) into
 * buffers of its own, multiplies them with oneDNN's matmul (AMX tiles where the CPU has AMX-BF16, else the
 * AVX512-BF16 kernel), accumulates in float32 and writes float32 {@code C}. {@code C} itself is never rounded.
 * oneDNN's matmul wants a row-major result, so the f-order {@code C[M, N]} is computed as the row-major
 * {@code Cᵀ[N, M] = op(B)ᵀ·op(A)ᵀ}; the weights operand {@code op(A)ᵀ} is rounded straight into the blocked
 * layout the AMX kernel reads.
 *
 * <p>Primitives, memory objects and the bfloat16 buffers are built once per thread and problem (shapes,
 * strides, {@code alpha}, {@code beta}); after that a call allocates nothing. Calls from different threads are
 * independent. oneDNN runs each call on its OpenMP threads ({@code OMP_NUM_THREADS}, all cores by default).
 */
public final class Bf16Gemm {
    private static final Set<String> AMX = Set.of("amx_tile", "amx_bf16");

    private Bf16Gemm() {
    }

    /**
     * Why bfloat16 products cannot run on a CPU with these {@code /proc/cpuinfo} flags, or empty if they can:
     * they need AMX-BF16 ({@code amx_tile} and {@code amx_bf16}) or AVX512-BF16 ({@code avx512_bf16}).
     */
    static Optional<String> missingFlags(Set<String> flags) {
        if (flags == null) {
            return Optional.of("the CPU's feature flags could not be read (/proc/cpuinfo, Linux x86-64 only)");
        }
        if (flags.containsAll(AMX) || flags.contains("avx512_bf16")) {
            return Optional.empty();
        }
        return Optional.of("the CPU has neither AMX-BF16 (amx_tile, amx_bf16) nor AVX512-BF16 (avx512_bf16)");
    }

    /**
     * Why bfloat16 products cannot run here, or empty if they can: the CPU needs AMX-BF16 or AVX512-BF16 and
     * oneDNN must load and choose a bfloat16 kernel (not its reference code) for a small product.
     */
    public static Optional<String> unavailableReason() {
        return Support.REASON;
    }

    /** oneDNN's name of the kernel it runs for a {@code 7936×256×256} bfloat16 product (e.g. {@code brg:avx512_core_amx_bf16}). */
    public static Optional<String> kernel() {
        return Support.KERNEL;
    }

    /**
     * {@code c ← alpha·op(a)·op(b) + beta·c} with bfloat16-rounded {@code op(a)}, {@code op(b)} and float32
     * accumulation, where {@code op(x)} is {@code x} or its transpose. All three are float32 rank-2 ND4J arrays
     * (views of any strides; {@code c} must not overlap {@code a} or {@code b}).
     *
     * @throws IllegalStateException    if bfloat16 products cannot run here ({@link #unavailableReason()})
     * @throws IllegalArgumentException if the shapes or types do not fit
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                            double beta) {
        Support.require();
        check("a", a);
        check("b", b);
        check("c", c);
        long m = transposeA ? a.size(1) : a.size(0);
        long k = transposeA ? a.size(0) : a.size(1);
        long kb = transposeB ? b.size(1) : b.size(0);
        long n = transposeB ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("shapes do not fit: op(a) is " + m + "×" + k + ", op(b) " + kb + "×" + n
                    + ", c " + c.size(0) + "×" + c.size(1));
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            c.muli(beta);
            return;
        }
        PerThread t = PER_THREAD.get();
        Key probe = t.probe;
        probe.set(m, n, k,
                transposeA ? a.stride(0) : a.stride(1), transposeA ? a.stride(1) : a.stride(0),
                transposeB ? b.stride(0) : b.stride(1), transposeB ? b.stride(1) : b.stride(0),
                c.stride(1), c.stride(0), (float) alpha, (float) beta);
        Problem p = t.problems.get(probe);
        if (p == null) {
            p = new Problem(probe, t.stream);
            t.problems.put(probe.copy(), p);
        }
        p.run(t.stream, address(a), address(b), address(c));
    }

    private static void check(String name, INDArray x) {
        Objects.requireNonNull(x, name);
        if (x.rank() != 2 || x.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " must be a rank-2 float32 array, found rank " + x.rank() + " "
                    + x.dataType());
        }
    }

    private static long address(INDArray x) {
        return x.data().address() + 4L * x.offset();
    }

    private static void ok(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    // ---- one product shape on one thread ---------------------------------------------------------------------

    /** The primitives and buffers of one problem: two reorders to bfloat16 and the matmul. */
    private static final class Problem {
        private final dnnl_primitive reorderA = new dnnl_primitive();
        private final dnnl_primitive reorderB = new dnnl_primitive();
        private final dnnl_primitive matmul = new dnnl_primitive();
        private final dnnl_memory aF32 = new dnnl_memory();
        private final dnnl_memory bF32 = new dnnl_memory();
        private final dnnl_memory cF32 = new dnnl_memory();
        private final Address aAddress = new Address();
        private final Address bAddress = new Address();
        private final Address cAddress = new Address();
        private final dnnl_exec_arg_t reorderAArgs = new dnnl_exec_arg_t(2);
        private final dnnl_exec_arg_t reorderBArgs = new dnnl_exec_arg_t(2);
        private final dnnl_exec_arg_t matmulArgs = new dnnl_exec_arg_t(3);
        /** Keeps the bfloat16 buffers (and the JavaCPP objects above) alive as long as the problem. */
        private final BytePointer aBf16Buffer;
        private final BytePointer bBf16Buffer;
        final String kernel;

        Problem(Key key, dnnl_stream stream) {
            dnnl_engine engine = Support.engine();
            // Row-major Cᵀ[N, M] = src · weights with src = op(B)ᵀ [N, K], weights = op(A)ᵀ [K, M].
            dnnl_memory_desc_t srcF32 = strided(key.n, key.k, key.bRow, key.bCol, dnnl_f32);
            dnnl_memory_desc_t weiF32 = strided(key.k, key.m, key.aRow, key.aCol, dnnl_f32);
            dnnl_memory_desc_t dst = strided(key.n, key.m, key.cRow, key.cCol, dnnl_f32);
            dnnl_memory_desc_t srcBf16 = new dnnl_memory_desc_t();
            ok(dnnl_memory_desc_init_by_tag(srcBf16, 2, new long[]{key.n, key.k}, dnnl_bf16, dnnl_ab), "src desc");
            dnnl_memory_desc_t weiAny = new dnnl_memory_desc_t();
            ok(dnnl_memory_desc_init_by_tag(weiAny, 2, new long[]{key.k, key.m}, dnnl_bf16, dnnl_format_tag_any), "weights desc");

            dnnl_matmul_desc_t desc = new dnnl_matmul_desc_t();
            ok(dnnl_matmul_desc_init(desc, srcBf16, weiAny, null, dst), "matmul desc");
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            ok(dnnl_primitive_attr_create(attr), "attr");
            if (key.alpha != 1f) {
                ok(dnnl_primitive_attr_set_output_scales(attr, 1, 0, new float[]{key.alpha}), "output scale");
            }
            if (key.beta != 0f) {
                dnnl_post_ops ops = new dnnl_post_ops();
                ok(dnnl_post_ops_create(ops), "post-ops");
                ok(dnnl_post_ops_append_sum(ops, key.beta), "sum post-op");
                ok(dnnl_primitive_attr_set_post_ops(attr, ops), "set post-ops");
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            ok(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, engine, null), "matmul");
            ok(dnnl_primitive_create(matmul, pd), "matmul primitive");
            PointerPointer<Pointer> info = new PointerPointer<>(1);
            ok(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info), "kernel name");
            kernel = info.getString(0);
            dnnl_memory_desc_t weiBf16 = new dnnl_memory_desc_t(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));

            aBf16Buffer = new BytePointer(Math.max(1, dnnl_memory_desc_get_size(weiBf16)));
            bBf16Buffer = new BytePointer(Math.max(1, dnnl_memory_desc_get_size(srcBf16)));
            dnnl_memory aBf16 = new dnnl_memory();
            dnnl_memory bBf16 = new dnnl_memory();
            ok(dnnl_memory_create(aBf16, weiBf16, engine, aBf16Buffer), "memory");
            ok(dnnl_memory_create(bBf16, srcBf16, engine, bBf16Buffer), "memory");
            ok(dnnl_memory_create(aF32, weiF32, engine, aBf16Buffer), "memory");
            ok(dnnl_memory_create(bF32, srcF32, engine, bBf16Buffer), "memory");
            ok(dnnl_memory_create(cF32, dst, engine, aBf16Buffer), "memory");

            reorder(reorderA, weiF32, weiBf16, engine);
            reorder(reorderB, srcF32, srcBf16, engine);
            reorderAArgs.position(0).arg(DNNL_ARG_FROM).memory(aF32);
            reorderAArgs.position(1).arg(DNNL_ARG_TO).memory(aBf16);
            reorderAArgs.position(0);
            reorderBArgs.position(0).arg(DNNL_ARG_FROM).memory(bF32);
            reorderBArgs.position(1).arg(DNNL_ARG_TO).memory(bBf16);
            reorderBArgs.position(0);
            matmulArgs.position(0).arg(DNNL_ARG_SRC).memory(bBf16);
            matmulArgs.position(1).arg(DNNL_ARG_WEIGHTS).memory(aBf16);
            matmulArgs.position(2).arg(DNNL_ARG_DST).memory(cF32);
            matmulArgs.position(0);
        }

        void run(dnnl_stream stream, long a, long b, long c) {
            ok(dnnl_memory_set_data_handle(aF32, aAddress.at(a)), "set a");
            ok(dnnl_memory_set_data_handle(bF32, bAddress.at(b)), "set b");
            ok(dnnl_memory_set_data_handle(cF32, cAddress.at(c)), "set c");
            ok(dnnl_primitive_execute(reorderA, stream, 2, reorderAArgs), "reorder a");
            ok(dnnl_primitive_execute(reorderB, stream, 2, reorderBArgs), "reorder b");
            ok(dnnl_primitive_execute(matmul, stream, 3, matmulArgs), "matmul");
        }

        private static dnnl_memory_desc_t strided(long rows, long cols, long rowStride, long colStride, int type) {
            dnnl_memory_desc_t d = new dnnl_memory_desc_t();
            ok(dnnl_memory_desc_init_by_strides(d, 2, new long[]{rows, cols}, type,
                    new long[]{rows == 1 ? cols : rowStride, cols == 1 ? 1 : colStride}), "memory desc");
            return d;
        }

        private static void reorder(dnnl_primitive into, dnnl_memory_desc_t from, dnnl_memory_desc_t to,
                                    dnnl_engine engine) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            ok(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "reorder");
            ok(dnnl_primitive_create(into, pd), "reorder primitive");
        }
    }

    /** A JavaCPP pointer re-aimed at a raw address without allocating. */
    private static final class Address extends Pointer {
        Address at(long address) {
            this.address = address;
            return this;
        }
    }

    /** Shapes and element strides of one problem ({@code a*}: of {@code op(A)ᵀ}, {@code b*}: of {@code op(B)ᵀ}, {@code c*}: of {@code Cᵀ}). */
    private static final class Key {
        long m;
        long n;
        long k;
        long aRow;
        long aCol;
        long bRow;
        long bCol;
        long cRow;
        long cCol;
        float alpha;
        float beta;

        void set(long m, long n, long k, long aRow, long aCol, long bRow, long bCol, long cRow, long cCol, float alpha,
                 float beta) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.aRow = aRow;
            this.aCol = aCol;
            this.bRow = bRow;
            this.bCol = bCol;
            this.cRow = cRow;
            this.cCol = cCol;
            this.alpha = alpha;
            this.beta = beta;
        }

        Key copy() {
            Key c = new Key();
            c.set(m, n, k, aRow, aCol, bRow, bCol, cRow, cCol, alpha, beta);
            return c;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key x && m == x.m && n == x.n && k == x.k && aRow == x.aRow && aCol == x.aCol
                    && bRow == x.bRow && bCol == x.bCol && cRow == x.cRow && cCol == x.cCol
                    && Float.compare(alpha, x.alpha) == 0 && Float.compare(beta, x.beta) == 0;
        }

        @Override
        public int hashCode() {
            long h = m;
            h = h * 31 + n;
            h = h * 31 + k;
            h = h * 31 + aRow;
            h = h * 31 + aCol;
            h = h * 31 + bRow;
            h = h * 31 + bCol;
            h = h * 31 + cRow;
            h = h * 31 + cCol;
            h = h * 31 + Float.floatToIntBits(alpha);
            h = h * 31 + Float.floatToIntBits(beta);
            return Long.hashCode(h);
        }
    }

    private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

    /** One thread's stream (oneDNN streams are not thread-safe) and problems. */
    private static final class PerThread {
        final dnnl_stream stream = new dnnl_stream();
        final Map<Key, Problem> problems = new HashMap<>();
        final Key probe = new Key();

        PerThread() {
            ok(dnnl_stream_create(stream, Support.engine(), dnnl_stream_default_flags), "stream");
        }
    }

    /** Loads oneDNN once and checks that it runs a bfloat16 kernel here. */
    private static final class Support {
        private static dnnl_engine engine;
        static final Optional<String> REASON;
        static final Optional<String> KERNEL;

        static {
            String reason = missingFlags(OpenBlasKernel.cpuinfo() == null ? null
                    : OpenBlasKernel.flags(OpenBlasKernel.cpuinfo())).orElse(null);
            String kernel = null;
            if (reason == null) {
                try {
                    Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                    dnnl_engine e = new dnnl_engine();
                    ok(dnnl_engine_create(e, dnnl_cpu, 0), "engine");
                    engine = e;
                    Key probe = new Key();
                    probe.set(7936, 256, 256, 7936, 1, 256, 1, 7936, 1, 1f, 0f);
                    kernel = new Problem(probe, null).kernel;
                    if (!kernel.contains("bf16") && !kernel.contains("amx")) {
                        reason = "oneDNN chose no bfloat16 kernel on this CPU (it chose " + kernel
                                + "; is ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA set below AVX512_CORE_BF16?)";
                    }
                } catch (RuntimeException | LinkageError e) {
                    reason = "oneDNN (org.bytedeco:dnnl) could not be loaded: " + e;
                }
            }
            REASON = Optional.ofNullable(reason);
            KERNEL = Optional.ofNullable(reason == null ? kernel : null);
        }

        static dnnl_engine engine() {
            return engine;
        }

        static void require() {
            if (REASON.isPresent()) {
                throw new IllegalStateException("bfloat16 products cannot run here: " + REASON.get());
            }
        }
    }
}
