package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train} honours {@code -Dcalql.backend}, checks {@code --save} first; an OOM is one line. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--env", "pendulum", "--method", "cql", "--offline-steps", "2",
        "--online-steps", "0", "--hidden", "4,4", "--batch-size", "4", "--n-actions", "1", "--episodes", "1"};

    private static String[] train(String... extra) {
        String[] args = new String[1 + SMALL.length + extra.length];
        args[0] = "train";
        System.arraycopy(SMALL, 0, args, 1, SMALL.length);
        System.arraycopy(extra, 0, args, 1 + SMALL.length, extra.length);
        return args;
    }

    @Test
    void anUnwritableSaveFailsBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        long start = System.nanoTime();
        // a million updates would take many minutes: failing at once shows the check comes first
        String[] args = train("--save", file.resolve("agent").toString());
        args[6] = "1000000";
        CliTest.Result r = CliTest.run(args);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--save " + file.resolve("agent")) && r.err().contains("nothing was trained"),
                r.err());
        assertFalse(r.err().contains("data:"), "no data may be generated before the check: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
        assertFalse(Files.exists(file.resolve("agent")));
    }

    @Test
    void theBackendPropertyIsHonouredUnlessTheFlagIsGiven() {
        String old = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, "tpu");
            CliTest.Result r = CliTest.run(train());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("unknown calql backend 'tpu'"), r.err());
            CliTest.Result flag = CliTest.run(train("--backend", "java"));
            assertEquals(0, flag.code(), flag.err());
            System.setProperty(Backends.PROPERTY, "java");
            CliTest.Result java = CliTest.run(train());
            assertEquals(0, java.code(), java.err());
            assertTrue(java.err().contains("backend java"), java.err());
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }

    @CommandLine.Command(name = "oom")
    static final class Oom implements Runnable {
        @Override
        public void run() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anOutOfMemoryErrorIsOneLineAndExitCodeOne() {
        CommandLine cli = CalQlCli.commandLine();
        cli.addSubcommand("oom", new Oom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CalQlCli.run(cli, new String[] {"oom"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(1, code);
        String e = err.toString();
        assertEquals(1, e.strip().lines().count(), e);
        assertTrue(e.startsWith("calql: error: out of memory (Java heap space)") && e.contains("-Xmx"), e);
    }
}
