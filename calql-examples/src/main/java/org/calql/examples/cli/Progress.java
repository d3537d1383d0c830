package org.calql.examples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work. On a terminal it is a console progress bar; without one (CI logs, pipes) it
 * prints plain lines at every tenth of the work, with no carriage returns or ANSI escapes. Thread-safe.
 */
public abstract class Progress implements AutoCloseable {

    /**
     * A bar on standard error when there is a terminal ({@code System.console() != null}), else plain lines
     * every 10% on {@code lines}.
     */
    public static Progress create(String task, long total, PrintWriter lines) {
        return System.console() != null ? bar(task, total, System.err) : lines(task, total, lines, 10);
    }

    /** Plain lines every {@code 100/parts} percent, e.g. {@code parts = 10}: every 10%. */
    public static Progress lines(String task, long total, PrintWriter out, int parts) {
        return new Lines(task, total, out, parts);
    }

    /** A console progress bar (for terminals). */
    public static Progress bar(String task, long total, PrintStream out) {
        return new Bar(task, total, out);
    }

    /** Progress that shows nothing. */
    public static Progress silent() {
        return new Progress() {
            @Override
            public void step(long n) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Records {@code n} more units of work done. */
    public abstract void step(long n);

    /** Ends the display. */
    @Override
    public abstract void close();

    private static final class Lines extends Progress {
        private final String task;
        private final long total;
        private final PrintWriter out;
        private final int parts;
        private final long start = System.nanoTime();
        private long done;
        private int shown;

        Lines(String task, long total, PrintWriter out, int parts) {
            this.task = task;
            this.total = Math.max(1, total);
            this.out = out;
            this.parts = Math.max(1, parts);
        }

        @Override
        public synchronized void step(long n) {
            done = Math.min(total, done + n);
            int part = (int) (done * parts / total);
            if (part > shown) {
                shown = part;
                double seconds = (System.nanoTime() - start) / 1e9;
                double eta = done == 0 ? Double.NaN : seconds * (total - done) / done;
                out.printf(Locale.ROOT, "%s: %3d%% (%d/%d) %.0f s elapsed, about %.0f s left%n", task,
                        Math.round(100.0 * done / total), done, total, seconds, eta);
                out.flush();
            }
        }

        @Override
        public synchronized void close() {
        }
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String task, long total, PrintStream out) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(out)).build();
        }

        @Override
        public synchronized void step(long n) {
            bar.stepBy(n);
        }

        @Override
        public synchronized void close() {
            bar.close();
        }
    }
}
