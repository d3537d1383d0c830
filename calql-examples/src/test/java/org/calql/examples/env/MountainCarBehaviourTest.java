package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MountainCarBehaviourTest {

    @Test
    void theControllerPushesWithTheVelocityAndAtRestWithGravity() {
        assertEquals(MountainCar.PUSH_RIGHT, MountainCarBehaviour.controllerAction(new double[] {-0.9, 1e-9}));
        assertEquals(MountainCar.PUSH_LEFT, MountainCarBehaviour.controllerAction(new double[] {0.3, -1e-9}));
        // at rest: left of the valley floor gravity pulls right, right of it gravity pulls left
        assertEquals(MountainCar.PUSH_RIGHT, MountainCarBehaviour.controllerAction(new double[] {-1.2, 0}));
        assertEquals(MountainCar.PUSH_RIGHT, MountainCarBehaviour.controllerAction(new double[] {-0.53, 0}));
        assertEquals(MountainCar.PUSH_LEFT, MountainCarBehaviour.controllerAction(new double[] {-0.52, 0}));
        assertThrows(IllegalArgumentException.class, () -> MountainCarBehaviour.controllerAction(new double[3]));
    }

    /**
     * Alone, the energy pumping reaches the goal every time: measured mean return −113.8 (at most 186 steps) for 500
     * episodes with seed 7; random actions never do (−200).
     */
    @Test
    void theNoiselessControllerAlwaysSucceedsAndRandomActionsNever() {
        MountainCar car = new MountainCar();
        Rollouts controller = DatasetGenerator.rollout(car, new MountainCarBehaviour(0, 0, 0), 200, 7);
        assertEquals(1.0, controller.successRate());
        assertTrue(controller.meanReturn() > -125 && controller.meanReturn() < -100, controller.toString());
        Rollouts random = DatasetGenerator.rollout(car, new RandomPolicy(car.actionSpace()), 200, 7);
        assertTrue(random.successRate() <= 0.01, random.toString());
    }

    /**
     * The default mix succeeds in about half its episodes. Measured for 500 episodes: seeds 0, 1, 2, 3, 4 and 2024
     * give success rates 0.474, 0.498, 0.480, 0.500, 0.476, 0.452 and mean returns −173.8, −173.0, −173.6, −172.5,
     * −174.6, −175.4; 92 to 114 episodes per seed succeed within 150 steps (the fastest in 91 steps).
     */
    @Test
    void theDefaultMixHasASpreadOfReturns() {
        Rollouts r = DatasetGenerator.rollout(new MountainCar(), new MountainCarBehaviour(), 500, 2024);
        assertTrue(r.successRate() >= 0.35 && r.successRate() <= 0.65, r.toString());
        assertTrue(r.meanReturn() > -185 && r.meanReturn() < -160, r.toString());
        int[] lengths = r.episodeLengths();
        boolean[] success = r.episodeSuccesses();
        int fast = 0;
        int timeouts = 0;
        for (int e = 0; e < lengths.length; e++) {
            assertEquals(-lengths[e], r.episodeReturns()[e], 0);
            if (success[e] && lengths[e] <= 150) {
                fast++;
            }
            if (!success[e]) {
                assertEquals(MountainCar.MAX_STEPS, lengths[e]);
                timeouts++;
            }
        }
        assertTrue(fast >= 50, "episodes that succeed within 150 steps: " + fast);
        assertTrue(timeouts >= 150, "time-outs: " + timeouts);
    }

    @Test
    void moreRandomActionsAndLazinessLowerTheSuccessRate() {
        MountainCar car = new MountainCar();
        double clean = DatasetGenerator.rollout(car, new MountainCarBehaviour(0.2, 0, 0), 200, 5).successRate();
        double noisy = DatasetGenerator.rollout(car, new MountainCarBehaviour(0.6, 0, 0), 200, 5).successRate();
        double lazy = DatasetGenerator.rollout(car, new MountainCarBehaviour(0.2, 1, 0.9), 200, 5).successRate();
        assertTrue(clean > 0.9, "random-action probability 0.2: " + clean);
        assertTrue(noisy < 0.3, "random-action probability 0.6: " + noisy);
        assertTrue(lazy < 0.15, "always lazy: " + lazy);
    }

    @Test
    void episodesAreLazyWithTheGivenProbability() {
        MountainCarBehaviour b = new MountainCarBehaviour(0, 0.3, 1);
        SplittableRandom rng = new SplittableRandom(1);
        int lazy = 0;
        for (int e = 0; e < 2000; e++) {
            b.startEpisode(new double[] {-0.5, 0}, rng);
            double[] a = b.act(new double[] {-0.5, 0.01}, rng);
            assertEquals(b.lazy() ? MountainCar.NO_PUSH : MountainCar.PUSH_RIGHT, a[0], 0);
            lazy += b.lazy() ? 1 : 0;
        }
        assertEquals(0.3, lazy / 2000.0, 0.04);
    }

    @Test
    void actionsAreIndicesAndAllThreeOccur() {
        MountainCarBehaviour b = new MountainCarBehaviour();
        SplittableRandom rng = new SplittableRandom(3);
        int[] counts = new int[3];
        for (int t = 0; t < 3000; t++) {
            if (t % 200 == 0) {
                b.startEpisode(new double[] {-0.5, 0}, rng);
            }
            double[] a = b.act(new double[] {-0.5, t % 2 == 0 ? 0.01 : -0.01}, rng);
            assertEquals(1, a.length);
            assertTrue(a[0] == 0 || a[0] == 1 || a[0] == 2, Arrays.toString(a));
            counts[(int) a[0]]++;
        }
        assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, Arrays.toString(counts));
    }

    @Test
    void probabilitiesOutsideTheUnitIntervalAreRefusedByName() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> new MountainCarBehaviour(1.5, 0, 0));
        assertTrue(r.getMessage().contains("randomActionProbability") && r.getMessage().contains("1.5"),
                r.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> new MountainCarBehaviour(0, -0.1, 0));
        assertTrue(l.getMessage().contains("lazyEpisodeProbability") && l.getMessage().contains("-0.1"),
                l.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> new MountainCarBehaviour(0, 0, Double.NaN));
        assertTrue(c.getMessage().contains("lazyCoastProbability") && c.getMessage().contains("NaN"),
                c.getMessage());
    }
}
