package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.calql.spi.BackendProvider;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and selection of the ND4J backend, and a quiet, lazy start-up (checked in child JVMs). */
class Nd4jBackendProviderTest {
    @Test
    void serviceLoaderFindsNd4jWithRankAboveJava() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("nd4j")) {
                found = p;
            }
        }
        assertInstanceOf(Nd4jBackendProvider.class, found, "ServiceLoader should list the nd4j provider");
        assertEquals(10, found.rank());
        assertEquals(List.of("nd4j", "java"), Backends.available().subList(0, 2));
    }

    @Test
    void bestPicksNd4jUnlessThePropertyOverrides() {
        String old = System.getProperty(Backends.PROPERTY);
        try {
            System.clearProperty(Backends.PROPERTY);
            assertEquals("nd4j", Backends.best().name());
            assertInstanceOf(Nd4jBackend.class, Backends.best());
            System.setProperty(Backends.PROPERTY, "java");
            assertEquals("java", Backends.best().name());
            System.setProperty(Backends.PROPERTY, "ND4J");
            assertEquals("nd4j", Backends.best().name());
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }

    @Test
    void findingTheProviderLoadsNoNd4jClasses(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.log");
        Result r = runChild(List.of("-Xlog:class+load=info:file=" + log), "discover");
        assertEquals(0, r.exitCode, r.stderr);
        assertEquals("", r.stdout, "discovery prints nothing to stdout");
        String loaded = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(loaded.contains("org.calql.nd4j.Nd4jBackendProvider"), "the child should have loaded the provider");
        assertFalse(loaded.contains("org.nd4j."), "finding the provider must not load ND4J classes");
        assertFalse(loaded.contains("org.bytedeco."), "finding the provider must not load JavaCPP");
    }

    @Test
    void startingNd4jPrintsNothingToStdout() throws Exception {
        Result r = runChild(List.of(), "run");
        assertEquals(0, r.exitCode, r.stderr);
        assertEquals("", r.stdout, "ND4J start-up and a training step must print nothing to stdout");
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result runChild(List<String> jvmArgs, String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StartupProbe.class.getName());
        command.add(mode);
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
