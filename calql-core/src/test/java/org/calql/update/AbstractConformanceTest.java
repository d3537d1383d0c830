package org.calql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.DrawKind;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every golden update case (format {@code calql-update-case/1}) on a backend and checks every
 * loss, metric, first-step gradient and final parameter within the conformance tolerances. Backend
 * modules subclass it; the cases come from the folder named by {@code -Dcalql.conformance.dir}, else
 * the copies bundled with calql-core's tests.
 */
public abstract class AbstractConformanceTest {

    /** {@code |got − expected| ≤ atol + rtol·|expected|}, one pair for values and one for final parameters. */
    public record Tolerance(double atol, double rtol, double parameterAtol, double parameterRtol) {
        /** A float64 implementation: 1e-9 + 1e-6·|expected| everywhere. */
        public static final Tolerance FLOAT64 = new Tolerance(1e-9, 1e-6, 1e-9, 1e-6);
        /** A float32 implementation: 1e-5 + 1e-3·|expected|, and 1e-3 absolute for final parameters. */
        public static final Tolerance FLOAT32 = new Tolerance(1e-5, 1e-3, 1e-3, 0.0);
    }

    /** The backend under test. */
    protected abstract Backend backend();

    /** Its tolerance. */
    protected abstract Tolerance tolerance();

    @TestFactory
    Stream<DynamicTest> conformanceCases() throws IOException {
        return ConformanceCase.loadAll().stream()
                .map(c -> DynamicTest.dynamicTest(c.name, () -> replay(c)));
    }

    private void replay(ConformanceCase c) {
        CalQlConfig config = c.toConfig();
        ReplayedDraws draws = new ReplayedDraws();
        UpdateStep step = new UpdateStep(config, backend(), draws);
        step.importParameters(ConformanceCase.parameters(c.root.getAsJsonObject("initialParameters")));
        Checker check = new Checker(c.name, tolerance());
        JsonArray steps = c.root.getAsJsonArray("steps");
        int s = config.observationDim();
        int a = config.actionDim();
        for (int i = 0; i < steps.size(); i++) {
            JsonObject stepCase = steps.get(i).getAsJsonObject();
            TransitionBatch batch = batch(config, stepCase.getAsJsonObject("batch"));
            draws.load(stepCase.getAsJsonObject("draws"));
            UpdateResult r = step.update(batch);
            draws.assertAllUsed(c.name + " step " + i);
            String at = "step " + i + " ";
            JsonObject losses = stepCase.getAsJsonObject("losses");
            for (int k = 0; k < 2; k++) {
                check.value(at + "losses.qf" + (k + 1), losses, "qf" + (k + 1), r.tdLoss()[k]);
                check.value(at + "losses.cqlQf" + (k + 1) + "Diff", losses, "cqlQf" + (k + 1) + "Diff",
                        r.conservativeGap()[k]);
                check.value(at + "losses.cqlMinQf" + (k + 1) + "Loss", losses, "cqlMinQf" + (k + 1) + "Loss",
                        r.conservativeLoss()[k]);
            }
            check.value(at + "losses.policy", losses, "policy", r.policyLoss());
            check.value(at + "losses.alpha", losses, "alpha", r.alphaLoss());
            check.value(at + "losses.alphaPrime", losses, "alphaPrime", r.alphaPrimeLoss());
            JsonObject metrics = stepCase.getAsJsonObject("metrics");
            check.value(at + "metrics.alpha", metrics, "alpha", r.alpha());
            check.value(at + "metrics.alphaPrime", metrics, "alphaPrime", r.alphaPrime());
            check.value(at + "metrics.logPi", metrics, "logPi", r.logPi());
            check.value(at + "metrics.averageTargetQ", metrics, "averageTargetQ", r.averageTargetQ());
            for (int k = 0; k < 2; k++) {
                String q = "Q" + (k + 1);
                check.value(at + "metrics.averageQf" + (k + 1), metrics, "averageQf" + (k + 1), r.averageQ()[k]);
                check.value(at + "metrics.boundRate" + q + "CurrentActions", metrics,
                        "boundRate" + q + "CurrentActions", r.boundRateCurrent()[k]);
                check.value(at + "metrics.boundRate" + q + "NextActions", metrics,
                        "boundRate" + q + "NextActions", r.boundRateNext()[k]);
            }
            if (stepCase.has("gradients")) {
                checkGradients(check, at, stepCase.getAsJsonObject("gradients"), step.lastGradients());
            }
        }
        ModelParameters expected = ConformanceCase.parameters(c.root.getAsJsonObject("finalParameters"));
        ModelParameters got = step.exportParameters();
        for (int k = 0; k < 2; k++) {
            check.parameterLayers("final q" + (k + 1), expected.critics()[k], got.critics()[k]);
            check.parameterLayers("final q" + (k + 1) + "Target", expected.targetCritics()[k], got.targetCritics()[k]);
        }
        check.parameterLayers("final policy", expected.policy(), got.policy());
        check.parameter("final logStdMultiplier", TanhParameters.multiplier(expected), TanhParameters.multiplier(got));
        check.parameter("final logStdOffset", TanhParameters.offset(expected), TanhParameters.offset(got));
        if (config.autoEntropy()) {
            check.parameter("final logAlpha", expected.logAlpha(), got.logAlpha());
        }
        check.parameter("final logAlphaPrime", expected.logAlphaPrime(), got.logAlphaPrime());
        check.finish();
    }

