package org.calql.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.env.BoxSpace;
import org.calql.serving.ServedPolicy;
import org.calql.serving.ServingFixtures;
import org.calql.spi.Activation;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs the exported model in ONNX Runtime's Java API and compares it with calql's own {@code act}. */
class OnnxExportTest {
    /** float32 weights and arithmetic against double: actions are O(1), errors O(1e-6). */
    private static final double TOLERANCE = 2e-5;

    @TempDir
    Path dir;

    @Test
    void agentsPolicyRunsInOnnxRuntime() throws Exception {
        CalQlConfig config = CalQlConfig.builder().observationDim(5).actionDim(3).batchSize(16).cqlNActions(3)
                .qHidden(16, 16).policyHidden(24, 17).maxAction(2.0).seed(11).build();
        Agent agent = Agent.create(config, Backends.named("java"));
        Path file = dir.resolve("policy.onnx");
        OnnxExport.write(agent, file);
        double[] obs = ServingFixtures.observations(33, 5, 2);
        double[] ort = run(file, obs, 33, 5, 3);
        for (int r = 0; r < 33; r++) {
            double[] o = java.util.Arrays.copyOfRange(obs, 5 * r, 5 * r + 5);
            double[] expected = agent.policy().act(o);
            for (int a = 0; a < 3; a++) {
                assertEquals(expected[a], ort[3 * r + a], TOLERANCE, "row " + r + " action " + a);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyLayerKindWithNormaliserAndBoxRunsInOnnxRuntime(Activation activation) throws Exception {
        for (boolean layerNorm : new boolean[] {false, true}) {
            for (boolean withBox : new boolean[] {false, true}) {
                ObservationNormalizer normalizer = ServingFixtures.normalizer(4, 5);
                BoxSpace box = withBox ? new BoxSpace(new double[] {-3, 0}, new double[] {1, 10}) : null;
                ServedPolicy served = ServedPolicy.of(ServingFixtures.policy(4, 2, new int[] {9, 7}, activation,
                        layerNorm, 1.5, 3), normalizer, box);
                Path file = dir.resolve(activation + "-" + layerNorm + "-" + withBox + ".onnx");
                OnnxExport.write(served, file);
                double[] obs = ServingFixtures.observations(40, 4, 8);
                double[] expected = served.act(obs, 40, new double[80]);
                double[] ort = run(file, obs, 40, 4, 2);
                double scale = withBox ? 10 : 1.5;
                double worst = 0;
                for (int i = 0; i < 80; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - ort[i]));
                    assertEquals(expected[i], ort[i], TOLERANCE * scale, activation + " layerNorm=" + layerNorm
                            + " box=" + withBox + " value " + i);
                }
                System.out.printf("OnnxExportTest %s layerNorm=%b box=%b: largest |ORT - act| = %.2e%n", activation,
                        layerNorm, withBox, worst);
            }
        }
    }

    @Test
    void varintsAreProtobufs() {
        assertArrayEquals(new byte[] {0x08, (byte) 0xAC, 0x02}, new Proto().varint(1, 300).toByteArray());
        byte[] minusOne = new Proto().varint(3, -1).toByteArray();
        assertEquals(11, minusOne.length, "tag + ten-byte two's complement varint");
        assertEquals(0x01, minusOne[10]);
        assertArrayEquals(new byte[] {0x12, 0x02, 'h', 'i'}, new Proto().string(2, "hi").toByteArray());
        assertArrayEquals(new byte[] {0x15, 0, 0, (byte) 0x80, 0x3F}, new Proto().float32(2, 1.0f).toByteArray());
    }

    /** Runs {@code file} on {@code rows} observations; returns the actions, row-major. */
    static double[] run(Path file, double[] obs, int rows, int obsDim, int actionDim) throws Exception {
        float[] input = new float[obs.length];
        for (int i = 0; i < obs.length; i++) {
            input[i] = (float) obs[i];
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions())) {
            assertEquals(java.util.Set.of(OnnxExport.INPUT), session.getInputNames());
            assertEquals(java.util.Set.of(OnnxExport.OUTPUT), session.getOutputNames());
            long[] inputShape = ((TensorInfo) session.getInputInfo().get(OnnxExport.INPUT).getInfo()).getShape();
            assertArrayEquals(new long[] {-1, obsDim}, inputShape, "symbolic batch, observation width");
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input),
                    new long[] {rows, obsDim}); OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT,
                    tensor))) {
                float[][] out = (float[][]) result.get(0).getValue();
                assertEquals(rows, out.length);
                double[] flat = new double[rows * actionDim];
                for (int r = 0; r < rows; r++) {
                    assertEquals(actionDim, out[r].length);
                    for (int a = 0; a < actionDim; a++) {
                        flat[r * actionDim + a] = out[r][a];
                        assertTrue(Float.isFinite(out[r][a]));
                    }
                }
                return flat;
            }
        }
    }
}
