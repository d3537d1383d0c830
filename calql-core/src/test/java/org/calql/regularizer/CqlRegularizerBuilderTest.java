package org.calql.regularizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CqlRegularizer.Builder#build()} rejects bad settings naming the field, the value and the rule. */
class CqlRegularizerBuilderTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("temperature", "0.0", "must be positive and finite", b -> b.temperature(0.0)),
                bad("temperature", "-1.0", "must be positive and finite", b -> b.temperature(-1.0)),
                bad("temperature", "NaN", "must be positive and finite", b -> b.temperature(Double.NaN)),
                bad("temperature", "Infinity", "must be positive and finite",
                        b -> b.temperature(Double.POSITIVE_INFINITY)),
                bad("clipDiffMin", "2.0 > 1.0", "must not exceed clipDiffMax", b -> b.clipDiff(2.0, 1.0)),
                bad("clipDiffMin", "NaN", "must be a number", b -> b.clipDiff(Double.NaN, 1.0)),
                bad("clipDiffMin", "Infinity", "must be a number below", b -> b.clipDiff(Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY)),
                bad("clipDiffMax", "NaN", "must be a number", b -> b.clipDiff(0.0, Double.NaN)),
                bad("clipDiffMax", "-Infinity", "must be a number above", b -> b.clipDiff(Double.NEGATIVE_INFINITY,
                        Double.NEGATIVE_INFINITY)));
    }

    private static Arguments bad(String field, String value, String rule, UnaryOperator<CqlRegularizer.Builder> set) {
        return Arguments.of(field, value, rule, set);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badSettings")
    void badSettingsFailAtBuild(String field, String value, String rule, UnaryOperator<CqlRegularizer.Builder> set) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> set.apply(CqlRegularizer.builder()).build());
        String m = e.getMessage();
        assertTrue(m.contains(field) && m.contains(value) && m.contains(rule),
                "message must name the field '" + field + "', the value '" + value + "' and the rule '" + rule
                        + "', was: " + m);
    }

    @Test
    void nullCalibrationIsRejected() {
        Exception e = assertThrows(RuntimeException.class,
                () -> CqlRegularizer.builder().calibration(null).build());
        assertTrue(e.getMessage().contains("calibration"), e.getMessage());
    }

    @Test
    void equalClipBoundsAndOneSidedClipsAreAccepted() {
        CqlRegularizer r = CqlRegularizer.builder().clipDiff(1.0, 1.0).build();
        assertEquals(1.0, r.clipDiffMin());
        assertEquals(1.0, r.clipDiffMax());
        CqlRegularizer lower = CqlRegularizer.builder().clipDiff(-2.0, Double.POSITIVE_INFINITY).build();
        assertEquals(Double.POSITIVE_INFINITY, lower.clipDiffMax());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        CqlRegularizer r = CqlRegularizer.builder().temperature(0.5).importanceSampling(false).clipDiff(-1.0, 2.0)
                .calibration(Calibration.lowerBound()).build();
        CqlRegularizer copy = r.toBuilder().build();
        assertEquals(0.5, copy.temperature());
        assertEquals(false, copy.importanceSampling());
        assertEquals(-1.0, copy.clipDiffMin());
        assertEquals(2.0, copy.clipDiffMax());
        assertSame(Calibration.lowerBound(), copy.calibration());
    }

    @Test
    void defaultsAreCqlAndCalQl() {
        assertSame(Calibration.none(), Regularizers.cql().calibration());
        assertSame(Calibration.lowerBound(), Regularizers.calQl().calibration());
        assertTrue(Regularizers.calQl().importanceSampling());
        assertEquals(1.0, Regularizers.calQl().temperature());
    }

    @Test
    void lowerBoundCalibrationHalvesTheGradientAtATie() {
        Calibration c = Calibration.lowerBound();
        assertEquals(2.0, c.apply(1.0, 2.0));
        assertEquals(3.0, c.apply(3.0, 2.0));
        assertEquals(0.0, c.derivative(1.0, 2.0));
        assertEquals(1.0, c.derivative(3.0, 2.0));
        assertEquals(0.5, c.derivative(2.0, 2.0));
        assertEquals(1.0, Calibration.none().derivative(-5.0, 2.0));
    }
}
