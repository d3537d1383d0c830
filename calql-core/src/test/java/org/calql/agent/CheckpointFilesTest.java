package org.calql.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.calql.config.CalQlConfig;
import org.calql.policy.Policy;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files around a checkpoint: stale temps, created directories, unwritable targets. */
class CheckpointFilesTest {
    private static final Backend JAVA = Backends.named("java");

    @TempDir
    Path dir;

    private static Agent agent() {
        return Agent.create(AgentCheckpointTest.config(), AgentCheckpointTest.training(), JAVA);
    }

    private Path temp(String name, Instant modified) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[1000]);
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void saveRemovesStaleTempsOfOursAndNothingElse() throws IOException {
        Instant old = Instant.now().minusSeconds(120);
        temp("agent.calql123456.tmp", old); // a killed save's orphan: old, unlocked
        temp("agent.calql42.tmp", Instant.now()); // young: a save may still be writing it
        Path locked = temp("agent.calql777.tmp", old); // old but locked: a slow save writing it
        temp("agent.calql.tmp", old); // not our naming
        temp("agent.calqlx1.tmp", old);
        temp("notes.tmp", old);
        Path target = temp("elsewhere.bin", old);
        Files.createSymbolicLink(dir.resolve("agent.calql999.tmp"), target); // a link is never ours
        try (FileChannel channel = FileChannel.open(locked, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            agent().save(dir);
            assertTrue(lock.isValid());
        }
        assertEquals(new TreeSet<>(Set.of("agent.calql", "agent.calql42.tmp", "agent.calql777.tmp",
                "agent.calql.tmp", "agent.calqlx1.tmp", "notes.tmp", "elsewhere.bin", "agent.calql999.tmp")), names());
        assertTrue(Files.exists(target), "the link's target is untouched");
    }

    @Test
    void loadRemovesStaleTempsToo() throws IOException {
        Agent saved = agent();
        saved.save(dir);
        temp("agent.calql9876.tmp", Instant.now().minusSeconds(61));
        temp("agent.calql5.tmp", Instant.now().minusSeconds(30));
        Agent.load(dir, JAVA);
        assertEquals(Set.of("agent.calql", "agent.calql5.tmp"), names());
    }

    @Test
    void staleMeansOlderThanAMinuteAndUnlocked() throws IOException {
        Instant now = Instant.now();
        Path p = temp("agent.calql1.tmp", now.minusSeconds(59));
        assertEquals(0, TempFiles.removeStale(dir, now));
        assertEquals(1, TempFiles.removeStale(dir, now.plusSeconds(2)));
        assertFalse(Files.exists(p));
    }

    @Test
    void saveThroughDotDotCreatesOnlyTheNormalisedDirectory() throws IOException {
        Path target = dir.resolve("missing").resolve("..").resolve("checkpoints").resolve("run1");
        agent().save(target);
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/run1/agent.calql")));
        assertFalse(Files.exists(dir.resolve("missing")), "no directory left at missing/");
        Agent.load(target, JAVA);
    }

    /** A policy whose export fails, to make a save fail after it created its directories. */
    private static Agent agentWhoseSaveFails() {
        CalQlConfig config = AgentCheckpointTest.config().toBuilder().policy(context -> {
            Policy real = TanhGaussianPolicy.factory(new int[] {16}, 1.0, -1.0).create(context);
            return (Policy) Proxy.newProxyInstance(Policy.class.getClassLoader(), new Class<?>[] {Policy.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("exportState")) {
                            throw new IllegalStateException("export fails on purpose");
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }).build();
        return Agent.create(config, AgentCheckpointTest.training(), JAVA);
    }

    @Test
    void failedSaveRemovesTheDirectoriesItCreatedAndItsTemp() throws IOException {
        Agent agent = agentWhoseSaveFails();
        Files.createDirectories(dir.resolve("existing"));
        Path target = dir.resolve("existing/new1/x/../new2");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> agent.save(target));
        assertEquals("export fails on purpose", e.getMessage());
        assertEquals(Set.of("existing"), names());
        try (Stream<Path> files = Files.list(dir.resolve("existing"))) {
            assertEquals(0, files.count(), "no directory and no temp left behind");
        }
        assertThrows(IllegalStateException.class, () -> agent.save(dir));
        assertEquals(Set.of("existing"), names(), "no temp left in an existing directory");
    }

    @Test
    void saveUnderAFileFailsFastNamingThePathAndTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        Path target = file.resolve("run1");
        IOException e = assertThrows(IOException.class, () -> agent().save(target));
        assertEquals("cannot save a checkpoint in " + target + ": " + file + " is not a directory", e.getMessage());
        IOException check = assertThrows(IOException.class, () -> Agent.checkSaveDirectory(target));
        assertEquals(e.getMessage(), check.getMessage());
        assertEquals(Set.of("notes.txt"), names());
    }

    @Test
    void checkpointFileThatIsADirectoryIsRefusedBeforeWriting() throws IOException {
        Files.createDirectories(dir.resolve("agent.calql"));
        IOException e = assertThrows(IOException.class, () -> agent().save(dir));
        assertTrue(e.getMessage().endsWith(dir.resolve("agent.calql") + " is a directory"), e.getMessage());
        assertThrows(IOException.class, () -> Agent.checkSaveDirectory(dir));
        assertEquals(Set.of("agent.calql"), names());
    }

    @Test
    void checkSaveDirectoryCreatesNothing() throws IOException {
        Agent.checkSaveDirectory(dir.resolve("a/b/c"));
        assertEquals(Set.of(), names());
    }

    @Test
    void unwritableDirectoryFailsNamingIt() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path locked = Files.createDirectories(dir.resolve("readonly"));
        assertTrue(locked.toFile().setWritable(false, false));
        try {
            IOException e = assertThrows(IOException.class, () -> agent().save(locked.resolve("run")));
            assertEquals("cannot save a checkpoint in " + locked.resolve("run") + ": " + locked + " is not writable",
                    e.getMessage());
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }
}
