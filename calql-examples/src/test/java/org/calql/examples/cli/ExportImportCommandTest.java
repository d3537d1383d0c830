package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.interop.CorlWeights;
import org.calql.interop.DType;
import org.calql.interop.ExportOptions;
import org.calql.interop.Npz;
import org.calql.interop.Safetensors;
import org.calql.interop.SafetensorsFile;
import org.calql.interop.TensorData;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportCommandTest {
    @TempDir
    Path dir;

    private Agent tinyAgent() {
        return Agent.create(CalQlConfig.builder().observationDim(3).actionDim(2).policyHidden(6, 5)
                .qHidden(4, 4).criticEnsembleSize(2).maxAction(1.5).batchSize(4).seed(11).build(),
                Backends.named("java"));
    }

    @Test
    void importACorlFileThenExportItAsSafetensorsAndNpz() throws IOException {
        Agent source = tinyAgent();
        Path corl = dir.resolve("corl.safetensors");
        CorlWeights.exportSafetensors(source, corl, ExportOptions.defaults().withDtype(DType.F64));
        Path ckpt = dir.resolve("imported");
        CliTest.Result r = CliTest.run("import", "--format", "corl", "--checkpoint", corl.toString(), "--out",
                ckpt.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("observations 3, actions 2, actor [6, 5], 2 critics [4, 4], maxAction 1.5"),
                r.out());
        Agent imported = Agent.load(ckpt, Backends.named("java"));
        double[] obs = {0.2, -0.4, 1.0};
        assertArrayEquals(source.act(obs), imported.act(obs), 0.0, "F64 file: the same policy");

        Path st = dir.resolve("out.safetensors");
        r = CliTest.run("export", ckpt.toString(), "--format", "safetensors", "--out", st.toString(),
                "--action-low", "-1,0", "--action-high", "2,1.5");
        assertEquals(0, r.code(), r.err());
        SafetensorsFile f = Safetensors.read(st);
        assertEquals(Safetensors.read(corl).tensors().keySet(), f.tensors().keySet());
        assertEquals(DType.F32, f.dtypes().get("critic2_target.network.4.weight"));
        assertEquals("[-1.0, 0.0]", f.metadata().get("actionLow"));

        Path npz = dir.resolve("out.npz");
        r = CliTest.run("export", ckpt.toString(), "--format", "npz", "--dtype", "F64", "--out", npz.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Safetensors.read(corl).tensors(), Npz.read(npz));

        // the deterministic policy, through the same export command
        Path artifact = dir.resolve("policy.calqlpolicy");
        r = CliTest.run("export", ckpt.toString(), "--format", "policy", "--out", artifact.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(imported.act(obs), org.calql.serving.ServedPolicy.load(artifact).act(obs, new double[2]),
                0.0, "the artifact acts as the checkpoint");
        Path onnx = dir.resolve("policy.onnx");
        r = CliTest.run("export", ckpt.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(java.nio.file.Files.size(onnx) > 100, "an ONNX model was written");
    }

    @Test
    void importPerModuleFiles() throws IOException {
        Map<String, TensorData> all = CorlWeights.tensors(tinyAgent());
        Path actor = module(all, "actor.", "actor.safetensors");
        Path c1 = module(all, "critic1.", "c1.safetensors");
        Path c2 = module(all, "critic2.", "c2.safetensors");
        Path ckpt = dir.resolve("imported");
        CliTest.Result r = CliTest.run("import", "--format", "corl", "--actor", actor.toString(), "--critics",
                c1 + "," + c2, "--max-action", "1.5", "--out", ckpt.toString());
        assertEquals(0, r.code(), r.err());
        Agent imported = Agent.load(ckpt, Backends.named("java"));
        assertEquals(1.5, imported.config().maxAction(), 0.0);
        double[] obs = {0.2, -0.4, 1.0};
        assertArrayEquals(tinyAgent().act(obs), imported.act(obs), 1e-6);
    }

    @Test
    void usageErrorsAndBadFilesExitWithTheReason() throws IOException {
        CliTest.Result r = CliTest.run("import", "--format", "corl", "--out", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give either --checkpoint FILE or --actor FILE --critics FILE,FILE"), r.err());
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2});
        r = CliTest.run("import", "--format", "corl", "--checkpoint", bad.toString(), "--out",
                dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("shorter than the 8-byte"), r.err());
        r = CliTest.run("export", dir.toString(), "--format", "tflite", "--out", "x");
        assertEquals(2, r.code());
    }

    private Path module(Map<String, TensorData> all, String prefix, String name) throws IOException {
        Map<String, TensorData> m = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        Path f = dir.resolve(name);
        Safetensors.write(f, m, Map.of(), DType.F64);
        return f;
    }
}
