package org.calql.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.calql.config.CalQlConfig;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;

/**
 * The breakdown times the real update: the essential FLOPs of the network calls it sees add up to what
 * {@link EssentialFlops} counts for the config (run() throws otherwise), with and without max-target backup,
 * Lagrange and three critics.
 */
class StageBreakdownTest {
    private static CalQlConfig.Builder tiny() {
        return CalQlConfig.builder().observationDim(4).actionDim(2).batchSize(8).cqlNActions(3).qHidden(16, 16)
                .policyHidden(16, 16).seed(3);
    }

    @Test
    void timedCallsAddUpToTheEssentialFlopsAndTheFullUpdate() {
        for (CalQlConfig config : List.of(tiny().maxTargetBackup(true).lagrange(true).build(),
                tiny().maxTargetBackup(false).criticEnsembleSize(3).build())) {
            List<StageBreakdown.Stage> stages = new StageBreakdown(config, Backends.named("java"), 4).run();
            StageBreakdown.Stage full = stages.get(stages.size() - 1);
            assertEquals("full update", full.name());
            assertEquals(EssentialFlops.update(config), full.flops(), 1e-9 * full.flops());
            double counted = stages.stream().filter(s -> !s.detail() && s != full).mapToDouble(s -> s.flops()).sum();
            assertEquals(full.flops(), counted, 1e-9 * full.flops(), "the sections' FLOPs add up to the update's");
            assertTrue(stages.stream().anyMatch(s -> s.name().contains("critic backward")), stages.toString());
        }
    }
}
