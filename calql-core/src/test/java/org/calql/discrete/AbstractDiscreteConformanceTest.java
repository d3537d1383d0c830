package org.calql.discrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.TransitionBatch;
import org.calql.spi.Backend;
import org.calql.update.AbstractConformanceTest.Tolerance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every golden discrete update case (format {@code calql-discrete-update-case/1}) on a backend and checks
 * the next actions (exactly), TD targets, losses, metrics, first-step gradients and final parameters within the
 * conformance tolerances. Backend modules subclass it; the cases come from the folder named by
 * {@code -Dcalql.conformance.discrete.dir}, else the copies bundled with calql-core's tests.
 */
public abstract class AbstractDiscreteConformanceTest {

    /** The backend under test. */
    protected abstract Backend backend();

    /** Its tolerance ({@link Tolerance#FLOAT64} or {@link Tolerance#FLOAT32}). */
    protected abstract Tolerance tolerance();

    @TestFactory
    Stream<DynamicTest> discreteConformanceCases() throws IOException {
        return DiscreteCase.loadAll().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> replay(c)));
    }

    private void replay(DiscreteCase c) {
        DiscreteConfig config = c.toConfig();
        DiscreteUpdateStep step = new DiscreteUpdateStep(config, backend());
        JsonObject initial = c.root.getAsJsonObject("initialParameters");
        DiscreteUpdateState fresh = step.exportState();
        step.importState(new DiscreteUpdateState(new CriticEnsembleState(
                DiscreteCase.networks(initial.getAsJsonArray("critics")),
                DiscreteCase.networks(initial.getAsJsonArray("targets")), fresh.critics().optimizers()), 0));
        int k = config.criticCount();
        Checker check = new Checker(c.name, tolerance());
        JsonArray steps = c.root.getAsJsonArray("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonObject s = steps.get(i).getAsJsonObject();
            DiscreteUpdateResult r = step.update(batch(config, s.getAsJsonObject("batch")));
            String at = "step " + i + " ";
            check.exact(at + "nextActions", DiscreteCase.ints(s.getAsJsonArray("nextActions")),
                    step.lastNextActions());
            check.values(at + "tdTargets", DiscreteCase.doubles(s.getAsJsonArray("tdTargets")), step.lastTdTargets());
            JsonObject losses = s.getAsJsonObject("losses");
            check.values(at + "losses.td", array(losses, "td", k), r.tdLoss());
            check.values(at + "losses.conservative", array(losses, "conservative", k), r.conservative());
            check.value(at + "losses.total", losses.get("total").getAsDouble(), r.total());
            JsonObject metrics = s.getAsJsonObject("metrics");
            check.values(at + "metrics.averageQ", array(metrics, "averageQ", k), r.averageQ());
            check.values(at + "metrics.boundRate", array(metrics, "boundRate", k), r.boundRate());
            check.value(at + "metrics.averageTargetQ", metrics.get("averageTargetQ").getAsDouble(),
                    r.averageTargetQ());
            if (s.has("gradients")) {
                double[][][] expected = DiscreteCase.networks(s.getAsJsonObject("gradients").getAsJsonArray("critics"));
                double[][][] got = step.lastGradients();
                assertEquals(k, expected.length, c.name + ": gradients of " + k + " critics expected");
                for (int j = 0; j < k; j++) {
                    check.layers(at + "gradients.critics[" + j + "]", expected[j], got[j], false);
                }
            }
        }
        JsonObject expectedFinal = c.root.getAsJsonObject("finalParameters");
        CriticEnsembleState got = step.exportState().critics();
        double[][][] critics = DiscreteCase.networks(expectedFinal.getAsJsonArray("critics"));
        double[][][] targets = DiscreteCase.networks(expectedFinal.getAsJsonArray("targets"));
        for (int j = 0; j < k; j++) {
            check.layers("final critics[" + j + "]", critics[j], got.critics()[j], true);
            check.layers("final targets[" + j + "]", targets[j], got.targets()[j], true);
        }
        assertEquals(steps.size(), step.steps(), "updates taken");
        check.finish();
    }

    private static double[] array(JsonObject o, String key, int expectedLength) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            fail("case lacks the array " + key);
        }
        double[] v = DiscreteCase.doubles(e.getAsJsonArray());
        assertEquals(expectedLength, v.length, "length of " + key);
        return v;
    }

    private static TransitionBatch batch(DiscreteConfig config, JsonObject b) {
        TransitionBatch batch = new TransitionBatch(config.batchSize(), config.observationDim(), 1);
        copy(b, "observations", batch.observations());
        copy(b, "actions", batch.actions());
        copy(b, "rewards", batch.rewards());
        copy(b, "nextObservations", batch.nextObservations());
        copy(b, "dones", batch.dones());
        copy(b, "mcReturns", batch.returnsToGo());
        return batch;
    }

    private static void copy(JsonObject o, String key, double[] into) {
        double[] values = DiscreteCase.doubles(o.getAsJsonArray(key));
        assertEquals(into.length, values.length, "length of batch." + key);
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /** Collects every mismatch and the worst |diff|/tolerance, then fails once with all of them. */
    private static final class Checker {
        private final String caseName;
        private final Tolerance tol;
        private final List<String> failures = new ArrayList<>();
        private double worstRatio;
        private String worstWhere = "-";
        private double worstParameterRatio;
        private String worstParameterWhere = "-";
        private int compared;

        Checker(String caseName, Tolerance tol) {
            this.caseName = caseName;
            this.tol = tol;
        }

        void exact(String where, int[] expected, int[] got) {
            compared += expected.length;
            if (expected.length != got.length) {
                failures.add(where + ": length " + expected.length + " expected, got " + got.length);
                return;
            }
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] != got[i]) {
                    failures.add(where + "[" + i + "]: expected " + expected[i] + ", got " + got[i]);
                }
            }
        }

        void value(String where, double expected, double got) {
            compare(where, expected, got, false);
        }

        void values(String where, double[] expected, double[] got) {
            if (expected.length != got.length) {
                failures.add(where + ": length " + expected.length + " expected, got " + got.length);
                return;
            }
            for (int i = 0; i < expected.length; i++) {
                compare(where + "[" + i + "]", expected[i], got[i], false);
            }
        }

        void layers(String where, double[][] expected, double[][] got, boolean parameters) {
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
                    compare(part + "[" + i + "]", expected[l][i], got[l][i], parameters);
                }
            }
        }

        private void compare(String where, double expected, double got, boolean parameter) {
            compared++;
            double atol = parameter ? tol.parameterAtol() : tol.atol();
            double rtol = parameter ? tol.parameterRtol() : tol.rtol();
            double bound = atol + rtol * Math.abs(expected);
            double err = Math.abs(got - expected);
            double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / bound;
            if (parameter && !(ratio <= worstParameterRatio)) {
                worstParameterRatio = ratio;
                worstParameterWhere = where;
            } else if (!parameter && !(ratio <= worstRatio)) {
                worstRatio = ratio;
                worstWhere = where;
            }
            if (!(err <= bound) && failures.size() < 40) {
                failures.add(where + ": expected " + expected + ", got " + got + " (|diff| " + err + " > " + bound
                        + ")");
            }
        }

        void finish() {
            System.out.printf("discrete conformance %s: %d values compared, worst |diff|/tolerance %.3g at %s"
                            + " (values), %.3g at %s (final parameters)%n",
                    caseName, compared, worstRatio, worstWhere, worstParameterRatio, worstParameterWhere);
            if (!failures.isEmpty()) {
                fail(caseName + ": " + failures.size() + (failures.size() >= 40 ? "+" : "") + " mismatches:\n  "
                        + String.join("\n  ", failures));
            }
        }
    }
}
