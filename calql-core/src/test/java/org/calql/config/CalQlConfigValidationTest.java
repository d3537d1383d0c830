package org.calql.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad value fails in {@link CalQlConfig.Builder#build()} with a message naming the field, the value and
 * the rule.
 */
class CalQlConfigValidationTest {

    private static CalQlConfig.Builder valid() {
        return CalQlConfig.builder().observationDim(3).actionDim(2);
    }

    /** The double-valued setters, with the rule phrase their message must contain. */
    private static final Map<String, BiConsumer<CalQlConfig.Builder, Double>> DOUBLE_FIELDS = Map.ofEntries(
            Map.entry("maxAction", CalQlConfig.Builder::maxAction),
            Map.entry("discount", CalQlConfig.Builder::discount),
            Map.entry("tau", CalQlConfig.Builder::tau),
            Map.entry("qfLr", CalQlConfig.Builder::qfLr),
            Map.entry("policyLr", CalQlConfig.Builder::policyLr),
            Map.entry("alphaMultiplier", CalQlConfig.Builder::alphaMultiplier),
            Map.entry("targetEntropy", CalQlConfig.Builder::targetEntropy),
            Map.entry("initLogAlpha", CalQlConfig.Builder::initLogAlpha),
            Map.entry("logStdMultiplier", CalQlConfig.Builder::logStdMultiplier),
            Map.entry("logStdOffset", CalQlConfig.Builder::logStdOffset),
            Map.entry("cqlAlpha", CalQlConfig.Builder::cqlAlpha),
            Map.entry("targetActionGap", CalQlConfig.Builder::targetActionGap),
            Map.entry("initLogAlphaPrime", CalQlConfig.Builder::initLogAlphaPrime));

    private static final Map<String, String> DOUBLE_RULES = Map.ofEntries(
            Map.entry("maxAction", "must be positive and finite"),
            Map.entry("discount", "must lie in [0, 1)"),
            Map.entry("tau", "must lie in (0, 1]"),
            Map.entry("qfLr", "must be positive and finite"),
            Map.entry("policyLr", "must be positive and finite"),
            Map.entry("alphaMultiplier", "must be finite and not negative"),
            Map.entry("targetEntropy", "must be finite"),
            Map.entry("initLogAlpha", "must be finite"),
            Map.entry("logStdMultiplier", "must be finite"),
            Map.entry("logStdOffset", "must be finite"),
            Map.entry("cqlAlpha", "must be finite and not negative"),
            Map.entry("targetActionGap", "must be finite"),
            Map.entry("initLogAlphaPrime", "must be finite"));

    static Stream<Arguments> badValues() {
        List<Arguments> cases = new ArrayList<>();
        // sizes
        cases.add(bad("observationDim", "0", "must be positive", b -> b.observationDim(0)));
        cases.add(bad("observationDim", "-3", "must be positive", b -> b.observationDim(-3)));
        cases.add(bad("actionDim", "0", "must be positive", b -> b.actionDim(0)));
        cases.add(bad("actionDim", "-1", "must be positive", b -> b.actionDim(-1)));
        cases.add(bad("batchSize", "0", "must be positive", b -> b.batchSize(0)));
        cases.add(bad("batchSize", "-256", "must be positive", b -> b.batchSize(-256)));
        cases.add(bad("cqlNActions", "0", "must be positive", b -> b.cqlNActions(0)));
        cases.add(bad("targetUpdatePeriod", "0", "must be positive", b -> b.targetUpdatePeriod(0)));
        cases.add(bad("criticEnsembleSize", "1", "must be at least 2", b -> b.criticEnsembleSize(1)));
        cases.add(bad("criticEnsembleSize", "0", "must be at least 2", b -> b.criticEnsembleSize(0)));
        cases.add(bad("qHidden", "[]", "at least one hidden layer", b -> b.qHidden()));
        cases.add(bad("policyHidden", "[]", "at least one hidden layer", b -> b.policyHidden()));
        cases.add(bad("qHidden[1]", "0", "must be positive", b -> b.qHidden(8, 0)));
        cases.add(bad("policyHidden[0]", "-4", "must be positive", b -> b.policyHidden(-4, 8)));
        cases.add(bad("bcSteps", "-1", "must not be negative", b -> b.bcSteps(-1)));
        // ranges
        cases.add(bad("discount", "1.0", "must lie in [0, 1)", b -> b.discount(1.0)));
        cases.add(bad("discount", "-0.1", "must lie in [0, 1)", b -> b.discount(-0.1)));
        cases.add(bad("tau", "0.0", "must lie in (0, 1]", b -> b.tau(0.0)));
        cases.add(bad("tau", "1.5", "must lie in (0, 1]", b -> b.tau(1.5)));
        cases.add(bad("maxAction", "0.0", "must be positive", b -> b.maxAction(0.0)));
        cases.add(bad("maxAction", "-1.0", "must be positive", b -> b.maxAction(-1.0)));
        cases.add(bad("qfLr", "0.0", "must be positive", b -> b.qfLr(0.0)));
        cases.add(bad("policyLr", "-1.0E-4", "must be positive", b -> b.policyLr(-1e-4)));
        cases.add(bad("alphaMultiplier", "-0.5", "not negative", b -> b.alphaMultiplier(-0.5)));
        cases.add(bad("cqlAlpha", "-5.0", "not negative", b -> b.cqlAlpha(-5.0)));
        // NaN and infinities in every double field
        for (Map.Entry<String, BiConsumer<CalQlConfig.Builder, Double>> f : DOUBLE_FIELDS.entrySet()) {
            String field = f.getKey();
            String rule = DOUBLE_RULES.get(field);
            for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                cases.add(bad(field, String.valueOf(v), rule, b -> f.getValue().accept(b, v)));
            }
        }
        // nulls
        cases.add(bad("initialization", "null", "must not be null", b -> b.initialization(null)));
        cases.add(bad("regularizer", "null", "must not be null", b -> b.regularizer(null)));
        cases.add(bad("referenceValues", "null", "must not be null", b -> b.referenceValues(null)));
        return cases.stream();
    }

    private static Arguments bad(String field, String value, String rule, Consumer<CalQlConfig.Builder> set) {
        return Arguments.of(field, value, rule, set);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void badValueFailsAtBuildNamingFieldValueAndRule(String field, String value, String rule,
                                                     Consumer<CalQlConfig.Builder> set) {
        CalQlConfig.Builder b = valid();
        set.accept(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        String m = e.getMessage();
        assertTrue(m.startsWith(field + " ") || m.contains(" " + field + " "),
                "message must name the field '" + field + "': " + m);
        assertTrue(m.contains(rule), "message must state the rule '" + rule + "': " + m);
        if (!value.equals("null")) {
            assertTrue(m.contains("found " + value), "message must give the value '" + value + "': " + m);
        }
    }

    @Test
    void requiredDimensionsMustBeSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalQlConfig.builder().build());
        assertTrue(e.getMessage().contains("observationDim"), e.getMessage());
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertDoesNotThrow(() -> valid().discount(0.0).tau(1.0).criticEnsembleSize(2).bcSteps(0).cqlAlpha(0.0)
                .alphaMultiplier(0.0).qHidden(1).policyHidden(1).batchSize(1).cqlNActions(1).build());
        assertDoesNotThrow(() -> valid().discount(Math.nextDown(1.0)).tau(Double.MIN_VALUE).build());
    }

    @Test
    void unsetTargetEntropyDefaultsToMinusActionDim() {
        assertEquals(-2.0, valid().build().targetEntropy());
        assertEquals(0.5, valid().targetEntropy(0.5).build().targetEntropy());
    }

    @Test
    void hiddenWidthsAreCopiedIn() {
        int[] hidden = {8, 8};
        CalQlConfig c = valid().qHidden(hidden).build();
        hidden[0] = -1;
        assertEquals(8, c.qHidden()[0], "the config must not share the caller's array");
        c.qHidden()[1] = -1;
        assertEquals(8, c.qHidden()[1], "the getter must return a copy");
        assertNotSame(c.qHidden(), c.qHidden());
    }

    @Test
    void toBuilderRoundTrips() {
        CalQlConfig c = valid().batchSize(7).discount(0.5).tau(0.2).lagrange(true).bcSteps(3).seed(42L)
                .targetEntropy(-1.5).qHidden(4, 5).build();
        CalQlConfig copy = c.toBuilder().build();
        assertEquals(c, copy);
        assertEquals(c.hashCode(), copy.hashCode());
        assertEquals(c.toString(), copy.toString());
    }
}
