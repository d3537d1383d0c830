package org.calql.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.calql.agent.Agent;
import org.calql.data.ObservationNormalizer;
import org.calql.env.BoxSpace;
import org.calql.serving.ServedPolicy;
import org.calql.spi.NetworkSpec;

/**
 * Exports a policy's deterministic action, observation → action, as an ONNX model (IR version
 * {@value #IR_VERSION}, opset {@value #OPSET} of the default domain), written in the protobuf wire format by hand:
 * no protobuf or ONNX library is needed. The graph, in float32:
 * <pre>
 * observation [batch, observationDim]
 *   Sub(obs_mean), Div(obs_std)                       the saved normaliser (s − mean)/std; absent when none
 *   per hidden layer l:
 *     Gemm(W_l, b_l, transB = 1)                      x·W_lᵀ + b_l, W_l kept [out, in] as in PyTorch
 *     LayerNormalization(gain_l, shift_l, axis = −1, epsilon)   when the spec has LayerNorm
 *     Relu | Tanh | Elu(alpha = 1) | Sigmoid then Mul (SiLU)
 *   Gemm(W_mean, b_mean, transB = 1)                  the mean half of the output layer (its first actionDim rows)
 *   Tanh, Mul(max_action)                             maxAction·tanh(mean), in [−maxAction, maxAction]
 *   with an action box: Tanh, Mul(half_range), Add(center), Min(action_high), Max(action_low)
 *                                                     low + (tanh + 1)/2·(high − low), clipped, as calql maps it
 * action [batch, actionDim]
 * </pre>
 * The batch dimension is symbolic ({@code batch}). The result matches {@link ServedPolicy#act} within float32
 * rounding.
 */
public final class OnnxExport {
    /** The ONNX IR version written (ONNX 1.12, which introduced opset 17). */
    public static final int IR_VERSION = 8;
    /** The default-domain opset the graph uses; 17 is the first with {@code LayerNormalization}. */
    public static final int OPSET = 17;
    /** The graph's input name. */
    public static final String INPUT = "observation";
    /** The graph's output name. */
    public static final String OUTPUT = "action";

    // TensorProto.DataType and AttributeProto.AttributeType values
    private static final int FLOAT = 1;
    private static final int ATTRIBUTE_FLOAT = 1;
    private static final int ATTRIBUTE_INT = 2;

    private OnnxExport() {
    }

    /** Writes the agent's deterministic policy (a snapshot, actions in {@code [−maxAction, maxAction]}). */
    public static void write(Agent agent, Path file) throws IOException {
        write(ServedPolicy.of(agent), file);
    }

