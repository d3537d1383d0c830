package org.calql.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.calql.agent.Agent;
import org.calql.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick-start compiles (it is {@link QuickStart}), matches the README, and runs. */
class QuickStartTest {

    @Test
    void readmeSnippetIsTheCompiledQuickStart() throws IOException {
        Path readme = Path.of("..", "README.md");
        Path source = Path.of("src", "main", "java", "org", "calql", "examples", "quickstart", "QuickStart.java");
        List<String> code = between(Files.readAllLines(source), "// quickstart:begin", "// quickstart:end");
        List<String> doc = between(Files.readAllLines(readme), "```java", "```");
        assertTrue(code.size() > 5, "quick-start markers found");
        assertEquals(strip(code), strip(doc), "README quick-start differs from QuickStart.java");
    }

    @Test
    void quickStartRunsAndSaves(@TempDir Path dir) throws IOException {
        System.setProperty("calql.backend", "java");
        try {
            Agent agent = QuickStart.run(3, 3, TrainingListener.none(), dir);
            assertEquals(3, agent.pretrainUpdates());
            assertTrue(Files.size(dir.resolve("agent.calql")) > 0);
        } finally {
            System.clearProperty("calql.backend");
        }
    }

    private static List<String> between(List<String> lines, String begin, String end) {
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(begin)) {
                from = i + 1;
                break;
            }
        }
        assertTrue(from > 0, "marker " + begin + " not found");
        int to = from;
        while (to < lines.size() && !lines.get(to).trim().startsWith(end)) {
            to++;
        }
        return lines.subList(from, to);
    }

    private static String strip(List<String> lines) {
        return lines.stream().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.joining("\n"));
    }
}
