package org.calql.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds backends through {@link ServiceLoader}. */
public final class Backends {
    /** System property that names the backend {@link #best()} returns. */
    public static final String PROPERTY = "calql.backend";

    private Backends() {
    }

    /**
     * The backend named by {@code -Dcalql.backend} (which must start), else the highest-ranked one on the
     * class path that starts (ND4J when {@code calql-nd4j} and natives for this platform are present, else
     * plain Java). A higher-ranked backend that fails to start, e.g. for missing natives, is skipped with a
     * one-line note on standard error.
     */
    public static Backend best() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return named(chosen);
        }
        List<BackendProvider> ranked = new ArrayList<>(providers());
        ranked.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        RuntimeException first = null;
        for (BackendProvider p : ranked) {
            try {
                return p.create();
            } catch (RuntimeException | LinkageError e) {
                System.err.println("calql: backend '" + p.name() + "' could not start (" + e.getMessage()
                        + "); trying the next one. Set -D" + PROPERTY + "=NAME to choose.");
                if (first == null) {
                    first = new IllegalStateException("backend '" + p.name() + "' could not start", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        throw new IllegalStateException("no calql backend on the class path");
    }

    /**
     * The backend with this name.
     *
     * @throws IllegalArgumentException if none has it, listing the names that exist
     */
    public static Backend named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (BackendProvider p : providers()) {
            if (p.name().equalsIgnoreCase(wanted)) {
                return p.create();
            }
        }
        throw new IllegalArgumentException("unknown calql backend '" + name + "'; available: " + available()
                + " (add calql-nd4j to the class path for 'nd4j')");
    }

    /** Names of the backends on the class path, best first. */
    public static List<String> available() {
        return providers().stream().sorted(Comparator.comparingInt(BackendProvider::rank).reversed())
                .map(BackendProvider::name).collect(Collectors.toList());
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        return list;
    }
}
