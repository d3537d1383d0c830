package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.train.DivergenceAction;
import org.calql.train.DivergenceEvent;
import org.calql.train.DivergenceGuard;
import org.calql.train.Phase;
import org.calql.train.Trainer;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingDivergedException;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The divergence guard: rewards of 1e30 are flagged at update 1; WARN goes on, STOP leaves a saveable agent. */
class DivergenceGuardTest {
    private static final Backend JAVA = Backends.named("java");

    private static CalQlConfig config() {
        return CalQlConfig.builder().observationDim(2).actionDim(1).batchSize(8).qHidden(8, 8).policyHidden(8, 8)
                .cqlNActions(2).seed(3).build();
    }

    /** LineWorld data with every reward 1e30 (the case: TD loss 1e60 went unreported). */
    private static OfflineDataset hugeRewards() {
        OfflineDataset d = LineWorld.randomData(4, 1L);
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1);
        for (int i = 0; i < d.size(); i++) {
            b.step(new double[] {d.observation(i, 0), d.observation(i, 1)}, new double[] {d.action(i, 0)}, 1e30,
                    new double[] {d.nextObservation(i, 0), d.nextObservation(i, 1)}, d.isTerminal(i),
                    d.isEpisodeEnd(i) && !d.isTerminal(i));
        }
        return b.build();
    }

    private static final class Recorder implements TrainingListener {
        final List<DivergenceEvent> events = new ArrayList<>();
        long updates;

        @Override
        public void onUpdate(Phase phase, long step, UpdateResult result) {
            updates++;
        }

        @Override
        public void onDivergence(DivergenceEvent event) {
            events.add(event);
        }
    }

    @Test
    void warnReportsOnceAndTrainingGoesOn() {
        Agent agent = Agent.create(config(), TrainingConfig.builder().normalizeObservations(false).build(), JAVA);
        Recorder rec = new Recorder();
        Trainer.builder(agent).listener(rec).build().pretrain(hugeRewards(), 5);
        assertEquals(5, rec.updates);
        assertEquals(1, rec.events.size(), "one event per crossing, not one per update: " + rec.events);
        DivergenceEvent e = rec.events.get(0);
        assertEquals(Phase.PRETRAIN, e.phase());
        assertEquals(1, e.step());
        assertTrue(e.maxTdLoss() > 1e12, "TD loss of rewards 1e30 must exceed threshold²: " + e);
        assertEquals(DivergenceAction.WARN, e.action());
        assertEquals(5, agent.trainingState().pretrainUpdates());
    }

    @Test
    void stopThrowsAfterTheUpdateAndTheAgentSavesAndLoads(@TempDir Path dir) throws Exception {
        TrainingConfig training = TrainingConfig.builder().normalizeObservations(false)
                .divergenceAction(DivergenceAction.STOP).build();
        Agent agent = Agent.create(config(), training, JAVA);
        Recorder rec = new Recorder();
        TrainingDivergedException ex = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(agent).listener(rec).build().pretrain(hugeRewards(), 5));
        assertEquals(1, ex.event().step());
        assertTrue(ex.getMessage().contains("divergenceThreshold"), ex.getMessage());
        assertEquals(1, rec.events.size());
        assertEquals(1, rec.updates);
        assertEquals(1, agent.trainingState().pretrainUpdates(), "the diverged update is applied and counted");
        agent.save(dir);
        Agent loaded = Agent.load(dir, JAVA);
        assertEquals(1, loaded.trainingState().pretrainUpdates());
        double[] obs = {0.1, 0.2};
        assertEquals(agent.policy().act(obs)[0], loaded.policy().act(obs)[0]);
    }

    @Test
    void ordinaryRewardsAreNotFlaggedAndInfinitySwitchesTheGuardOff() {
        Agent agent = Agent.create(config(), TrainingConfig.builder().normalizeObservations(false)
                .divergenceAction(DivergenceAction.STOP).build(), JAVA);
        Recorder rec = new Recorder();
        Trainer.builder(agent).listener(rec).build().pretrain(LineWorld.randomData(4, 1L), 5);
        assertEquals(0, rec.events.size());
        Agent off = Agent.create(config(), TrainingConfig.builder().normalizeObservations(false)
                .divergenceThreshold(Double.POSITIVE_INFINITY).divergenceAction(DivergenceAction.STOP).build(), JAVA);
        Recorder rec2 = new Recorder();
        Trainer.builder(off).listener(rec2).build().pretrain(hugeRewards(), 3);
        assertEquals(0, rec2.events.size());
    }

    @Test
    void theGuardFiresAgainAfterRecoveringAndOnTheQScaleAlone() {
        Recorder rec = new Recorder();
        DivergenceGuard guard = new DivergenceGuard(TrainingConfig.builder().divergenceThreshold(100).build(), rec);
        guard.check(Phase.FINETUNE, 1, result(50, 10));
        guard.check(Phase.FINETUNE, 2, result(150, 10));   // |Q| over
        guard.check(Phase.FINETUNE, 3, result(-200, 10));  // still over: not reported again
        guard.check(Phase.FINETUNE, 4, result(5, 10));     // back under
        guard.check(Phase.FINETUNE, 5, result(5, 10_001)); // TD loss over 100²
        assertEquals(List.of(2L, 5L), rec.events.stream().map(DivergenceEvent::step).toList());
        assertEquals(150.0, rec.events.get(0).maxAbsQ());
        assertEquals(10_001.0, rec.events.get(1).maxTdLoss());
    }

    @Test
    void thresholdAndActionAreValidated() {
        for (double bad : new double[] {0, -1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingConfig.builder().divergenceThreshold(bad).build());
            assertTrue(e.getMessage().startsWith("divergenceThreshold must be positive") && e.getMessage()
                    .contains("found " + bad), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().divergenceAction(null).build());
        assertTrue(e.getMessage().startsWith("divergenceAction"), e.getMessage());
    }

    private static UpdateResult result(double q, double td) {
        UpdateResult template = Agent.create(config(), JAVA).update(batch());
        return new UpdateResult(template.step(), new double[] {td, td}, template.conservativeGap(),
                template.conservativeLoss(), new double[] {q, 0}, template.boundRateCurrent(),
                template.boundRateNext(), template.policyLoss(), template.alphaLoss(), template.alphaPrimeLoss(),
                template.alpha(), template.alphaPrime(), template.logPi(), 0.0);
    }

    private static org.calql.data.TransitionBatch batch() {
        org.calql.data.TransitionBatch b = new org.calql.data.TransitionBatch(8, 2, 1);
        java.util.Arrays.fill(b.actions(), 0.1);
        return b;
    }
}
