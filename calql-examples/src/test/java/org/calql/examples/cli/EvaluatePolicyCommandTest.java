package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.data.OfflineDataset;
import org.calql.env.StepResult;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeWanderer;
import org.calql.examples.env.PointMaze;
import org.calql.nn.JavaBackend;
import org.calql.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatePolicyCommandTest {
    @TempDir
    Path dir;

    static PointMaze demoMaze() {
        return new PointMaze(MazeChoice.CORNER.layout(), 60, 0.2, PointMaze.DEFAULT_GOAL_RADIUS,
                PointMaze.DEFAULT_START_NOISE);
    }

    @Test
    void printsTheFqeEstimateAndTheRealisedReturnInCriticUnits() throws Exception {
        PointMaze maze = demoMaze();
        OfflineDataset data = DatasetGenerator.rollout(maze, new MazeWanderer(maze), 50, 12345).toDataset();
        CalQlConfig config = CalQlConfig.builder().observationDim(2).actionDim(2).batchSize(16).cqlNActions(2)
                .qHidden(8, 8).policyHidden(8).discount(0.97).seed(1).build();
        TrainingConfig training = TrainingConfig.builder().replayCapacity(64).rewardScale(10).rewardBias(-5)
                .sparseFailureReward(-5).build();
        Agent agent = Agent.create(config, training, new JavaBackend());
        agent.pretrain(data, 5, null);
        agent.save(dir);

        CliTest.Result r = CliTest.run("evaluate-policy", "--checkpoint", dir.toString(), "--env", "maze",
                "--fqe-steps", "40", "--fqe-hidden", "8,8", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        int starts = data.episodeStarts().length;
        assertEquals(starts, json.get("startStates").getAsInt());
        assertTrue(Double.isFinite(json.get("fqeInitialValue").getAsDouble()), r.out());
        assertEquals(10.0, json.get("rewardScale").getAsDouble());
        assertEquals(-5.0, json.get("sparseFailureReward").getAsDouble());
        assertEquals(0.97, json.get("discount").getAsDouble());

        // the realised return, computed here: the saved policy from each start state, transformed rewards,
        // discount 0.97, the sparse rule for an episode that never reaches the goal
        double sum = 0.0;
        double[] raw = new double[2];
        for (int s : data.episodeStarts()) {
            data.copyObservation(s, raw, 0);
            double[] obs = maze.resetTo(raw, 0);
            double value = 0.0;
            double weight = 1.0;
            boolean reached = false;
            while (true) {
                StepResult step = maze.step(agent.act(obs));
                value += weight * (10 * step.reward() - 5);
                weight *= 0.97;
                obs = step.observation();
                reached |= step.terminated();
                if (step.done()) {
                    break;
                }
            }
            sum += reached ? value : -5.0 / (1 - 0.97);
        }
        assertEquals(sum / starts, json.get("rolloutReturn").getAsDouble(), 1e-9);
    }

    @Test
    void withoutDataOrEnvironmentItSaysWhatToGive() {
        CliTest.Result r = CliTest.run("evaluate-policy", "--checkpoint", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give --dataset FILE, or --env maze|mountaincar"), r.err());
    }

    @Test
    void theDemoCalibratesAgainstFqeOfTheControllerAndReportsIt() throws Exception {
        Path out = dir.resolve("demo");
        CliTest.Result r = CliTest.run("demo", "--env", "maze", "--backend", "java", "--offline-steps", "20", "--online-steps", "0",
                "--seeds", "1", "--methods", "calql", "--hidden", "8,8", "--batch-size", "16", "--n-actions", "2",
                "--episodes", "5", "--max-episode-steps", "40", "--eval-every", "10", "--eval-episodes", "1",
                "--reference", "fqe", "--reference-steps", "30", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("## Calibration against the reference"), summary);
        assertTrue(summary.contains("Reference: **fqe**"), summary);
        assertTrue(summary.matches("(?s).*\\| calql \\| 0 \\| [01]\\.\\d{3} \\| -?\\d+\\.\\d{2} \\| -?\\d+\\.\\d{2} \\|.*"),
                summary);
        assertEquals(2, CliTest.run("demo", "--reference", "oracle").code());
    }
}
