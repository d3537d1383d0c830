package org.calql.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.calql.config.CalQlConfig;
import org.calql.discrete.DiscreteConfig;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;

/**
 * The breakdown times the real update: the essential FLOPs of the network calls it sees add up to what
 * {@link EssentialFlops} counts for the config (run() throws otherwise), with and without max-target backup,
 * Lagrange and three critics; the same for the discrete update with Double DQN and DQN. Each section keeps one
 * name over all updates, although its lambda captures new arguments in every update.
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
            assertEquals(4, sections(stages), "policy forward, critic forwards, backwards, Adam: " + stages);
        }
    }

    @Test
    void discreteTimedCallsAddUpToTheEssentialFlops() {
        DiscreteConfig.Builder tiny = DiscreteConfig.builder().observationDim(5).numActions(3).batchSize(8)
                .criticHidden(16, 16).seed(3);
        for (DiscreteConfig config : List.of(tiny.criticCount(2).doubleDqn(true).build(),
                tiny.criticCount(3).doubleDqn(false).tau(0.01).targetUpdatePeriod(1).build())) {
            List<StageBreakdown.Stage> stages = StageBreakdown.discrete(config, Backends.named("java"), 4).run();
            StageBreakdown.Stage full = stages.get(stages.size() - 1);
            assertEquals(EssentialFlops.discreteUpdate(config), full.flops(), 1e-9 * full.flops());
            double counted = stages.stream().filter(s -> !s.detail() && s != full).mapToDouble(s -> s.flops()).sum();
            assertEquals(full.flops(), counted, 1e-9 * full.flops(), "the sections' FLOPs add up to the update's");
            assertTrue(stages.stream().anyMatch(s -> s.detail() && s.name().startsWith("target forward")),
                    "targets are told from critics: " + stages);
            assertTrue(stages.stream().anyMatch(s -> s.detail()
                    && s.name().equals("critic backward, 8 rows, parameter gradients")), stages.toString());
            assertEquals(3, sections(stages), "forwards, backwards, Adam steps: " + stages);
        }
    }

    private static long sections(List<StageBreakdown.Stage> stages) {
        return stages.stream().filter(s -> !s.detail() && s.name().startsWith("section ")).count();
    }
}
