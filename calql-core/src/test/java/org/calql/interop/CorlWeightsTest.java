package org.calql.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.data.TransitionBatch;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Network;
import org.calql.spi.Workspace;
import org.calql.update.ModelParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorlWeightsTest {
    private static final Backend JAVA = Backends.named("java");
    /** torch computes in float32: a few ulps of float over 4 layers. */
    private static final double TORCH_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    static CalQlConfig.Builder tiny() {
        return CalQlConfig.builder().observationDim(3).actionDim(2).policyHidden(8, 8, 8).qHidden(8, 8)
                .criticEnsembleSize(2).maxAction(2.0).batchSize(8).seed(7);
    }

    private static double[] q(Network net, double[] obs, double[] act) {
        Workspace ws = net.newWorkspace(1);
        double[] out = new double[1];
        net.forward(ws, obs, act, act.length, 1, 1, out);
        return out;
    }

    private static void assertMatchesTorch(Agent agent, JsonObject expected) {
        double[][] obs = InteropFiles.matrix(expected.getAsJsonArray("observations"));
        double[][] acts = InteropFiles.matrix(expected.getAsJsonArray("actions"));
        double[][] det = InteropFiles.matrix(expected.getAsJsonArray("deterministicActions"));
        String[] names = {"critic1", "critic2", "critic1_target", "critic2_target"};
        for (int r = 0; r < obs.length; r++) {
            assertArrayEquals(det[r], agent.act(obs[r]), TORCH_TOLERANCE, "deterministic action, row " + r);
            for (int n = 0; n < names.length; n++) {
                Network net = n < 2 ? agent.critics().critic(n) : agent.critics().target(n - 2);
                double want = expected.getAsJsonArray("q_" + names[n]).get(r).getAsDouble();
                assertEquals(want, q(net, obs[r], acts[r])[0], TORCH_TOLERANCE, names[n] + " Q, row " + r);
            }
        }
    }

    @Test
    void corlCheckpointImportsWithTorchsForwardPassAndScalars() throws IOException {
        JsonObject expected = InteropFiles.json("corl-tiny.json");
        Agent agent = CorlWeights.importSafetensors(InteropFiles.resource("corl-tiny.safetensors"), tiny().build(),
                JAVA);
        assertMatchesTorch(agent, expected);
        TanhGaussianPolicy policy = (TanhGaussianPolicy) agent.trainedPolicy();
        assertEquals(1.25, policy.logStdMultiplier(), 0.0);
        assertEquals(-0.75, policy.logStdOffset(), 0.0);
        ModelParameters p = agent.exportParameters();
        assertEquals(-0.5, p.logAlpha(), 0.0);
        assertEquals((double) 0.3f, p.logAlphaPrime(), 0.0);
        assertTrue(agent.normalizer().isIdentity(), "a CORL file has no normaliser");
    }

    @Test
    void architectureIsInferredFromTheFile() throws IOException {
        SafetensorsFile f = Safetensors.read(InteropFiles.resource("corl-tiny.safetensors"));
        CalQlConfig c = CorlWeights.architecture("f", f.tensors(), CalQlConfig.builder().maxAction(2.0)).build();
        assertEquals(3, c.observationDim());
        assertEquals(2, c.actionDim());
        assertArrayEquals(new int[] {8, 8, 8}, c.policyHidden());
        assertArrayEquals(new int[] {8, 8}, c.qHidden());
        assertEquals(2, c.criticEnsembleSize());
        assertTrue(c.autoEntropy());
    }

    @Test
    void importFineTuneExportAndParseBack() throws IOException {
        Agent agent = CorlWeights.importSafetensors(InteropFiles.resource("corl-tiny.safetensors"), tiny().build(),
                JAVA);
        ModelParameters before = agent.exportParameters();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int u = 0; u < 5; u++) {
            TransitionBatch b = new TransitionBatch(8, 3, 2);
            fill(b.observations(), rnd, 1.0);
            fill(b.nextObservations(), rnd, 1.0);
            fill(b.actions(), rnd, 1.9);
            fill(b.rewards(), rnd, 1.0);
            fill(b.returnsToGo(), rnd, 5.0);
            agent.update(b);
        }
        ModelParameters after = agent.exportParameters();
        assertNotEquals(before.critics()[0][0][0], after.critics()[0][0][0], "fine-tuning changed the critics");
        assertNotEquals(before.policy()[0][0], after.policy()[0][0], "fine-tuning changed the actor");

        Path f = dir.resolve("tuned.safetensors");
        CorlWeights.exportSafetensors(agent, f, ExportOptions.defaults());
        SafetensorsFile back = Safetensors.read(f);
        SafetensorsFile original = Safetensors.read(InteropFiles.resource("corl-tiny.safetensors"));
        assertEquals(original.tensors().keySet(), back.tensors().keySet(), "the same CORL keys as the torch file");
        for (String key : original.tensors().keySet()) {
            assertArrayEquals(original.tensors().get(key).shape(), back.tensors().get(key).shape(), key);
            assertEquals(DType.F32, back.dtypes().get(key));
        }
        assertEquals((float) after.policy()[0][0], back.tensors().get("actor.base_network.0.weight").values()[0], 0.0);
        assertEquals(CorlWeights.FORMAT, back.metadata().get("format"));
        assertEquals("2.0", back.metadata().get("maxAction"));
        assertFalse(back.metadata().containsKey("actionLow"));

        Agent again = CorlWeights.importSafetensors(f, tiny().build(), JAVA);
        double[] obs = {0.5, -1.0, 0.25};
        assertArrayEquals(agent.act(obs), again.act(obs), 1e-5, "the export imports back (F32)");
    }

    @Test
    void f64ExportWithNormaliserAndBoxRoundTripsExactly() throws IOException {
        Agent agent = Agent.create(tiny().build(), JAVA);
        ModelParameters p = agent.exportParameters();
        ObservationNormalizer n = ObservationNormalizer.of(new double[] {0.5, -1, 2}, new double[] {1.5, 0.25, 3});
        agent.importParameters(p, n);
        Path f = dir.resolve("a.safetensors");
        CorlWeights.exportSafetensors(agent, f, ExportOptions.defaults().withDtype(DType.F64)
                .withActionBox(new double[] {-1, 0}, new double[] {3, 0.5}));
        SafetensorsFile r = Safetensors.read(f);
        assertArrayEquals(new double[] {0.5, -1, 2}, r.tensors().get(CorlWeights.OBS_MEAN).values(), 0.0);
        assertArrayEquals(new double[] {1.5, 0.25, 3}, r.tensors().get(CorlWeights.OBS_STD).values(), 0.0);
        assertEquals("[-1.0, 0.0]", r.metadata().get("actionLow"));
        assertEquals("[3.0, 0.5]", r.metadata().get("actionHigh"));
        double[][] box = CorlWeights.actionBox("f", r.metadata(), 2);
        assertArrayEquals(new double[] {-1, 0}, box[0], 0.0);
        Agent back = CorlWeights.importSafetensors(f, tiny().build(), JAVA);
        ModelParameters q = back.exportParameters();
        assertArrayEquals(p.policy()[2], q.policy()[2], 0.0);
        assertArrayEquals(p.critics()[1][4], q.critics()[1][4], 0.0);
        assertArrayEquals(p.targetCritics()[0][1], q.targetCritics()[0][1], 0.0);
        assertArrayEquals(n.std(), back.normalizer().std(), 0.0);
        double[] obs = {0.3, 0.1, -2};
        assertArrayEquals(agent.act(obs), back.act(obs), 0.0);

        CorlWeights.exportSafetensors(agent, f, ExportOptions.defaults()
                .withActionBox(new double[] {-2, -2}, new double[] {2, 2}));
        assertNull(Safetensors.read(f).metadata().get("actionLow"), "a symmetric box is maxAction alone");
    }

    @Test
    void npzExportHasTheSameKeysAndValues() throws IOException {
        Agent agent = CorlWeights.importSafetensors(InteropFiles.resource("corl-tiny.safetensors"), tiny().build(),
                JAVA);
        Path f = dir.resolve("w.npz");
        CorlWeights.exportNpz(agent, f, ExportOptions.defaults());
        Map<String, TensorData> npz = Npz.read(f);
        SafetensorsFile original = Safetensors.read(InteropFiles.resource("corl-tiny.safetensors"));
        assertEquals(original.tensors(), npz, "F32 values survive F32 → double → F32 exactly");
    }

    @Test
    void perModuleFilesImportWithTargetsCopiedFromCritics() throws IOException {
        Agent agent = CorlWeights.importModules(InteropFiles.resource("corl-actor.safetensors"),
                List.of(InteropFiles.resource("corl-critic1.safetensors"),
                        InteropFiles.resource("corl-critic2.safetensors")), null, tiny().build(), JAVA);
        JsonObject expected = InteropFiles.json("corl-tiny.json");
        double[][] obs = InteropFiles.matrix(expected.getAsJsonArray("observations"));
        double[][] det = InteropFiles.matrix(expected.getAsJsonArray("deterministicActions"));
        assertArrayEquals(det[1], agent.act(obs[1]), TORCH_TOLERANCE);
        ModelParameters p = agent.exportParameters();
        assertArrayEquals(p.critics()[1][0], p.targetCritics()[1][0], 0.0);
        assertEquals(tiny().build().initLogAlphaPrime(), p.logAlphaPrime(), 0.0);
    }

    @Test
    void trainerAttributeNamesAreAcceptedAsAliases() throws IOException {
        SafetensorsFile f = Safetensors.read(InteropFiles.resource("corl-tiny.safetensors"));
        Map<String, TensorData> renamed = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> renamed.put(k.replaceFirst("^critic(\\d)_target\\.", "target_critic_$1.")
                .replaceFirst("^critic(\\d)\\.", "critic_$1.").replaceFirst("^sac_log_alpha\\.", "log_alpha.")
                .replaceFirst("^cql_log_alpha\\.", "log_alpha_prime."), v));
        assertTrue(renamed.containsKey("target_critic_2.network.4.bias"));
        Agent agent = CorlWeights.importTensors("renamed", renamed, Map.of(), tiny().build(), JAVA);
        assertMatchesTorch(agent, InteropFiles.json("corl-tiny.json"));
    }

    private static String refused(Map<String, TensorData> t, Map<String, String> meta, CalQlConfig c) {
        IOException e = assertThrows(IOException.class, () -> CorlWeights.importTensors("file.safetensors", t, meta,
                c, JAVA));
        assertTrue(e.getMessage().startsWith("file.safetensors: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusesShapesThatDisagreeWithTheConfigNamingKeyAndBothShapes() throws IOException {
        Map<String, TensorData> t = Safetensors.read(InteropFiles.resource("corl-tiny.safetensors")).tensors();
        String m = refused(t, Map.of(), tiny().qHidden(8, 9).build());
        assertTrue(m.contains("key critic1.network.2.weight has shape [8, 8], the config expects [9, 8]"), m);
        m = refused(t, Map.of(), tiny().observationDim(4).build());
        assertTrue(m.contains("key actor.base_network.0.weight has shape [8, 3], the config expects [8, 4]"), m);
    }

    @Test
    void refusesMissingAndUnknownKeysAndBadScalars() throws IOException {
        Map<String, TensorData> t = new LinkedHashMap<>(
                Safetensors.read(InteropFiles.resource("corl-tiny.safetensors")).tensors());
        Map<String, TensorData> missing = new LinkedHashMap<>(t);
        missing.remove("critic2_target.network.4.bias");
        assertTrue(refused(missing, Map.of(), tiny().build()).contains("missing key critic2_target.network.4.bias"));
        Map<String, TensorData> extra = new LinkedHashMap<>(t);
        extra.put("critic3.network.0.weight", new TensorData(new int[] {8, 5}, new double[40]));
        String m = refused(extra, Map.of(), tiny().build());
        assertTrue(m.contains("key critic3.network.0.weight is not part of this config's layout"), m);
        Map<String, TensorData> noAlpha = new LinkedHashMap<>(t);
        noAlpha.remove(CorlWeights.LOG_ALPHA);
        assertTrue(refused(noAlpha, Map.of(), tiny().build()).contains("missing key sac_log_alpha.constant"));
        Map<String, TensorData> badScalar = new LinkedHashMap<>(t);
        badScalar.put(CorlWeights.LOG_STD_OFFSET, TensorData.vector(new double[] {1, 2}));
        assertTrue(refused(badScalar, Map.of(), tiny().build()).contains("key actor.log_std_offset.constant has "
                + "shape [2]"));
        Map<String, TensorData> halfNormaliser = new LinkedHashMap<>(t);
        halfNormaliser.put(CorlWeights.OBS_MEAN, TensorData.vector(new double[] {0, 0, 0}));
        assertTrue(refused(halfNormaliser, Map.of(), tiny().build()).contains("missing key obs_std"));
        Map<String, TensorData> zeroStd = new LinkedHashMap<>(halfNormaliser);
        zeroStd.put(CorlWeights.OBS_STD, TensorData.vector(new double[] {1, 0, 1}));
        assertTrue(refused(zeroStd, Map.of(), tiny().build()).contains("key obs_std [1] = 0.0 must be positive"));
    }

    @Test
    void refusesMetadataThatDisagrees() throws IOException {
        Map<String, TensorData> t = Safetensors.read(InteropFiles.resource("corl-tiny.safetensors")).tensors();
        String m = refused(t, Map.of("maxAction", "1.0"), tiny().build());
        assertTrue(m.contains("metadata maxAction = 1.0, the config has maxAction 2.0"), m);
        m = refused(t, Map.of("actionLow", "[0, 1]", "actionHigh", "[1, 1]"), tiny().build());
        assertTrue(m.contains("[1] must be finite with low < high"), m);
        m = refused(t, Map.of("actionLow", "[0]", "actionHigh", "[1]"), tiny().build());
        assertTrue(m.contains("metadata actionLow holds 1 values, the actions have 2"), m);
        m = refused(t, Map.of("maxAction", "big"), tiny().build());
        assertTrue(m.contains("metadata maxAction = \"big\" is not a number"), m);
    }

    private static void fill(double[] a, SplittableRandom r, double scale) {
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * (2 * r.nextDouble() - 1);
        }
    }
}