    private static void checkGradients(Checker check, String at, JsonObject g, ModelParameters got) {
        for (int k = 0; k < 2; k++) {
            check.layers(at + "gradients.q" + (k + 1), ConformanceCase.layers(g.getAsJsonArray("q" + (k + 1))),
                    got.critics()[k]);
        }
        JsonObject policy = g.getAsJsonObject("policy");
        check.layers(at + "gradients.policy", ConformanceCase.layers(policy.getAsJsonArray("layers")),
                TanhParameters.network(got.policy()));
        check.value(at + "gradients.policy.logStdMultiplier", policy, "logStdMultiplier", TanhParameters.multiplier(got));
        check.value(at + "gradients.policy.logStdOffset", policy, "logStdOffset", TanhParameters.offset(got));
        if (g.has("logAlpha") && !g.get("logAlpha").isJsonNull()) {
            check.value(at + "gradients.logAlpha", g, "logAlpha", got.logAlpha());
        }
        if (g.has("logAlphaPrime") && !g.get("logAlphaPrime").isJsonNull()) {
            check.value(at + "gradients.logAlphaPrime", g, "logAlphaPrime", got.logAlphaPrime());
        }
    }

    private static TransitionBatch batch(CalQlConfig config, JsonObject b) {
        TransitionBatch batch = new TransitionBatch(config.batchSize(), config.observationDim(), config.actionDim());
        copy(b, "observations", batch.observations());
        copy(b, "actions", batch.actions());
        copy(b, "rewards", batch.rewards());
        copy(b, "nextObservations", batch.nextObservations());
        copy(b, "dones", batch.dones());
        copy(b, "mcReturns", batch.returnsToGo());
        return batch;
    }

    private static void copy(JsonObject o, String key, double[] into) {
        double[] values = ConformanceCase.doubles(o.getAsJsonArray(key));
        assertEquals(into.length, values.length, "length of batch." + key);
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /** Hands out the case's recorded draws; checks each is asked for once with the recorded length. */
    private static final class ReplayedDraws implements UpdateDraws {
        private final Map<DrawKind, double[]> values = new EnumMap<>(DrawKind.class);
        private static final Map<DrawKind, String> KEYS = Map.of(DrawKind.POLICY_NOISE, "policyNoise",
                DrawKind.TARGET_NOISE, "targetNoise", DrawKind.RANDOM_ACTIONS, "randomActions",
                DrawKind.CURRENT_NOISE, "currentNoise", DrawKind.NEXT_NOISE, "nextNoise");

        void load(JsonObject draws) {
            values.clear();
            for (DrawKind kind : DrawKind.values()) {
                values.put(kind, ConformanceCase.doubles(draws.getAsJsonArray(KEYS.get(kind))));
            }
        }

        @Override
        public void fill(DrawKind kind, double[] out, int count) {
            double[] v = values.remove(kind);
            if (v == null) {
                fail("draw " + kind + " asked for twice in one step, or not recorded");
            }
            assertEquals(v.length, count, "length of draw " + KEYS.get(kind));
            System.arraycopy(v, 0, out, 0, count);
        }

        void assertAllUsed(String where) {
            assertTrue(values.isEmpty(), where + ": draws not used: " + values.keySet());
        }
    }

    /** Collects every mismatch and the worst relative error, then fails once with all of them. */
    private static final class Checker {
        private final String caseName;
        private final Tolerance tol;
        private final List<String> failures = new ArrayList<>();
        private double worstRatio;
        private String worstWhere = "-";
        private int compared;

        Checker(String caseName, Tolerance tol) {
            this.caseName = caseName;
            this.tol = tol;
        }

        void value(String where, JsonObject o, String key, double got) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                failures.add(where + ": missing in case");
                return;
            }
            compare(where, e.getAsDouble(), got, tol.atol(), tol.rtol());
        }

        void layers(String where, double[][] expected, double[][] got) {
            compareLayers(where, expected, got, tol.atol(), tol.rtol());
        }

        void parameterLayers(String where, double[][] expected, double[][] got) {
            compareLayers(where, expected, got, tol.parameterAtol(), tol.parameterRtol());
        }

        void parameter(String where, double expected, double got) {
            compare(where, expected, got, tol.parameterAtol(), tol.parameterRtol());
        }

        private void compareLayers(String where, double[][] expected, double[][] got, double atol, double rtol) {
            if (expected.length != got.length) {
                failures.add(where + ": " + expected.length + " arrays expected, got " + got.length);
                return;
            }
            for (int l = 0; l < expected.length; l++) {
                String part = where + (l % 2 == 0 ? ".weight" : ".bias") + "[layer " + l / 2 + "]";
                if (expected[l].length != got[l].length) {
                    failures.add(part + ": length " + expected[l].length + " expected, got " + got[l].length);
                    continue;
                }
                for (int i = 0; i < expected[l].length; i++) {
                    compare(part + "[" + i + "]", expected[l][i], got[l][i], atol, rtol);
                }
            }
        }

        private void compare(String where, double expected, double got, double atol, double rtol) {
            compared++;
            double bound = atol + rtol * Math.abs(expected);
            double err = Math.abs(got - expected);
            double ratio = err / bound;
            if (!(ratio <= worstRatio)) {
                worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                worstWhere = where;
            }
            if (!(err <= bound) && failures.size() < 40) {
                failures.add(where + ": expected " + expected + ", got " + got + " (|diff| " + err + " > " + bound + ")");
            }
        }

        void finish() {
            System.out.printf("conformance %s: %d values compared, worst |diff|/tolerance %.3g at %s%n",
                    caseName, compared, worstRatio, worstWhere);
            if (!failures.isEmpty()) {
                fail(caseName + ": " + failures.size() + (failures.size() >= 40 ? "+" : "") + " mismatches:\n  "
                        + String.join("\n  ", failures));
            }
        }
    }
}