    /**
     * Writes {@code policy} as an ONNX model to {@code file} atomically (a temporary file, then a move).
     *
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(ServedPolicy policy, Path file) throws IOException {
        byte[] bytes = toBytes(policy);
        Path absolute = file.toAbsolutePath();
        Path temp = null;
        try {
            temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
            Files.write(temp, bytes);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            throw new IOException("cannot write the ONNX model " + file + ": " + e, e);
        }
    }

    /** The serialised {@code ModelProto} of {@code policy}'s deterministic action. */
    public static byte[] toBytes(ServedPolicy policy) {
        NetworkSpec spec = policy.spec();
        double[][] p = policy.parameters();
        int actionDim = policy.actionDim();
        Graph g = new Graph();
        String x = INPUT;
        ObservationNormalizer n = policy.normalizer();
        if (!n.isIdentity()) {
            g.initializer("obs_mean", new long[] {spec.inputDim()}, n.mean());
            g.initializer("obs_std", new long[] {spec.inputDim()}, n.std());
            g.node("Sub", new String[] {x, "obs_mean"}, "centered");
            g.node("Div", new String[] {"centered", "obs_std"}, "normalized");
            x = "normalized";
        }
        int layers = spec.layerCount();
        for (int l = 0; l < layers - 1; l++) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            g.initializer("w" + l, new long[] {out, in}, p[spec.weightArray(l)]);
            g.initializer("b" + l, new long[] {out}, p[spec.biasArray(l)]);
            g.node("Gemm", new String[] {x, "w" + l, "b" + l}, "linear" + l, intAttribute("transB", 1));
            String u = "linear" + l;
            if (spec.layerNorm()) {
                g.initializer("gain" + l, new long[] {out}, p[spec.gainArray(l)]);
                g.initializer("shift" + l, new long[] {out}, p[spec.shiftArray(l)]);
                g.node("LayerNormalization", new String[] {u, "gain" + l, "shift" + l}, "norm" + l,
                        intAttribute("axis", -1), floatAttribute("epsilon", (float) spec.layerNormEpsilon()));
                u = "norm" + l;
            }
            String h = "hidden" + l;
            switch (spec.activation()) {
                case RELU -> g.node("Relu", new String[] {u}, h);
                case TANH -> g.node("Tanh", new String[] {u}, h);
                case ELU -> g.node("Elu", new String[] {u}, h, floatAttribute("alpha", 1.0f));
                case SILU -> {
                    g.node("Sigmoid", new String[] {u}, "sigmoid" + l);
                    g.node("Mul", new String[] {u, "sigmoid" + l}, h);
                }
                default -> throw new IllegalStateException("unknown activation " + spec.activation());
            }
            x = h;
        }
        int last = layers - 1;
        int in = spec.layerInput(last);
        double[] w = p[spec.weightArray(last)];
        double[] meanWeights = new double[actionDim * in];
        System.arraycopy(w, 0, meanWeights, 0, meanWeights.length); // rows [0, actionDim) of [2·actionDim, in]
        double[] meanBias = new double[actionDim];
        System.arraycopy(p[spec.biasArray(last)], 0, meanBias, 0, actionDim);
        g.initializer("w_mean", new long[] {actionDim, in}, meanWeights);
        g.initializer("b_mean", new long[] {actionDim}, meanBias);
        g.node("Gemm", new String[] {x, "w_mean", "b_mean"}, "mean", intAttribute("transB", 1));
        g.node("Tanh", new String[] {"mean"}, "tanh_mean");
        BoxSpace box = policy.actionBox();
        if (box == null) {
            g.initializer("max_action", new long[] {1}, new double[] {policy.maxAction()});
            g.node("Mul", new String[] {"tanh_mean", "max_action"}, OUTPUT);
        } else {
            double[] half = new double[actionDim];
            double[] center = new double[actionDim];
            for (int a = 0; a < actionDim; a++) {
                half[a] = (box.high(a) - box.low(a)) / 2;
                center[a] = (box.high(a) + box.low(a)) / 2;
            }
            g.initializer("half_range", new long[] {actionDim}, half);
            g.initializer("center", new long[] {actionDim}, center);
            g.initializer("action_low", new long[] {actionDim}, box.low());
            g.initializer("action_high", new long[] {actionDim}, box.high());
            g.node("Mul", new String[] {"tanh_mean", "half_range"}, "scaled");
            g.node("Add", new String[] {"scaled", "center"}, "unclipped");
            g.node("Min", new String[] {"unclipped", "action_high"}, "below_high");
            g.node("Max", new String[] {"below_high", "action_low"}, OUTPUT);
        }

        Proto graph = new Proto();
        for (Proto node : g.nodes) {
            graph.message(1, node);
        }
        graph.string(2, "calql_deterministic_policy");
        for (Proto t : g.initializers) {
            graph.message(5, t);
        }
        graph.string(10, "calql deterministic policy: observation -> action; " + policy);
        graph.message(11, valueInfo(INPUT, spec.inputDim()));
        graph.message(12, valueInfo(OUTPUT, actionDim));

        Proto model = new Proto();
        model.varint(1, IR_VERSION);
        model.string(2, "calql");
        model.string(3, version());
        model.message(7, graph);
        model.message(8, new Proto().string(1, "").varint(2, OPSET));
        return model.toByteArray();
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** {@code ValueInfoProto} of a float tensor {@code [batch, width]}. */
    private static Proto valueInfo(String name, int width) {
        Proto shape = new Proto()
                .message(1, new Proto().string(2, "batch"))
                .message(1, new Proto().varint(1, width));
        Proto tensorType = new Proto().varint(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    private static Proto intAttribute(String name, long value) {
        return new Proto().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
    }

    private static Proto floatAttribute(String name, float value) {
        return new Proto().string(1, name).float32(2, value).varint(20, ATTRIBUTE_FLOAT);
    }

    /** The nodes and initializers collected so far, in order. */
    private static final class Graph {
        final List<Proto> nodes = new ArrayList<>();
        final List<Proto> initializers = new ArrayList<>();

        void node(String op, String[] inputs, String output, Proto... attributes) {
            Proto node = new Proto();
            for (String i : inputs) {
                node.string(1, i);
            }
            node.string(2, output);
            node.string(3, output + "_" + op);
            node.string(4, op);
            for (Proto a : attributes) {
                node.message(5, a);
            }
            nodes.add(node);
        }

        /** A float32 {@code TensorProto} with {@code raw_data} (little-endian). */
        void initializer(String name, long[] dims, double[] values) {
            Proto t = new Proto();
            for (long d : dims) {
                t.varint(1, d);
            }
            t.varint(2, FLOAT);
            t.string(8, name);
            ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                raw.putFloat((float) v);
            }
            t.bytes(9, raw.array());
            initializers.add(t);
        }
    }
}
