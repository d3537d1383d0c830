package org.calql.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.calql.discrete.DiscreteConfig;
import org.junit.jupiter.api.Test;

/** {@link EssentialFlops#discrete} against counts done by hand. */
class EssentialFlopsTest {
    /**
     * obs 5 → 4 → 6 → |A| 3, B = 7: Σ d_l·d_{l+1} = 20 + 24 + 18 = 62, so a forward is 2·7·62 = 868, the weight
     * gradients 868 again, the input gradients without the first layer 2·7·(24 + 18) = 588.
     */
    @Test
    void discreteCountsMatchAHandCount() {
        DiscreteConfig.Builder small = DiscreteConfig.builder().observationDim(5).numActions(3).batchSize(7)
                .criticHidden(4, 6);
        EssentialFlops.DiscreteBreakdown ddqn = EssentialFlops.discrete(small.criticCount(2).doubleDqn(true).build());
        assertEquals(868 + 868 + 588, ddqn.online());
        assertEquals(868, ddqn.next());
        assertEquals(868, ddqn.target());
        assertEquals(2 * (2324 + 868 + 868), ddqn.total());
        // DQN: no online forward at s'; the target critics choose a'.
        EssentialFlops.DiscreteBreakdown dqn = EssentialFlops.discrete(small.criticCount(3).doubleDqn(false).build());
        assertEquals(0, dqn.next());
        assertEquals(3 * (2324 + 868), dqn.total());
    }

    /**
     * The benchmark shape, obs 128 → 256 → 256 → 18, B 256, K 2, Double DQN: Σ d_l·d_{l+1} = 32768 + 65536 + 4608
     * = 102912; forward 2·256·102912 = 52,690,944; input gradients 2·256·(65536 + 4608) = 35,913,728; per critic
     * 4 forwards' worth + the input gradients = 246,677,504; two critics 493,355,008.
     */
    @Test
    void discreteBenchmarkShape() {
        EssentialFlops.DiscreteBreakdown d = EssentialFlops.discrete(BenchConfigs.discrete());
        assertEquals(52_690_944.0, d.target());
        assertEquals(2 * 52_690_944.0 + 35_913_728.0, d.online());
        assertEquals(493_355_008.0, d.total());
        assertEquals(493_355_008.0, EssentialFlops.discreteUpdate(BenchConfigs.discrete()));
    }
}
