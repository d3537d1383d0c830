package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.calql.spi.Backends;
import org.calql.spi.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision} on {@code train} and {@code demo}: a precision the backend, the discrete agents or ACA cannot
 * run is a usage error (exit code 2) naming the flag, before any training; bf16 trains on ND4J where the backend
 * can run it.
 */
class PrecisionCliTest {
    @TempDir
    Path dir;

    @Test
    void javaBackendRefusesBf16AsAUsageErrorWithTheLibrarysMessage() {
        CliTest.Result r = CliTest.run("train", "--backend", "java", "--env", "pendulum", "--precision", "bf16",
                "--offline-steps", "2", "--online-steps", "0", "--episodes", "1", "--save",
                dir.resolve("never").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--precision bf16"), r.err());
        assertTrue(r.err().contains("needs the nd4j backend"), r.err());
        assertFalse(Files.exists(dir.resolve("never").resolve("agent.calql")), "nothing may be trained or saved");
    }

    @Test
    void discreteAgentsAndAcaRefuseBf16() {
        CliTest.Result discrete = CliTest.run("train", "--env", "mountaincar", "--precision", "bf16",
                "--offline-steps", "1", "--online-steps", "0");
        assertEquals(2, discrete.code(), discrete.err());
        assertTrue(discrete.err().contains("discrete agents"), discrete.err());
        CliTest.Result aca = CliTest.run("demo", "--env", "maze", "--backend", "java", "--methods", "calql,aca",
                "--precision", "bf16", "--offline-steps", "1", "--online-steps", "0", "--seeds", "1", "--out",
                dir.resolve("demo").toString());
        assertEquals(2, aca.code(), aca.err());
        assertTrue(aca.err().contains("ACA runs fp32"), aca.err());
        CliTest.Result demoDiscrete = CliTest.run("demo", "--precision", "bf16", "--offline-steps", "1",
                "--online-steps", "0", "--seeds", "1", "--out", dir.resolve("demo2").toString());
        assertEquals(2, demoDiscrete.code(), demoDiscrete.err());
        assertTrue(demoDiscrete.err().contains("discrete agents"), demoDiscrete.err());
    }

    @Test
    void unknownPrecisionIsAUsageError() {
        CliTest.Result r = CliTest.run("train", "--precision", "fp8", "--offline-steps", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--precision"), r.err());
    }

    @Test
    void fp32IsTheDefaultAndNamedExplicitlyTrainsAsBefore() {
        CliTest.Result r = CliTest.run("train", "--backend", "java", "--env", "pendulum", "--precision", "FP32",
                "--offline-steps", "2", "--online-steps", "0", "--episodes", "1", "--hidden", "8,8", "--batch-size",
                "8", "--n-actions", "2", "--eval-episodes", "1");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("precision"), "fp32 adds nothing to the settings line: " + r.err());
    }

    @Test
    void bf16TrainsOnNd4jWhereTheBackendCanRunIt() {
        Assumptions.assumeTrue(Backends.available().contains("nd4j"), "the nd4j backend is not on the class path");
        String unavailable = bf16UnavailableReason();
        Assumptions.assumeTrue(unavailable == null, unavailable);
        CliTest.Result r = CliTest.run("train", "--backend", "nd4j", "--env", "pendulum", "--precision", "bf16",
                "--offline-steps", "3", "--online-steps", "0", "--episodes", "1", "--hidden", "8,8", "--batch-size",
                "8", "--n-actions", "2", "--eval-episodes", "1", "--save", dir.resolve("agent").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("precision bf16"), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("agent").resolve("agent.calql")), r.out());
    }

    /**
     * Why ND4J cannot run BF16 here, in the backend's own words (null where it can): the CPU's flags are not
     * enough, since oneDNN may be capped ({@code ONEDNN_MAX_CPU_ISA}) or fail to load.
     */
    static String bf16UnavailableReason() {
        try {
            Backends.named("nd4j").withPrecision(Precision.BF16);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
