package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.spi.AdamState;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.train.EpisodeResult;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.train.UpdateSchedule;
import org.calql.update.UpdateResult;
import org.junit.jupiter.api.Test;

/** The loop options of issue 12, each tested for what it changes. */
class TrainerOptionsTest {
    private static final Backend JAVA = Backends.named("java");

    private static CalQlConfig.Builder config() {
        return CalQlConfig.builder().observationDim(2).actionDim(1).maxAction(1.0).batchSize(8).cqlNActions(2)
                .qHidden(8).policyHidden(8).seed(5);
    }

    /** Records what the trainer reports, in order. */
    private static final class Recorder implements TrainingListener {
        final List<String> events = new ArrayList<>();
        final List<UpdateResult> finetuneUpdates = new ArrayList<>();
        final List<UpdateResult> pretrainUpdates = new ArrayList<>();
        final List<Integer> updatesAtEpisodeEnd = new ArrayList<>();
        final List<Integer> episodeLengths = new ArrayList<>();
        final List<EvaluationResult> evaluations = new ArrayList<>();

        @Override
        public void onUpdate(Phase phase, long step, UpdateResult result) {
            (phase == Phase.PRETRAIN ? pretrainUpdates : finetuneUpdates).add(result);
        }

        @Override
        public void onEpisode(EpisodeResult result) {
            updatesAtEpisodeEnd.add(finetuneUpdates.size());
            episodeLengths.add(result.length());
        }

        @Override
        public void onEvaluation(EvaluationResult result) {
            evaluations.add(result);
            events.add(result.phase() + "@" + result.step());
        }
    }

    /** Ten-step episodes whose third step (and only it) reports success. */
    static final class GoalWorld implements Environment {
        private int t;

        @Override
        public int observationDim() {
            return 2;
        }

        @Override
        public BoxSpace actionSpace() {
            return BoxSpace.uniform(1, -1, 1);
        }

        @Override
        public int maxEpisodeSteps() {
            return 10;
        }

        @Override
        public double[] reset(long seed) {
            t = 0;
            return new double[] {0, 0};
        }

        @Override
        public StepResult step(double[] action) {
            t++;
            boolean success = t == 3;
            return new StepResult(new double[] {action[0], t / 10.0}, success ? 1.0 : 0.0, false, t >= 10, success);
        }
    }

    @Test
    void perEpisodeScheduleRunsLengthTimesUtdUpdatesAfterEachEpisode() {
        TrainingConfig training = TrainingConfig.builder().updatesPerEnvironmentStep(2)
                .updateSchedule(UpdateSchedule.PER_EPISODE).build();
        Agent agent = Agent.create(config().build(), training, JAVA);
        OfflineDataset data = LineWorld.randomData(4, 1);
        agent.pretrain(data, 3, null);
        Recorder rec = new Recorder();
        agent.finetune(data, new LineWorld(), 25, rec);
        // episodes end at steps 10 and 20; no update runs inside an episode
        assertEquals(List.of(10, 10), rec.episodeLengths);
        assertEquals(List.of(0, 20), rec.updatesAtEpisodeEnd);
        // the unfinished 5-step episode gets its 5 × 2 updates when the budget runs out: 25 × 2 in all
        assertEquals(50, rec.finetuneUpdates.size());
        assertEquals(0, agent.trainingState().replay().pendingSize());
        assertEquals(25, agent.trainingState().replay().size());
    }

    @Test
    void perStepScheduleUpdatesInsideEpisodes() {
        Agent agent = Agent.create(config().build(), TrainingConfig.builder().updatesPerEnvironmentStep(2).build(),
                JAVA);
        OfflineDataset data = LineWorld.randomData(4, 1);
        agent.pretrain(data, 3, null);
        Recorder rec = new Recorder();
        agent.finetune(data, new LineWorld(), 25, rec);
        // the episode event of step 10 comes before that step's own updates
        assertEquals(List.of(18, 38), rec.updatesAtEpisodeEnd);
        assertEquals(50, rec.finetuneUpdates.size());
    }

    @Test
    void endEpisodeAtSuccessTerminatesOnTheSuccessStep() {
        Agent on = Agent.create(config().build(), TrainingConfig.builder().endEpisodeAtSuccess(true).build(), JAVA);
        Recorder rec = new Recorder();
        on.finetune(new GoalWorld(), 9, rec);
        assertEquals(List.of(3, 3, 3), rec.episodeLengths);
        assertEquals(3, terminals(on));

        Agent off = Agent.create(config().build(), TrainingConfig.defaults(), JAVA);
        Recorder plain = new Recorder();
        off.finetune(new GoalWorld(), 20, plain);
        assertEquals(List.of(10, 10), plain.episodeLengths);
        assertEquals(0, terminals(off));
    }

