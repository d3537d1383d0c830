package org.calql.nd4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.dnnl_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ReLU's backward step on oneDNN, in place and in one pass: {@code g ← g ⊙ [a > 0]}, where {@code a} holds the
 * ReLU's outputs (oneDNN's {@code eltwise_relu_use_dst_for_bwd}). For the row-by-row passes of {@link Nd4jNetwork}:
 * one pass instead of ND4J's sign and multiply (two), and bfloat16 arrays, which ND4J's element-wise ops only
 * emulate. Both arrays are
 * rank 2, of one shape, one layout and one type (float32 or bfloat16). Primitives are built once per thread and
 * shape; after that a call allocates nothing.
 */
final class OneDnnRelu {
    private OneDnnRelu() {
    }

    /** {@code gradient ← gradient ⊙ [activations > 0]}. */
    static void backward(INDArray activations, INDArray gradient) {
        if (activations.rank() != 2 || gradient.rank() != 2 || activations.size(0) != gradient.size(0)
                || activations.size(1) != gradient.size(1) || activations.stride(0) != gradient.stride(0)
                || activations.stride(1) != gradient.stride(1) || activations.dataType() != gradient.dataType()
                || (gradient.dataType() != DataType.FLOAT && gradient.dataType() != DataType.BFLOAT16)) {
            throw new IllegalArgumentException("activations and gradient must be float32 or bfloat16 matrices of one "
                    + "shape and layout, found " + activations.shapeInfoToString() + " and "
                    + gradient.shapeInfoToString());
        }
        if (gradient.length() == 0) {
            return;
        }
        PerThread t = PER_THREAD.get();
        t.probe.set(gradient);
        Step step = t.steps.get(t.probe);
        if (step == null) {
            step = new Step(gradient);
            Shape key = new Shape();
            key.set(gradient);
            t.steps.put(key, step);
        }
        step.run(Bf16Gemm.address(activations), Bf16Gemm.address(gradient));
    }

    private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

    /** One thread's steps by shape, and a reusable probe to look them up without allocating. */
    private static final class PerThread {
        final Map<Shape, Step> steps = new HashMap<>();
        final Shape probe = new Shape();
    }

    /** Shape, strides and type of an array (mutable only while used as a probe). */
    private static final class Shape {
        long rows;
        long cols;
        long rowStride;
        long colStride;
        boolean bf16;

        void set(INDArray x) {
            rows = x.size(0);
            cols = x.size(1);
            rowStride = x.stride(0);
            colStride = x.stride(1);
            bf16 = x.dataType() == DataType.BFLOAT16;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape x && rows == x.rows && cols == x.cols && rowStride == x.rowStride
                    && colStride == x.colStride && bf16 == x.bf16;
        }

        @Override
        public int hashCode() {
            long h = ((rows * 31 + cols) * 31 + rowStride) * 31 + colStride;
            return Long.hashCode(h * 2 + (bf16 ? 1 : 0));
        }
    }

    /** One shape's backward primitive and its memories (re-aimed at the caller's arrays on every call). */
    private static final class Step {
        private final dnnl_primitive primitive = new dnnl_primitive();
        private final dnnl_memory dst = new dnnl_memory();
        private final dnnl_memory diff = new dnnl_memory();
        private final dnnl_exec_arg_t args = new dnnl_exec_arg_t(3);
        private final Bf16Gemm.Address dstAddress = new Bf16Gemm.Address();
        private final Bf16Gemm.Address diffAddress = new Bf16Gemm.Address();

        Step(INDArray like) {
            dnnl_engine engine = Bf16Gemm.engine();
            int type = like.dataType() == DataType.BFLOAT16 ? dnnl_bf16 : dnnl_f32;
            long rows = like.size(0);
            long cols = like.size(1);
            dnnl_memory_desc_t md = new dnnl_memory_desc_t();
            Bf16Gemm.ok(dnnl_memory_desc_init_by_strides(md, 2, new long[]{rows, cols}, type,
                    new long[]{rows == 1 ? cols : like.stride(0), cols == 1 ? 1 : like.stride(1)}), "memory desc");
            dnnl_eltwise_desc_t forward = new dnnl_eltwise_desc_t();
            Bf16Gemm.ok(dnnl_eltwise_forward_desc_init(forward, dnnl_forward_training,
                    dnnl_eltwise_relu_use_dst_for_bwd, md, 0f, 0f), "relu forward desc");
            dnnl_primitive_desc hint = new dnnl_primitive_desc();
            Bf16Gemm.ok(dnnl_primitive_desc_create(hint, new const_dnnl_op_desc_t(forward), null, engine, null),
                    "relu forward");
            dnnl_eltwise_desc_t backward = new dnnl_eltwise_desc_t();
            Bf16Gemm.ok(dnnl_eltwise_backward_desc_init(backward, dnnl_eltwise_relu_use_dst_for_bwd, md, md, 0f, 0f),
                    "relu backward desc");
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Bf16Gemm.ok(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(backward), null, engine, hint),
                    "relu backward");
            Bf16Gemm.ok(dnnl_primitive_create(primitive, pd), "relu backward primitive");
            Bf16Gemm.ok(dnnl_memory_create(dst, md, engine, null), "memory");
            Bf16Gemm.ok(dnnl_memory_create(diff, md, engine, null), "memory");
            args.position(0).arg(DNNL_ARG_DST).memory(dst);
            args.position(1).arg(DNNL_ARG_DIFF_DST).memory(diff);
            args.position(2).arg(DNNL_ARG_DIFF_SRC).memory(diff);
            args.position(0);
        }

        void run(long activations, long gradient) {
            Bf16Gemm.ok(dnnl_memory_set_data_handle(dst, dstAddress.at(activations)), "set activations");
            Bf16Gemm.ok(dnnl_memory_set_data_handle(diff, diffAddress.at(gradient)), "set gradient");
            Bf16Gemm.ok(dnnl_primitive_execute(primitive, Bf16Gemm.stream(), 3, args), "relu backward");
        }
    }
}
