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
     * The backend named by {@code -Dcalql.backend}, else the highest-ranked one on the class path
     * (ND4J when {@code calql-nd4j} is present, else plain Java).
     */
    public static Backend best() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return named(chosen);
        }
        return providers().stream().max(Comparator.comparingInt(BackendProvider::rank))
                .orElseThrow(() -> new IllegalStateException("no calql backend on the class path"))
                .create();
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