    @Test
    void onlineConservativeOffMakesFinetuningPlainSac() {
        CalQlConfig lagrange = config().lagrange(true).cqlAlpha(5.0).targetActionGap(0.8).build();
        Agent agent = Agent.create(lagrange, TrainingConfig.builder().onlineConservative(false).build(), JAVA);
        OfflineDataset data = LineWorld.randomData(4, 1);
        Recorder rec = new Recorder();
        agent.pretrain(data, 4, rec);
        UpdateResult offline = rec.pretrainUpdates.get(3);
        assertTrue(offline.alphaPrime() > 0, "α' is tuned offline");
        assertTrue(offline.conservativeLoss()[0] != 0.0, "the conservative term weighs offline");
        agent.finetune(data, new LineWorld(), 15, rec);
        assertEquals(0.0, agent.updateStep().config().cqlAlpha());
        assertFalse(agent.updateStep().config().lagrange());
        assertFalse(rec.finetuneUpdates.isEmpty());
        for (UpdateResult r : rec.finetuneUpdates) {
            assertEquals(0.0, r.alphaPrime());
            assertEquals(0.0, r.alphaPrimeLoss());
            for (double c : r.conservativeLoss()) {
                assertEquals(0.0, c);
            }
        }
    }

    @Test
    void onlineConservativeOffRefusesAPositiveOnlineAlpha() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().onlineConservative(false).onlineCqlAlpha(2.0).build());
        assertTrue(e.getMessage().contains("onlineCqlAlpha=2.0"), e.getMessage());
    }

    @Test
    void sacFromScratchTrainsOnlineOnlyOnTheSameTrainer() {
        Agent agent = Agent.create(config().cqlAlpha(0.0).build(), TrainingConfig.defaults(), JAVA);
        Recorder rec = new Recorder();
        agent.finetune(new LineWorld(), 30, rec);
        assertEquals(0, agent.pretrainUpdates());
        // no offline data: the first update comes at the step after the first episode is in the replay (step 10)
        assertEquals(21, rec.finetuneUpdates.size());
        for (UpdateResult r : rec.finetuneUpdates) {
            assertEquals(0.0, r.conservativeLoss()[0]);
        }
    }

    @Test
    void phaseBoundaryEvaluationsAtStepZeroAndTheEndOfPretraining() {
        TrainingConfig training = TrainingConfig.builder().evaluateAtPhaseBoundaries(true)
                .pretrainEvaluationInterval(20).evaluationEpisodes(1).build();
        Agent agent = Agent.create(config().build(), training, JAVA);
        OfflineDataset data = LineWorld.randomData(4, 1);
        Recorder rec = new Recorder();
        agent.pretrain(data, 30, new LineWorld(), rec);
        assertEquals(List.of("PRETRAIN@0", "PRETRAIN@20", "PRETRAIN@30"), rec.events);
        rec.events.clear();
        agent.pretrain(data, 10, new LineWorld(), rec);
        // not at 0 again, and 40 is evaluated once although the interval also falls there
        assertEquals(List.of("PRETRAIN@40"), rec.events);

        Agent plain = Agent.create(config().build(), training.toBuilder().evaluateAtPhaseBoundaries(false).build(),
                JAVA);
        Recorder none = new Recorder();
        plain.pretrain(data, 30, new LineWorld(), none);
        assertEquals(List.of("PRETRAIN@20"), none.events);
    }

    @Test
    void phaseBoundaryEvaluationAtStepZeroOfOnlineFromScratch() {
        TrainingConfig training = TrainingConfig.builder().evaluateAtPhaseBoundaries(true).evaluationEpisodes(1)
                .build();
        Agent agent = Agent.create(config().build(), training, JAVA);
        Recorder rec = new Recorder();
        agent.finetune(null, new LineWorld(), new LineWorld(), 12, rec);
        assertEquals(List.of("FINETUNE@0"), rec.events);
    }

    @Test
    void resetCriticOptimizerAtTheSwitchToOnline() {
        OfflineDataset data = LineWorld.randomData(4, 1);
        Agent reset = Agent.create(config().build(),
                TrainingConfig.builder().resetCriticOptimizerOnline(true).build(), JAVA);
        reset.pretrain(data, 6, null);
        assertEquals(6, criticAdam(reset).steps());
        double[][] before = reset.updateStep().exportState().critics().critics()[0];
        reset.finetune(data, new LineWorld(), 0, null);
        AdamState fresh = criticAdam(reset);
        assertEquals(0, fresh.steps());
        for (double[] m : fresh.firstMoment()) {
            for (double v : m) {
                assertEquals(0.0, v);
            }
        }
        // parameters are kept
        assertEquals(before[0][0], reset.updateStep().exportState().critics().critics()[0][0][0]);
        reset.finetune(data, new LineWorld(), 3, null);
        assertEquals(3, criticAdam(reset).steps());

        Agent kept = Agent.create(config().build(), TrainingConfig.defaults(), JAVA);
        kept.pretrain(data, 6, null);
        kept.finetune(data, new LineWorld(), 3, null);
        assertEquals(9, criticAdam(kept).steps());
    }

    private static int terminals(Agent agent) {
        int n = 0;
        for (int i = 0; i < agent.trainingState().replay().size(); i++) {
            n += agent.trainingState().replay().isTerminal(i) ? 1 : 0;
        }
        return n;
    }

    private static AdamState criticAdam(Agent agent) {
        return agent.updateStep().exportState().critics().optimizers()[0];
    }
}
