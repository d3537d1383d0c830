package org.calql.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.calql.discrete.DiscreteConfig;
import org.calql.spi.Initialization;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The bounds of {@link Limits}: the issue's failing configs are refused at build, naming field, value and rule. */
class ConfigBoundsTest {
    private static CalQlConfig.Builder valid() {
        return CalQlConfig.builder().observationDim(3).actionDim(2);
    }

    private static void refused(Supplier<?> build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message must contain '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void theIssuesConfigsAreRefusedUnderTheirOwnNames() {
        refused(() -> valid().cqlNActions(Integer.MAX_VALUE).build(), "cqlNActions = 2147483647", "Java array");
        refused(() -> valid().cqlNActions(100_000_000).build(), "cqlNActions = 100000000 and batchSize = 256",
                "stacked rows");
        refused(() -> valid().qHidden(100_000, 100_000).build(), "qHidden[1] = 100000", "Java array");
        refused(() -> valid().initialization(Initialization.PYTORCH_DEFAULT).qHidden(20_000, 20_000).build(),
                "qHidden = [20000, 20000]", "ceiling of 32.0 GiB");
        refused(() -> valid().qHidden(100_000).build(), "qHidden = [100000]", "ORTHOGONAL", "ceiling");
        refused(() -> valid().criticEnsembleSize(100_000).build(), "criticEnsembleSize must be at most 64",
                "found 100000");
        refused(() -> valid().maxAction(1e300).build(), "maxAction must be at most 1000000.0", "found 1.0E300");
        refused(() -> valid().qfLr(1e300).build(), "qfLr must be at most 1.0", "found 1.0E300");
        refused(() -> valid().policyLr(1.5).build(), "policyLr must be at most 1.0", "found 1.5");
        refused(() -> valid().initLogAlpha(1e10).build(), "initLogAlpha must lie in [-20.0, 20.0]", "found 1.0E10");
        refused(() -> valid().initLogAlphaPrime(-21).build(), "initLogAlphaPrime must lie in [-20.0, 20.0]",
                "found -21.0");
        refused(() -> valid().cqlAlpha(2e6).build(), "cqlAlpha must be at most 1000000.0", "found 2000000.0");
        refused(() -> valid().logStdOffset(1e3).build(), "logStdOffset must lie in [-100.0, 100.0]");
        refused(() -> valid().qHidden(new int[65]).build(), "qHidden[0] must be positive");
        int[] deep = new int[65];
        java.util.Arrays.fill(deep, 2);
        refused(() -> valid().qHidden(deep).build(), "qHidden must have at most 64 hidden layers", "found 65");
        refused(() -> TrainingConfig.builder().updatesPerEnvironmentStep(100_000).build(),
                "updatesPerEnvironmentStep must be at most 1000", "found 100000");
        refused(() -> TrainingConfig.builder().replayCapacity(Integer.MAX_VALUE).build(),
                "replayCapacity must be at most 100000000", "found 2147483647");
        refused(() -> TrainingConfig.builder().rewardScale(1e300).build(), "rewardScale must lie in");
        refused(() -> TrainingConfig.builder().onlineCqlAlpha(1e300).build(), "onlineCqlAlpha must be at most");
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertDoesNotThrow(() -> valid().maxAction(1e6).qfLr(1).policyLr(1).initLogAlpha(20).initLogAlphaPrime(-20)
                .criticEnsembleSize(64).cqlAlpha(1e6).alphaMultiplier(1e6).logStdMultiplier(-100).logStdOffset(100)
                .qHidden(2).policyHidden(2).batchSize(1).cqlNActions(1).build());
        assertDoesNotThrow(() -> TrainingConfig.builder().updatesPerEnvironmentStep(1000).replayCapacity(100_000_000)
                .rewardScale(-1e6).rewardBias(1e6).divergenceThreshold(Double.POSITIVE_INFINITY).build());
    }

    @Test
    void replayColumnsAndTheHeapAreCheckedAtCreation() {
        TrainingConfig big = TrainingConfig.builder().replayCapacity(100_000_000).build();
        refused(() -> big.replayBytes(100, 2), "replayCapacity = 100000000 with observationDim = 100", "Java array");
        CalQlConfig c = valid().build();
        assertTrue(c.estimatedBytes() > 0 && c.estimatedBytes() < (512L << 20), "default estimate " + c.estimatedBytes());
        assertDoesNotThrow(() -> c.requireFitsHeap(0, 4L << 30));
        refused(() -> {
            c.requireFitsHeap(big.replayBytes(3, 2), 1L << 30);
            return null;
        }, "replayCapacity", "heap's maximum of 1.00 GiB", "-Xmx");
        CalQlConfig pytorch = valid().initialization(Initialization.PYTORCH_DEFAULT).qHidden(100_000).batchSize(1)
                .cqlNActions(1).build();
        refused(() -> {
            pytorch.requireFitsHeap(0, 64L << 20);
            return null;
        }, "qHidden = [100000]", "too large for this JVM");
    }

    @Test
    void discreteConfigBounds() {
        DiscreteConfig.Builder b = DiscreteConfig.builder().observationDim(2).numActions(3);
        refused(() -> b.criticCount(65).build(), "criticCount must be at most 64", "found 65");
        refused(() -> b.criticCount(1).lr(2).build(), "lr must be at most 1.0", "found 2.0");
        refused(() -> b.lr(1e-3).cqlAlpha(1e7).build(), "cqlAlpha must be at most");
        refused(() -> b.cqlAlpha(1).numActions(Integer.MAX_VALUE).build(), "numActions = 2147483647");
        refused(() -> b.numActions(3).criticHidden(100_000, 100_000).build(), "critic hidden[1] = 100000",
                "Java array");
        refused(() -> b.criticHidden(20_000, 20_000).criticCount(2).build(), "criticCount = 2", "ceiling");
        b.criticCount(1);
        assertDoesNotThrow(() -> b.criticHidden(8).build());
    }
}
