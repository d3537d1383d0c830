package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backends;
import org.calql.update.ModelParameters;
import org.calql.update.UpdateStep;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several update steps trained on different threads at once (as several agents in one service would be): the
 * shared pass gang serves one of them at a time and the others run their passes in turn, and every one ends
 * with the same bits as the same training run alone.
 */
class ConcurrentUpdateStepsTest {
    private static final int UPDATES = 12;
    private static final int TRAINERS = 3;

    private static CalQlConfig config() {
        return CalQlConfig.builder().observationDim(5).actionDim(3).batchSize(32).cqlNActions(4).qHidden(32, 32)
                .policyHidden(32, 32).maxTargetBackup(true).lagrange(true).seed(17).build();
    }

    private static ModelParameters train(String backend) {
        CalQlConfig config = config();
        UpdateStep step = new UpdateStep(config, Backends.named(backend), UpdateDraws.from(new Rng(4)));
        SplittableRandom data = new SplittableRandom(8);
        TransitionBatch batch = new TransitionBatch(32, 5, 3);
        for (int i = 0; i < UPDATES; i++) {
            CrossBackendUpdateTest.fill(batch, data);
            step.update(batch);
        }
        return step.exportParameters();
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "nd4j"})
    void trainersOnSeveralThreadsMatchATrainerAlone(String backend) throws Exception {
        ModelParameters alone = train(backend);
        ExecutorService pool = Executors.newFixedThreadPool(TRAINERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ModelParameters>> runs = new ArrayList<>();
            for (int t = 0; t < TRAINERS; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return train(backend);
                }));
            }
            start.countDown();
            for (Future<ModelParameters> run : runs) {
                ModelParameters p = run.get(2, TimeUnit.MINUTES);
                assertTrue(Arrays.deepEquals(alone.critics(), p.critics()), backend + ": critics differ");
                assertTrue(Arrays.deepEquals(alone.targetCritics(), p.targetCritics()),
                        backend + ": targets differ");
                assertTrue(Arrays.deepEquals(alone.policy(), p.policy()), backend + ": policies differ");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
