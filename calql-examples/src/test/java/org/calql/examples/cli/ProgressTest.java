package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void linesWithoutTerminalHaveNoCarriageReturnOrEscape() {
        StringWriter text = new StringWriter();
        try (Progress p = Progress.lines("work", 1000, new PrintWriter(text, true), 10)) {
            for (int i = 0; i < 1000; i++) {
                p.step(1);
            }
        }
        String s = text.toString();
        assertFalse(s.contains("\r"), s);
        assertFalse(s.contains("\u001b"), s);
        String[] lines = s.split("\n");
        assertEquals(10, lines.length, s);
        assertTrue(lines[0].startsWith("work:  10% (100/1000)"), lines[0]);
        assertTrue(lines[9].startsWith("work: 100% (1000/1000)"), lines[9]);
    }

    @Test
    void withoutConsoleCreateChoosesPlainLines() {
        // Under the test runner there is no console, as in CI logs.
        StringWriter text = new StringWriter();
        try (Progress p = Progress.create("task", 4, new PrintWriter(text, true))) {
            p.step(2);
            p.step(2);
        }
        if (System.console() == null) {
            assertTrue(text.toString().contains("task: 100% (4/4)"), text.toString());
            assertFalse(text.toString().contains("\r"));
        }
    }

    @Test
    void overshootIsClampedAndReportedOnce() {
        StringWriter text = new StringWriter();
        try (Progress p = Progress.lines("w", 10, new PrintWriter(text, true), 2)) {
            p.step(25);
            p.step(5);
        }
        assertEquals("w: 100% (10/10)", text.toString().split(" \\d+ s elapsed")[0]);
    }
}
