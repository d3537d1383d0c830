package org.calql.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.calql.agent.Agent;
import org.calql.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start is {@link QuickStart}, and it compiles and runs with nothing but calql-core, calql-nd4j
 * and their runtime dependencies: the README's text is compiled by a separate {@code javac} run against that class
 * path (written by {@code dependency:build-classpath}, see this module's POM) and run in a forked JVM.
 */
class QuickStartTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path COPY = Path.of("src", "main", "java", "org", "calql", "quickstart", "QuickStart.java");

    @Test
    void readmeQuickStartIsThisModulesQuickStart() throws IOException {
        List<String> code = between(Files.readAllLines(COPY), "// quickstart:begin", "// quickstart:end");
        List<String> doc = between(Files.readAllLines(README), "```java", "```");
        assertTrue(code.size() > 30, "quick-start markers found");
        assertEquals(String.join("\n", code), String.join("\n", doc), "README quick start differs from " + COPY);
    }

    @Test
    void readmeQuickStartCompilesAndRunsOnCoreAndNd4jAlone(@TempDir Path dir) throws Exception {
        List<String> classPath = userClassPath();
        assertOnlyCoreAndNd4j(classPath);

        // a separate build: the README's text, javac, the user's class path and nothing else
        Path source = Files.createDirectories(dir.resolve("src")).resolve("QuickStart.java");
        Files.write(source, between(Files.readAllLines(README), "```java", "```"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "-implicit:none",
                        "-classpath", String.join(File.pathSeparator, classPath), "-d", classes.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source))
                .call();
        assertTrue(compiled, "the README quick start does not compile against calql-core + calql-nd4j:\n" + diagnostics);

        // run it on ND4J (found through ServiceLoader in calql-nd4j's jar) with 3 steps per phase
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-D" + Backends.PROPERTY + "=nd4j", "-cp",
                classes + File.pathSeparator + String.join(File.pathSeparator, classPath), "QuickStart", "3"));
        Path log = dir.resolve("quickstart.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertTrue(finished, "the quick start did not finish in 180 s:\n" + output);
        assertEquals(0, process.exitValue(), "the quick start failed:\n" + output);
        assertTrue(output.contains("saved to runs/quickstart"), output);

        Path checkpoint = dir.resolve("runs").resolve("quickstart");
        assertTrue(Files.size(checkpoint.resolve("agent.calql")) > 0, "no checkpoint written");
        Agent saved = Agent.load(checkpoint, Backends.named("java"));
        assertEquals(3, saved.pretrainUpdates(), "the saved agent took the quick start's 3 offline steps");
        assertEquals(3, saved.finetuneSteps(), "the saved agent took the quick start's 3 online steps");
        assertEquals(1, saved.observationDim());
    }

    /** calql-core, calql-nd4j and their runtime dependencies, as {@code dependency:build-classpath} wrote them. */
    private static List<String> userClassPath() throws IOException {
        Path file = Path.of(System.getProperty("calql.quickstart.classpath", "target/quickstart-classpath.txt"));
        assertTrue(Files.isRegularFile(file), "class path file " + file + " missing (written by the POM's "
                + "quickstart-classpath execution)");
        return List.of(Files.readString(file).strip().split(File.pathSeparator));
    }

    private static void assertOnlyCoreAndNd4j(List<String> classPath) throws Exception {
        List<String> calqlEntries = classPath.stream().filter(e -> module(e) != null).collect(Collectors.toList());
        assertEquals(List.of("calql-core", "calql-nd4j"),
                calqlEntries.stream().map(QuickStartTest::module).sorted().collect(Collectors.toList()),
                "calql modules on the user's class path: " + calqlEntries);
        URL[] urls = new URL[classPath.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = Path.of(classPath.get(i)).toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            loader.loadClass("org.calql.agent.Agent");
            loader.loadClass("org.calql.nd4j.Nd4jBackendProvider");
            for (String absent : List.of("org.calql.examples.env.PointMaze", "org.calql.examples.env.DatasetGenerator",
                    "org.calql.quickstart.QuickStart", "picocli.CommandLine", "org.knowm.xchart.XYChart",
                    "org.junit.jupiter.api.Test")) {
                assertThrows(ClassNotFoundException.class, () -> loader.loadClass(absent),
                        absent + " is on the user's class path");
            }
        }
        assertFalse(classPath.isEmpty());
    }

    /**
     * The calql module an entry is ({@code calql-core} for {@code .../calql-core/target/classes} in the reactor or
     * {@code calql-core-0.1.0-SNAPSHOT.jar} from a repository), or null for a third-party jar.
     */
    private static String module(String entry) {
        Path path = Path.of(entry);
        String name = path.getFileName().toString();
        if (Files.isDirectory(path) && path.getParent() != null && path.getParent().getParent() != null) {
            name = path.getParent().getParent().getFileName().toString(); // <module>/<target>/classes
        }
        if (!name.startsWith("calql-")) {
            return null;
        }
        return name.replaceFirst("-\\d.*$", "");
    }

    private static List<String> between(List<String> lines, String begin, String end) {
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(begin)) {
                from = i + 1;
                break;
            }
        }
        assertTrue(from > 0, "marker " + begin + " not found");
        int to = from;
        while (to < lines.size() && !lines.get(to).strip().startsWith(end)) {
            to++;
        }
        assertTrue(to < lines.size(), "marker " + end + " not found");
        return lines.subList(from, to).stream().map(String::stripTrailing).collect(Collectors.toList());
    }
}
