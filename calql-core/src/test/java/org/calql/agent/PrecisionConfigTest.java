package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.calql.config.CalQlConfig;
import org.calql.spi.Backends;
import org.calql.spi.Precision;
import org.junit.jupiter.api.Test;

/** {@code CalQlConfig.precision}: default, validation, checkpoint encoding and the agent applying it. */
class PrecisionConfigTest {
    private static CalQlConfig.Builder small() {
        return CalQlConfig.builder().observationDim(2).actionDim(1).batchSize(8).qHidden(8).policyHidden(8)
                .cqlNActions(2);
    }

    @Test
    void defaultsToFp32AndTakesPartInEquality() {
        CalQlConfig fp32 = small().build();
        CalQlConfig bf16 = small().precision(Precision.BF16).build();
        assertEquals(Precision.FP32, fp32.precision());
        assertEquals(Precision.BF16, bf16.toBuilder().build().precision());
        assertNotEquals(fp32, bf16);
        assertTrue(bf16.toString().contains("precision=BF16"), bf16.toString());
        assertFalse(fp32.toString().contains("precision"), fp32.toString());
    }

    @Test
    void nullPrecisionIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().precision(null).build());
        assertTrue(e.getMessage().contains("precision"), e.getMessage());
    }

    @Test
    void checkpointRecordsPrecisionOnlyWhenNotFp32AndReadsItBack() {
        String fp32 = ConfigCodec.encode(small().build());
        assertFalse(fp32.contains("precision"), "an FP32 config keeps the bytes it had before precision existed");
        assertEquals(Precision.FP32, ConfigCodec.decodeConfig(ConfigCodec.parse(fp32)).precision());

        CalQlConfig bf16 = small().precision(Precision.BF16).build();
        String text = ConfigCodec.encode(bf16);
        assertTrue(text.contains("precision=BF16"), text);
        assertEquals(bf16, ConfigCodec.decodeConfig(ConfigCodec.parse(text)));
    }

    @Test
    void unknownPrecisionInACheckpointIsNamed() {
        Map<String, String> m = ConfigCodec.parse(ConfigCodec.encode(small().build()));
        m.put("precision", "FP8");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigCodec.decodeConfig(m));
        assertTrue(e.getMessage().contains("precision") && e.getMessage().contains("FP8"), e.getMessage());
    }

    @Test
    void javaBackendRefusesBf16WhenTheAgentIsCreated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Agent.create(small().precision(Precision.BF16).build(), Backends.named("java")));
        assertTrue(e.getMessage().contains("BF16") && e.getMessage().contains("java"), e.getMessage());
    }
}
