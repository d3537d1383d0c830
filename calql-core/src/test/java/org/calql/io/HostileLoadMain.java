package org.calql.io;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Loads each file given and prints one line per file: {@code OUTCOME <class> <millis> <message>}, where
 * {@code <class>} is {@code loaded} or the simple name of what was thrown (with {@code /OOM} appended if
 * an {@link OutOfMemoryError} is in its cause chain). Run in a small-heap JVM by {@link HostileDatasetTest}.
 */
final class HostileLoadMain {
    private HostileLoadMain() {
    }

    public static void main(String[] args) {
        for (String arg : args) {
            Path file = Paths.get(arg);
            long start = System.nanoTime();
            String outcome;
            String message = "";
            try {
                DatasetLoader.load(file);
                outcome = "loaded";
            } catch (Throwable e) {
                outcome = e.getClass().getSimpleName() + (HdfFuzzMain.hasOutOfMemory(e) ? "/OOM" : "");
                message = String.valueOf(e.getMessage()).replace('\n', ' ');
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("OUTCOME " + outcome + " " + millis + " " + message);
        }
    }
}
