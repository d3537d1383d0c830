package org.calql.interop;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checked-in files of {@code src/test/resources/interop} (written by {@code make_corl_files.py}). */
final class InteropFiles {
    private InteropFiles() {
    }

    static Path resource(String name) {
        try {
            return Path.of(InteropFiles.class.getResource("/interop/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource interop/" + name, e);
        }
    }

    static JsonObject json(String name) throws IOException {
        return JsonParser.parseString(Files.readString(resource(name))).getAsJsonObject();
    }

    static double[] doubles(com.google.gson.JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    static double[][] matrix(com.google.gson.JsonArray a) {
        double[][] m = new double[a.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = doubles(a.get(i).getAsJsonArray());
        }
        return m;
    }
}
