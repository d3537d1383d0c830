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
import org.calql.aca.AcaConfig;
import org.calql.agent.AcaAgent;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.nn.JavaBackend;
import org.calql.serving.NpyFile;
import org.calql.serving.NpyFile.DType;
import org.calql.serving.ServedPolicy;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code act}, {@code export --format policy|onnx} and {@code export-policy} on ACA checkpoints: the tanh-Gaussian
 * policy is served as the continuous agent's is; the non-squashed AntMaze policy and the CORL weight formats are
 * refused with messages that say why and what to use.
 */
class AcaActTest {
    @TempDir
    Path dir;

    private AcaAgent pretrained(AcaConfig.PolicyKind kind, Path into) throws IOException {
        AcaConfig config = AcaConfig.builder(3, 2).batchSize(8).criticHidden(8, 8).policyHidden(8).seed(3)
                .policy(kind).build();
        AcaAgent agent = AcaAgent.create(config, TrainingConfig.builder().normalizeObservations(true)
                .replayCapacity(64).build(), new JavaBackend());
        OfflineDataset.Builder data = OfflineDataset.builder(3, 2);
        for (int t = 0; t < 20; t++) {
            data.step(new double[] {t, -t, 5 + t * 0.5}, new double[] {0.1, -0.2}, 1.0,
                    new double[] {t + 1, -t - 1, 5.5 + t * 0.5}, t == 19, false);
        }
        agent.pretrain(data.build(), 4, null);
        agent.save(into);
        return agent;
    }

    private Path observations(double[] obs) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < obs.length; i++) {
            obs[i] = 10 * random.nextDouble() - 5;
        }
        Path file = dir.resolve("obs.npy");
        NpyFile.write(file, new int[] {obs.length / 3, 3}, obs, DType.FLOAT64);
        return file;
    }

    @Test
    void actAndExportServeTheTanhGaussianAcaPolicy() throws IOException {
        Path checkpoint = dir.resolve("aca");
        AcaAgent agent = pretrained(AcaConfig.PolicyKind.TANH_GAUSSIAN, checkpoint);
        assertFalse(agent.normalizer().isIdentity(), "the checkpoint carries a normaliser, which act must apply");
        double[] obs = new double[5 * 3];
        Path observations = observations(obs);
        Path out = dir.resolve("actions.npy");
        CliTest.Result r = CliTest.run("act", checkpoint.toString(), "--observations", observations.toString(),
                "--out", out.toString(), "--action-low", "-2,0", "--action-high", "2,10");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 5 actions [5, 2]") && r.out().contains("environment's box"), r.out());
        BoxSpace box = new BoxSpace(new double[] {-2, 0}, new double[] {2, 10});
        double[] v = NpyFile.read(out).values();
        for (int row = 0; row < 5; row++) {
            double[] want = new ActionScaling(box, 1.0).toEnvironment(agent.act(Arrays.copyOfRange(obs, 3 * row,
                    3 * row + 3)));
            assertArrayEquals(want, Arrays.copyOfRange(v, 2 * row, 2 * row + 2), 0.0, "row " + row);
        }

        Path artifact = dir.resolve("p.calqlpolicy");
        CliTest.Result e = CliTest.run("export", checkpoint.toString(), "--format", "policy", "--out",
                artifact.toString());
        assertEquals(0, e.code(), e.err());
        ServedPolicy served = ServedPolicy.load(artifact);
        double[] one = Arrays.copyOf(obs, 3);
        assertArrayEquals(agent.act(one), served.act(one), 0.0);

        Path onnx = dir.resolve("p.onnx");
        CliTest.Result o = CliTest.run("export-policy", checkpoint.toString(), "--format", "onnx", "--out",
                onnx.toString());
        assertEquals(0, o.code(), o.err());
        byte[] bytes = Files.readAllBytes(onnx);
        assertEquals(0x08, bytes[0], "ModelProto field 1 (ir_version), varint");
    }

    @Test
    void corlWeightFormatsAreRefusedForAca() throws IOException {
        Path checkpoint = dir.resolve("aca");
        pretrained(AcaConfig.PolicyKind.TANH_GAUSSIAN, checkpoint);
        CliTest.Result r = CliTest.run("export", checkpoint.toString(), "--format", "safetensors", "--out",
                dir.resolve("w.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds an ACA agent") && r.err().contains("--format policy or onnx"), r.err());
        assertFalse(Files.exists(dir.resolve("w.safetensors")));
    }

    @Test
    void theNonSquashedAntMazePolicyIsRefusedClearly() throws IOException {
        Path checkpoint = dir.resolve("antmaze");
        pretrained(AcaConfig.PolicyKind.NON_SQUASHED_GAUSSIAN, checkpoint);
        Path observations = observations(new double[3]);
        CliTest.Result r = CliTest.run("act", checkpoint.toString(), "--observations", observations.toString(),
                "--out", dir.resolve("a.npy").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("non-squashed Gaussian policy") && r.err().contains("tanh-Gaussian policies only"),
                r.err());
        CliTest.Result e = CliTest.run("export", checkpoint.toString(), "--format", "onnx", "--out",
                dir.resolve("p.onnx").toString());
        assertEquals(1, e.code(), e.err());
        assertTrue(e.err().contains("non-squashed Gaussian policy"), e.err());
    }

    @Test
    void aDiscreteCheckpointStillNamesItsLoader() throws IOException {
        Path save = dir.resolve("discrete");
        CliTest.Result t = CliTest.run("train", "--env", "mountaincar", "--backend", "java", "--offline-steps", "2",
                "--online-steps", "0", "--episodes", "2", "--hidden", "8,8", "--batch-size", "8", "--eval-episodes",
                "1", "--save", save.toString());
        assertEquals(0, t.code(), t.err());
        CliTest.Result r = CliTest.run("act", save.toString(), "--observations",
                observations(new double[3]).toString(), "--out", dir.resolve("a.npy").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("DiscreteAgent.load"), r.err());
    }
}
