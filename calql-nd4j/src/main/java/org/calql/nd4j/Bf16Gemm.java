package org.calql.nd4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
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
import static org.bytedeco.dnnl.global.dnnl.dnnl_ba;

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
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products on oneDNN (2.5.2, through its JavaCPP preset): with bfloat16 inputs and float32 accumulation
 * ({@link #gemm}, {@link #gemmRelu}, {@link #gemmBias}; needs AMX-BF16 or AVX512-BF16), and in float32 ({@link
 * #gemmFp32}, and the fused float32 products of plain-ReLU networks; any x86-64 CPU where oneDNN loads). The bfloat16
 * ones compute
 * {@code C ← alpha·op(A)·op(B) + beta·C} for ND4J matrices of any strides, the same contract as
 * {@code Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta)}; {@link #gemmRelu} and {@link #gemmBias} add a
 * fused ReLU and a bias.
 *
 * <p>Operands and result are float32 or bfloat16. Float32 operands are rounded to bfloat16 (round to nearest even,
 * oneDNN's reorder) into buffers of its own; bfloat16 operands with dense rows or columns are read in place. The
 * product runs on oneDNN's matmul (AMX tiles where the CPU has AMX-BF16, else the AVX512-BF16 kernel) and
 * accumulates in float32; a float32 {@code C} is never rounded, a bfloat16 one is rounded once, at the end.
 *
 * <p>oneDNN's matmul writes a row-major result: a {@code C} laid out row by row (unit column stride, any row
 * stride; a column vector always) is computed as {@code op(A)·op(B)}, so {@code op(A)} is the source and
 * {@code op(B)} the weights operand; a column-major {@code C} as the row-major {@code Cᵀ[N, M] = op(B)ᵀ·op(A)ᵀ},
 * with the roles swapped. A float32 weights operand is rounded into the blocked layout the AMX kernel reads. The
 * layout of {@code C} therefore decides the speed: with {@code C} row-major and {@code op(A)} the tall operand (the
 * rows of a batch), kernel and rounding are about four times faster than with the batch as the weights operand
 * (7936×256×256 on AMX, one thread: 2.9 ms against 13.2 ms). {@link Nd4jNetwork}'s bfloat16 passes are laid out
 * for that (see {@link Nd4jWorkspace}).
 *
 * <p>Primitives, memory objects and the bfloat16 buffers are built once per thread and problem (shapes, strides,
 * types, {@code alpha}, {@code beta}, bias and ReLU); after that a call allocates nothing. Calls from different
 * threads are independent. oneDNN runs each call on its OpenMP threads ({@code OMP_NUM_THREADS}, all cores by
 * default).
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
     * accumulation, where {@code op(x)} is {@code x} or its transpose. All three are float32 or bfloat16 rank-2 ND4J
     * arrays (views of any strides; {@code c} must not overlap {@code a} or {@code b}).
     *
     * @throws IllegalStateException    if bfloat16 products cannot run here ({@link #unavailableReason()})
     * @throws IllegalArgumentException if the shapes or types do not fit
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                            double beta) {
        product(a, b, c, transposeA, transposeB, alpha, beta, false, null, false);
    }

    /**
     * {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, double, double)} followed by a ReLU of the result
     * in the same pass: {@code c ← max(0, alpha·op(a)·op(b) + beta·c)} (oneDNN's eltwise post-op on the float32
     * accumulator, before {@code c} is stored).
     */
    public static void gemmRelu(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB,
                                double alpha, double beta) {
        product(a, b, c, transposeA, transposeB, alpha, beta, true, null, false);
    }

    /**
     * A layer's product with its bias: {@code c ← op(a)·op(b) + 1·biasᵀ}, then {@code max(0, ·)} if {@code relu},
     * with bfloat16-rounded {@code op(a)}, {@code op(b)} and the float32 {@code bias} added to the float32
     * accumulator (oneDNN's bias argument). {@code c} must be laid out row by row with a dense row stride (row
     * stride = its column count), {@code bias} a float32 vector of {@code c}'s column count with unit stride.
     *
     * @throws IllegalArgumentException if the shapes, types or layouts do not fit
     */
    public static void gemmBias(INDArray a, INDArray b, INDArray bias, INDArray c, boolean transposeA,
                                boolean transposeB, boolean relu) {
        product(a, b, c, transposeA, transposeB, 1.0, 0.0, relu, Objects.requireNonNull(bias, "bias"), false);
    }

    /**
     * {@code c ← alpha·op(a)·op(b) + beta·c} in float32 on oneDNN, nothing rounded: the float32 counterpart of
     * {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, double, double)} (same layouts and roles), which
     * float32 plain-ReLU networks multiply with.
     *
     * @throws IllegalStateException if oneDNN's float32 matmul cannot run here ({@link #fp32UnavailableReason()})
     */
    public static void gemmFp32(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB,
                                double alpha, double beta) {
        product(a, b, c, transposeA, transposeB, alpha, beta, false, null, true);
    }

    /**
     * Every product of this class: {@code c ← act(alpha·op(a)·op(b) + beta·c + 1·biasᵀ)} with {@code bias} optional
     * (null; otherwise a contiguous float32 vector and {@code c} dense row by row), {@code act} the ReLU or the
     * identity, in float32 math ({@code f32Math}: nothing rounded, {@link #fp32Kernel()}) or with bfloat16 inputs.
     * What {@link Nd4jNetwork}'s row-by-row passes multiply with (see {@link Nd4jWorkspace}).
     *
     * @throws IllegalStateException    if the chosen math cannot run here
     * @throws IllegalArgumentException if the shapes, types or layouts do not fit
     */
    static void product(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                        double beta, boolean relu, INDArray bias, boolean f32Math) {
        if (bias != null) {
            checkBias(bias, c);
        }
        if (f32Math) {
            Support.requireFp32();
        } else {
            Support.require();
        }
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
        if (k == 0 && bias != null) {
            throw new IllegalArgumentException("a product with a bias needs a non-empty inner dimension");
        }
        if (k == 0) {
            c.muli(beta);
            if (relu) {
                Nd4j.getExecutioner().exec(new ScalarMax(c, null, c, 0.0));
            }
            return;
        }
        // Strides of op(a) and op(b) along their rows and columns.
        long aRow = transposeA ? a.stride(1) : a.stride(0);
        long aCol = transposeA ? a.stride(0) : a.stride(1);
        long bRow = transposeB ? b.stride(1) : b.stride(0);
        long bCol = transposeB ? b.stride(0) : b.stride(1);
        PerThread t = PER_THREAD.get();
        Key probe = t.probe;
        boolean direct = bias != null || rowMajor(c);
        if (direct) {
            // C[M, N] = op(A) · op(B): the first operand (rows of data) is oneDNN's source.
            probe.set(m, n, k, aRow, aCol, bRow, bCol, c.stride(0), c.stride(1), (float) alpha, (float) beta, relu,
                    bias != null);
            probe.types(type(a), type(b), type(c));
        } else {
            // Column-major C: the row-major Cᵀ[N, M] = op(B)ᵀ · op(A)ᵀ.
            probe.set(n, m, k, bCol, bRow, aCol, aRow, c.stride(1), c.stride(0), (float) alpha, (float) beta, relu,
                    false);
            probe.types(type(b), type(a), type(c));
        }
        probe.f32Math = f32Math;
        Problem p = t.problems.get(probe);
        if (p == null) {
            p = new Problem(probe);
            t.problems.put(probe.copy(), p);
        }
        long biasAddress = bias == null ? 0 : address(bias);
        if (direct) {
            p.run(t.stream, address(a), address(b), address(c), biasAddress);
        } else {
            p.run(t.stream, address(b), address(a), address(c), biasAddress);
        }
    }

    private static void checkBias(INDArray bias, INDArray c) {
        if (bias.dataType() != DataType.FLOAT || bias.length() != c.size(1)
                || (bias.length() > 1 && bias.elementWiseStride() != 1)) {
            throw new IllegalArgumentException("bias must be a contiguous float32 vector of " + c.size(1)
                    + " values, found " + bias.dataType() + " of length " + bias.length());
        }
        if (c.size(0) > 1 && (c.stride(1) != 1 || c.stride(0) != c.size(1))) {
            throw new IllegalArgumentException("c must be dense row by row (strides [" + c.size(1) + ", 1]), found ["
                    + c.stride(0) + ", " + c.stride(1) + "]");
        }
    }

    /**
     * Whether {@code c} is laid out row by row (unit column stride; a column vector always), so that oneDNN writes it
     * as its row-major result directly; otherwise its transpose is.
     */
    static boolean rowMajor(INDArray c) {
        return c.size(1) == 1 || (c.stride(1) == 1 && (c.size(0) == 1 || c.stride(0) >= c.size(1)));
    }

    private static void check(String name, INDArray x) {
        Objects.requireNonNull(x, name);
        if (x.rank() != 2 || (x.dataType() != DataType.FLOAT && x.dataType() != DataType.BFLOAT16)) {
            throw new IllegalArgumentException(name + " must be a rank-2 float32 or bfloat16 array, found rank "
                    + x.rank() + " " + x.dataType());
        }
    }

    /** oneDNN's data type of a float32 or bfloat16 array. */
    private static int type(INDArray x) {
        return x.dataType() == DataType.BFLOAT16 ? dnnl_bf16 : dnnl_f32;
    }

    static long address(INDArray x) {
        return x.data().address() + x.data().getElementSize() * x.offset();
    }

    /** This thread's oneDNN stream; fails if oneDNN did not load. */
    static dnnl_stream stream() {
        Support.requireLoaded();
        return PER_THREAD.get().stream;
    }

    /** oneDNN's CPU engine; fails if oneDNN did not load. */
    static dnnl_engine engine() {
        Support.requireLoaded();
        return Support.engine();
    }

    /**
     * Why oneDNN's float32 matmul cannot run here, or empty if it can: oneDNN must load and choose an optimised
     * kernel (not its reference code) for a 7936×256·256×256 float32 product. No CPU flags are needed beyond x86-64.
     */
    public static Optional<String> fp32UnavailableReason() {
        return Support.FP32_REASON;
    }

    /** oneDNN's name of the kernel it runs for a 7936×256·256×256 float32 product (e.g. {@code brg:avx512_core}). */
    public static Optional<String> fp32Kernel() {
        return Support.FP32_KERNEL;
    }

    static void ok(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    // ---- one product shape on one thread ---------------------------------------------------------------------

    /**
     * The primitives and buffers of one problem in oneDNN's terms, the row-major {@code dst[P, Q] = src[P, K] ·
     * wei[K, Q]}: a float32 weights operand rounded into the blocked layout the kernel reads (a bfloat16 one with
     * dense rows read in place), a float32 source rounded into plain rows or columns as it lies (a bfloat16 one with
     * dense rows or columns read in place), and the matmul.
     */
    private static final class Problem {
        /** Null where the source is read in place. */
        private final dnnl_primitive reorderSrc;
        /** Null where the weights operand is read in place. */
        private final dnnl_primitive reorderWei;
        private final dnnl_primitive matmul = new dnnl_primitive();
        /** The caller's source, weights operand and result (re-aimed at their arrays on every call). */
        private final dnnl_memory srcIn = new dnnl_memory();
        private final dnnl_memory weiIn = new dnnl_memory();
        private final dnnl_memory dstOut = new dnnl_memory();
        /** The caller's float32 bias {@code [1, Q]} (null without a bias). */
        private final dnnl_memory biasIn;
        private final Address biasAddress = new Address();
        private final Address srcAddress = new Address();
        private final Address weiAddress = new Address();
        private final Address dstAddress = new Address();
        private final dnnl_exec_arg_t reorderSrcArgs = new dnnl_exec_arg_t(2);
        private final dnnl_exec_arg_t reorderWeiArgs = new dnnl_exec_arg_t(2);
        private final dnnl_exec_arg_t matmulArgs;
        private final int matmulArgCount;
        /** Keeps the bfloat16 buffers (and the JavaCPP objects above) alive as long as the problem. */
        private final BytePointer srcBf16Buffer;
        private final BytePointer weiBf16Buffer;
        final String kernel;

        Problem(Key key) {
            dnnl_engine engine = Support.engine();
            dnnl_memory_desc_t srcInDesc = strided(key.p, key.k, key.srcRow, key.srcCol, key.srcType);
            dnnl_memory_desc_t weiInDesc = strided(key.k, key.q, key.weiRow, key.weiCol, key.weiType);
            dnnl_memory_desc_t dst = strided(key.p, key.q, key.dstRow, key.dstCol, key.dstType);
            boolean denseRows = key.srcCol == 1 && (key.p == 1 || key.srcRow == key.k);
            boolean denseColumns = key.srcRow == 1 && (key.k == 1 || key.srcCol == key.p);
            int math = key.f32Math ? dnnl_f32 : dnnl_bf16;
            boolean srcInPlace = key.srcType == math && (denseRows || denseColumns);
            dnnl_memory_desc_t srcBf16;
            if (srcInPlace) {
                srcBf16 = srcInDesc;
            } else {
                // A column-major source is rounded as it lies (no transposing reorder); the kernel reads it transposed.
                boolean srcColumns = key.p > 1 && key.k > 1 && key.srcRow == 1;
                srcBf16 = new dnnl_memory_desc_t();
                ok(dnnl_memory_desc_init_by_tag(srcBf16, 2, new long[]{key.p, key.k}, math,
                        srcColumns ? dnnl_ba : dnnl_ab), "src desc");
            }
            // A bfloat16 weights operand with dense rows (a batch's activations or gradients) is read in place: the
            // kernel packs it as it goes, which costs less than a separate pass into the blocked layout.
            boolean weiInPlace = key.weiType == math && key.weiCol == 1 && (key.k == 1 || key.weiRow == key.q);
            dnnl_memory_desc_t weiAny;
            if (weiInPlace) {
                weiAny = weiInDesc;
            } else {
                weiAny = new dnnl_memory_desc_t();
                ok(dnnl_memory_desc_init_by_tag(weiAny, 2, new long[]{key.k, key.q}, math, dnnl_format_tag_any),
                        "weights desc");
            }

            dnnl_memory_desc_t biasDesc = key.bias ? strided(1, key.q, key.q, 1, dnnl_f32) : null;
            dnnl_matmul_desc_t desc = new dnnl_matmul_desc_t();
            ok(dnnl_matmul_desc_init(desc, srcBf16, weiAny, biasDesc, dst), "matmul desc");
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            ok(dnnl_primitive_attr_create(attr), "attr");
            if (key.alpha != 1f) {
                ok(dnnl_primitive_attr_set_output_scales(attr, 1, 0, new float[]{key.alpha}), "output scale");
            }
            if (key.beta != 0f || key.relu) {
                dnnl_post_ops ops = new dnnl_post_ops();
                ok(dnnl_post_ops_create(ops), "post-ops");
                if (key.beta != 0f) {
                    ok(dnnl_post_ops_append_sum(ops, key.beta), "sum post-op");
                }
                if (key.relu) {
                    ok(dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "relu post-op");
                }
                ok(dnnl_primitive_attr_set_post_ops(attr, ops), "set post-ops");
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            ok(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, engine, null), "matmul");
            ok(dnnl_primitive_create(matmul, pd), "matmul primitive");
            PointerPointer<Pointer> info = new PointerPointer<>(1);
            ok(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info), "kernel name");
            kernel = info.getString(0);
            dnnl_memory_desc_t weiBf16 = new dnnl_memory_desc_t(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));

            weiBf16Buffer = new BytePointer(Math.max(1, weiInPlace ? 1 : dnnl_memory_desc_get_size(weiBf16)));
            srcBf16Buffer = new BytePointer(Math.max(1, srcInPlace ? 1 : dnnl_memory_desc_get_size(srcBf16)));
            ok(dnnl_memory_create(weiIn, weiInDesc, engine, weiBf16Buffer), "memory");
            dnnl_memory weiBf16Memory = weiIn;
            if (!weiInPlace) {
                weiBf16Memory = new dnnl_memory();
                ok(dnnl_memory_create(weiBf16Memory, weiBf16, engine, weiBf16Buffer), "memory");
            }
            ok(dnnl_memory_create(srcIn, srcInDesc, engine, srcBf16Buffer), "memory");
            dnnl_memory srcBf16Memory = srcIn;
            if (!srcInPlace) {
                srcBf16Memory = new dnnl_memory();
                ok(dnnl_memory_create(srcBf16Memory, srcBf16, engine, srcBf16Buffer), "memory");
            }
            ok(dnnl_memory_create(dstOut, dst, engine, weiBf16Buffer), "memory");
            if (key.bias) {
                biasIn = new dnnl_memory();
                ok(dnnl_memory_create(biasIn, biasDesc, engine, weiBf16Buffer), "memory");
            } else {
                biasIn = null;
            }

            reorderWei = weiInPlace ? null : new dnnl_primitive();
            if (reorderWei != null) {
                reorder(reorderWei, weiInDesc, weiBf16, engine);
            }
            reorderSrc = srcInPlace ? null : new dnnl_primitive();
            if (reorderSrc != null) {
                reorder(reorderSrc, srcInDesc, srcBf16, engine);
            }
            reorderWeiArgs.position(0).arg(DNNL_ARG_FROM).memory(weiIn);
            reorderWeiArgs.position(1).arg(DNNL_ARG_TO).memory(weiBf16Memory);
            reorderWeiArgs.position(0);
            reorderSrcArgs.position(0).arg(DNNL_ARG_FROM).memory(srcIn);
            reorderSrcArgs.position(1).arg(DNNL_ARG_TO).memory(srcBf16Memory);
            reorderSrcArgs.position(0);
            matmulArgCount = key.bias ? 4 : 3;
            matmulArgs = new dnnl_exec_arg_t(matmulArgCount);
            matmulArgs.position(0).arg(DNNL_ARG_SRC).memory(srcBf16Memory);
            matmulArgs.position(1).arg(DNNL_ARG_WEIGHTS).memory(weiBf16Memory);
            matmulArgs.position(2).arg(DNNL_ARG_DST).memory(dstOut);
            if (key.bias) {
                matmulArgs.position(3).arg(DNNL_ARG_BIAS).memory(biasIn);
            }
            matmulArgs.position(0);
        }

        void run(dnnl_stream stream, long src, long wei, long dst, long bias) {
            ok(dnnl_memory_set_data_handle(srcIn, srcAddress.at(src)), "set src");
            ok(dnnl_memory_set_data_handle(weiIn, weiAddress.at(wei)), "set weights");
            ok(dnnl_memory_set_data_handle(dstOut, dstAddress.at(dst)), "set dst");
            if (biasIn != null) {
                ok(dnnl_memory_set_data_handle(biasIn, biasAddress.at(bias)), "set bias");
            }
            if (reorderWei != null) {
                ok(dnnl_primitive_execute(reorderWei, stream, 2, reorderWeiArgs), "reorder weights");
            }
            if (reorderSrc != null) {
                ok(dnnl_primitive_execute(reorderSrc, stream, 2, reorderSrcArgs), "reorder src");
            }
            ok(dnnl_primitive_execute(matmul, stream, matmulArgCount, matmulArgs), "matmul");
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
    static final class Address extends Pointer {
        Address at(long address) {
            this.address = address;
            return this;
        }
    }

    /** One problem in oneDNN's terms: {@code dst[P, Q] = src[P, K]·wei[K, Q]}, element strides, scale, bias, post-ops. */
    private static final class Key {
        long p;
        long q;
        long k;
        long srcRow;
        long srcCol;
        long weiRow;
        long weiCol;
        long dstRow;
        long dstCol;
        float alpha;
        float beta;
        boolean relu;
        boolean bias;
        int srcType;
        int weiType;
        int dstType;
        /** Multiply in float32 (no rounding) instead of bfloat16. */
        boolean f32Math;

        /** The data types of source, weights operand and result ({@code dnnl_f32} by {@link #set}). */
        void types(int src, int wei, int dst) {
            this.srcType = src;
            this.weiType = wei;
            this.dstType = dst;
        }

        void set(long p, long q, long k, long srcRow, long srcCol, long weiRow, long weiCol, long dstRow, long dstCol,
                 float alpha, float beta, boolean relu, boolean bias) {
            this.p = p;
            this.q = q;
            this.k = k;
            this.srcRow = srcRow;
            this.srcCol = srcCol;
            this.weiRow = weiRow;
            this.weiCol = weiCol;
            this.dstRow = dstRow;
            this.dstCol = dstCol;
            this.alpha = alpha;
            this.beta = beta;
            this.relu = relu;
            this.bias = bias;
            types(dnnl_f32, dnnl_f32, dnnl_f32);
            f32Math = false;
        }

        Key copy() {
            Key c = new Key();
            c.set(p, q, k, srcRow, srcCol, weiRow, weiCol, dstRow, dstCol, alpha, beta, relu, bias);
            c.types(srcType, weiType, dstType);
            c.f32Math = f32Math;
            return c;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key x && p == x.p && q == x.q && k == x.k && srcRow == x.srcRow && srcCol == x.srcCol
                    && weiRow == x.weiRow && weiCol == x.weiCol && dstRow == x.dstRow && dstCol == x.dstCol
                    && Float.compare(alpha, x.alpha) == 0 && Float.compare(beta, x.beta) == 0 && relu == x.relu
                    && bias == x.bias && srcType == x.srcType && weiType == x.weiType && dstType == x.dstType
                    && f32Math == x.f32Math;
        }

        @Override
        public int hashCode() {
            long h = p;
            h = h * 31 + q;
            h = h * 31 + k;
            h = h * 31 + srcRow;
            h = h * 31 + srcCol;
            h = h * 31 + weiRow;
            h = h * 31 + weiCol;
            h = h * 31 + dstRow;
            h = h * 31 + dstCol;
            h = h * 31 + Float.floatToIntBits(alpha);
            h = h * 31 + Float.floatToIntBits(beta);
            h = h * 31 + srcType;
            h = h * 31 + weiType;
            h = h * 31 + dstType;
            return Long.hashCode(h * 8 + (relu ? 1 : 0) + (bias ? 2 : 0) + (f32Math ? 4 : 0));
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

    /** Loads oneDNN once and checks which kernels it runs here: bfloat16 (needs the CPU flags) and float32. */
    private static final class Support {
        private static dnnl_engine engine;
        static final Optional<String> LOAD_FAILURE;
        static final Optional<String> REASON;
        static final Optional<String> KERNEL;
        static final Optional<String> FP32_REASON;
        static final Optional<String> FP32_KERNEL;

        static {
            String loadFailure = null;
            try {
                Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                dnnl_engine e = new dnnl_engine();
                ok(dnnl_engine_create(e, dnnl_cpu, 0), "engine");
                engine = e;
            } catch (RuntimeException | LinkageError e) {
                loadFailure = "oneDNN (org.bytedeco:dnnl) could not be loaded: " + e;
            }
            LOAD_FAILURE = Optional.ofNullable(loadFailure);
            String fp32Kernel = null;
            String fp32Reason = loadFailure;
            if (fp32Reason == null) {
                try {
                    fp32Kernel = probe(true);
                    if (fp32Kernel.startsWith("ref")) {
                        fp32Reason = "oneDNN has only its reference float32 kernel here (" + fp32Kernel + ")";
                    }
                } catch (RuntimeException e) {
                    fp32Reason = "oneDNN's float32 matmul failed to build: " + e.getMessage();
                }
            }
            FP32_REASON = Optional.ofNullable(fp32Reason);
            FP32_KERNEL = Optional.ofNullable(fp32Reason == null ? fp32Kernel : null);
            String reason = missingFlags(OpenBlasKernel.cpuinfo() == null ? null
                    : OpenBlasKernel.flags(OpenBlasKernel.cpuinfo())).orElse(loadFailure);
            String kernel = null;
            if (reason == null) {
                try {
                    kernel = probe(false);
                    if (!kernel.contains("bf16") && !kernel.contains("amx")) {
                        reason = "oneDNN chose no bfloat16 kernel on this CPU (it chose " + kernel
                                + "; is ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA set below AVX512_CORE_BF16?)";
                    }
                } catch (RuntimeException e) {
                    reason = "oneDNN has no bfloat16 matmul for this CPU (" + e.getMessage() + "; is ONEDNN_MAX_CPU_ISA "
                            + "or DNNL_MAX_CPU_ISA set below AVX512_CORE_BF16?)";
                }
            }
            REASON = Optional.ofNullable(reason);
            KERNEL = Optional.ofNullable(reason == null ? kernel : null);
        }

        /** The kernel oneDNN chooses for a 7936×256·256×256 product in float32 or bfloat16 math. */
        private static String probe(boolean f32Math) {
            Key probe = new Key();
            probe.set(7936, 256, 256, 256, 1, 256, 1, 256, 1, 1f, 0f, false, false);
            probe.f32Math = f32Math;
            return new Problem(probe).kernel;
        }

        static dnnl_engine engine() {
            return engine;
        }

        static void requireLoaded() {
            if (LOAD_FAILURE.isPresent()) {
                throw new IllegalStateException(LOAD_FAILURE.get());
            }
        }

        static void require() {
            if (REASON.isPresent()) {
                throw new IllegalStateException("bfloat16 products cannot run here: " + REASON.get());
            }
        }

        static void requireFp32() {
            if (FP32_REASON.isPresent()) {
                throw new IllegalStateException("oneDNN float32 products cannot run here: " + FP32_REASON.get());
            }
        }
    }
}
