package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.calql.agent.Agent;
import org.calql.config.CalQlConfig;
import org.calql.serving.PolicyArtifact;
import org.calql.serving.ServedPolicy;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy trained on ND4J (float32) acts on the host path, in double, within float rounding of ND4J's act. */
class ServedPolicyNd4jTest {
    @TempDir
    Path dir;

    @Test
    void hostSnapshotOfAnNd4jAgentMatchesItsActWithinFloatRounding() throws Exception {
        CalQlConfig config = CalQlConfig.builder().observationDim(6).actionDim(3).batchSize(16).cqlNActions(3)
                .qHidden(16, 16).policyHidden(64, 64).maxAction(2.0).seed(5).build();
        Agent agent = Agent.create(config, Backends.named("nd4j"));
        Path file = dir.resolve("p.calqlpolicy");
        PolicyArtifact.write(agent, file);
        ServedPolicy served = ServedPolicy.load(file);
        SplittableRandom random = new SplittableRandom(9);
        double worst = 0;
        double[] out = new double[3];
        for (int i = 0; i < 100; i++) {
            double[] o = new double[6];
            for (int j = 0; j < 6; j++) {
                o[j] = 3 * random.nextGaussian();
            }
            double[] expected = agent.policy().act(o);
            served.act(o, out);
            for (int a = 0; a < 3; a++) {
                assertEquals(expected[a], out[a], 1e-4, "observation " + i + " action " + a);
                worst = Math.max(worst, Math.abs(expected[a] - out[a]));
            }
        }
        System.out.println("ServedPolicyNd4jTest: largest |nd4j − host| = " + worst);
        assertTrue(worst > 0, "ND4J computes in float32, so some rounding difference is expected");
    }
}
