package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.nn.JavaBackend;
import org.calql.serving.NpyFile;
import org.calql.serving.NpyFile.DType;
import org.calql.serving.ServedPolicy;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code act} and {@code export-policy} on a tiny pretrained checkpoint. */
class ActCommandTest {
    @TempDir
    Path dir;
    Path checkpoint;
    Agent agent;
    Path observations;
    double[] obs;

    @BeforeEach
    void save() throws IOException {
        CalQlConfig config = CalQlConfig.builder().observationDim(3).actionDim(2).batchSize(8).cqlNActions(2)
                .qHidden(8, 8).policyHidden(8).maxAction(1.0).seed(3).build();
        agent = Agent.create(config, TrainingConfig.builder().replayCapacity(64).build(), new JavaBackend());
        OfflineDataset.Builder data = OfflineDataset.builder(3, 2);
        for (int t = 0; t < 20; t++) {
            data.step(new double[] {t, -t, 5 + t * 0.5}, new double[] {0.1, -0.2}, 1.0,
                    new double[] {t + 1, -t - 1, 5.5 + t * 0.5}, t == 19, false);
        }
        agent.pretrain(data.build(), 4, null);
        checkpoint = dir.resolve("ckpt");
        agent.save(checkpoint);
        SplittableRandom random = new SplittableRandom(5);
        obs = new double[7 * 3];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = 10 * random.nextDouble() - 5;
        }
        observations = dir.resolve("obs.npy");
        NpyFile.write(observations, new int[] {7, 3}, obs, DType.FLOAT64);
    }

    private double[] expected(int row, BoxSpace box) {
        double[] a = agent.policy().act(Arrays.copyOfRange(obs, 3 * row, 3 * row + 3));
        return box == null ? a : new ActionScaling(box, 1.0).toEnvironment(a);
    }

    @Test
    void actOnACheckpointWritesTheAgentsActions() throws IOException {
        assertFalse(agent.normalizer().isIdentity(), "the checkpoint carries a normaliser, which act must apply");
        Path out = dir.resolve("actions.npy");
        CliTest.Result r = CliTest.run("act", checkpoint.toString(), "--observations", observations.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 7 actions [7, 2]") && r.out().contains("policy's range [-1.0, 1.0]"),
                r.out());
        NpyFile actions = NpyFile.read(out);
        assertArrayEquals(new int[] {7, 2}, actions.shape());
        assertEquals(DType.FLOAT64, actions.dtype());
        double[] v = actions.values();
        for (int row = 0; row < 7; row++) {
            assertArrayEquals(expected(row, null), Arrays.copyOfRange(v, 2 * row, 2 * row + 2), 0.0, "row " + row);
        }
    }

    @Test
    void exportedArtifactWithABoxActsInTheEnvironmentsUnits() throws IOException {
        Path artifact = dir.resolve("p.calqlpolicy");
        CliTest.Result e = CliTest.run("export-policy", checkpoint.toString(), "--format", "policy", "--out",
                artifact.toString(), "--action-low", "-2,0", "--action-high", "2,10");
        assertEquals(0, e.code(), e.err());
        BoxSpace box = new BoxSpace(new double[] {-2, 0}, new double[] {2, 10});
        assertEquals(box, ServedPolicy.load(artifact).actionBox());
        Path single = dir.resolve("one.npy");
        NpyFile.write(single, new int[] {3}, Arrays.copyOf(obs, 3), DType.FLOAT32);
        Path out = dir.resolve("a.npy");
        CliTest.Result r = CliTest.run("act", artifact.toString(), "--observations", single.toString(), "--out",
                out.toString(), "--dtype", "float64");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("environment's box"), r.out());
        NpyFile actions = NpyFile.read(out);
        assertArrayEquals(new int[] {2}, actions.shape());
        double[] rounded = new double[3];
        for (int i = 0; i < 3; i++) {
            rounded[i] = (float) obs[i];
        }
        double[] want = new ActionScaling(box, 1.0).toEnvironment(agent.policy().act(rounded));
        assertArrayEquals(want, actions.values(), 0.0);
        CliTest.Result again = CliTest.run("act", artifact.toString(), "--observations", single.toString(),
                "--out", out.toString(), "--action-low", "0", "--action-high", "1");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already maps its actions into"), again.err());
    }

    @Test
    void exportsAnOnnxModel() throws IOException {
        Path onnx = dir.resolve("p.onnx");
        CliTest.Result r = CliTest.run("export-policy", checkpoint.toString(), "--format", "onnx", "--out",
                onnx.toString());
        assertEquals(0, r.code(), r.err());
        byte[] bytes = Files.readAllBytes(onnx);
        assertEquals(0x08, bytes[0], "ModelProto field 1 (ir_version), varint");
        assertEquals(8, bytes[1], "IR version 8");
        assertTrue(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("LayerNormalization")
                == false, "no LayerNorm in a plain ReLU actor");
    }

    @Test
    void badInputFailsInOneLineNamingTheFile() throws IOException {
        Path wrong = dir.resolve("wrong.npy");
        NpyFile.write(wrong, new int[] {2, 4}, new double[8], DType.FLOAT64);
        CliTest.Result r = CliTest.run("act", checkpoint.toString(), "--observations", wrong.toString(), "--out",
                dir.resolve("x.npy").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(wrong.toString()) && r.err().contains("must be [N, 3] or [3]"), r.err());
        NpyFile.write(wrong, new int[] {1, 3}, new double[] {1, Double.NaN, 2}, DType.FLOAT64);
        r = CliTest.run("act", checkpoint.toString(), "--observations", wrong.toString(), "--out",
                dir.resolve("x.npy").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("row 0 [1] must be finite, found NaN"), r.err());
        r = CliTest.run("act", checkpoint.toString(), "--observations", observations.toString(), "--out",
                dir.resolve("x.npy").toString(), "--action-low", "-1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--action-low and --action-high go together"), r.err());
        r = CliTest.run("export-policy", dir.resolve("missing").toString(), "--format", "onnx", "--out",
                dir.resolve("x.onnx").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no such checkpoint directory or policy file"), r.err());
        assertFalse(Files.exists(dir.resolve("x.npy")), "nothing written on failure");
    }
}
