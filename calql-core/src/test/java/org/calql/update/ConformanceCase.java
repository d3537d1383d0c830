package org.calql.update;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.calql.config.CalQlConfig;
import org.calql.regularizer.Calibration;
import org.calql.regularizer.CqlRegularizer;
import org.calql.spi.Initialization;

/** One golden case of format {@code calql-update-case/1} (see the conformance README). */
final class ConformanceCase {
    /** System property naming a folder of {@code *.json} cases; default: the bundled copies. */
    static final String DIR_PROPERTY = "calql.conformance.dir";
    private static final String BUNDLED = "/conformance/update";

    final String name;
    final JsonObject root;
    final JsonObject config;

    private ConformanceCase(JsonObject root) {
        this.root = root;
        this.name = root.get("name").getAsString();
        this.config = root.getAsJsonObject("config");
        String format = root.get("format").getAsString();
        if (!format.equals("calql-update-case/1")) {
            throw new IllegalArgumentException("case " + name + " has unknown format " + format);
        }
    }

    /** Every case in the folder named by {@value #DIR_PROPERTY}, or the bundled ones, sorted by file name. */
    static List<ConformanceCase> loadAll() throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return loadFrom(Paths.get(dir));
        }
        URL url = ConformanceCase.class.getResource(BUNDLED);
        if (url == null) {
            throw new IOException("bundled conformance cases " + BUNDLED + " not on the class path");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Collections.emptyMap())) {
                    return loadFrom(fs.getPath(BUNDLED));
                }
            }
            return loadFrom(Paths.get(uri));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static List<ConformanceCase> loadFrom(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("conformance folder " + dir + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no *.json cases in " + dir);
        }
        List<ConformanceCase> cases = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f);
                 Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                cases.add(new ConformanceCase(JsonParser.parseReader(r).getAsJsonObject()));
            }
        }
        return cases;
    }

    int intValue(String key) {
        return config.get(key).getAsInt();
    }

    double doubleValue(String key) {
        return config.get(key).getAsDouble();
    }

    boolean flag(String key) {
        return config.get(key).getAsBoolean();
    }

    double doubleOr(JsonObject o, String key, double otherwise) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? otherwise : e.getAsDouble();
    }

    /** The case's settings as a {@link CalQlConfig}. */
    CalQlConfig toConfig() {
        JsonArray qHidden = config.getAsJsonArray("qHidden");
        JsonArray policyHidden = config.getAsJsonArray("policyHidden");
        CqlRegularizer regularizer = CqlRegularizer.builder()
                .temperature(doubleValue("cqlTemp"))
                .importanceSampling(flag("importanceSample"))
                .clipDiff(doubleOr(config, "clipDiffMin", Double.NEGATIVE_INFINITY),
                        doubleOr(config, "clipDiffMax", Double.POSITIVE_INFINITY))
                .calibration(flag("calibrated") ? Calibration.lowerBound() : Calibration.none())
                .build();
        return CalQlConfig.builder()
                .observationDim(intValue("obsDim"))
                .actionDim(intValue("actDim"))
                .batchSize(intValue("batchSize"))
                .cqlNActions(intValue("cqlNActions"))
                .qHidden(ints(qHidden))
                .policyHidden(ints(policyHidden))
                .initialization(Initialization.PYTORCH_DEFAULT)
                .maxAction(doubleValue("maxAction"))
                .discount(doubleValue("discount"))
                .tau(doubleValue("tau"))
                .qfLr(doubleValue("qfLr"))
                .policyLr(doubleValue("policyLr"))
                .alphaMultiplier(doubleValue("alphaMultiplier"))
                .autoEntropy(flag("autoEntropy"))
                .backupEntropy(flag("backupEntropy"))
                .targetEntropy(doubleValue("targetEntropy"))
                .logStdMultiplier(doubleValue("logStdMultiplier"))
                .logStdOffset(doubleValue("logStdOffset"))
                .initLogAlpha(doubleOr(config, "initLogAlpha", 0.0))
                .initLogAlphaPrime(doubleValue("initLogAlphaPrime"))
                .cqlAlpha(doubleValue("cqlAlpha"))
                .lagrange(flag("lagrange"))
                .targetActionGap(doubleValue("targetActionGap"))
                .maxTargetBackup(flag("maxTargetBackup"))
                .regularizer(regularizer)
                .build();
    }

    /** Parameters in the case's layout ({@code initialParameters} or {@code finalParameters}). */
    static ModelParameters parameters(JsonObject p) {
        double[][][] critics = {layers(p.getAsJsonArray("q1")), layers(p.getAsJsonArray("q2"))};
        double[][][] targets = {layers(p.getAsJsonArray("q1Target")), layers(p.getAsJsonArray("q2Target"))};
        JsonElement logAlpha = p.get("logAlpha");
        return TanhParameters.of(critics, targets, layers(p.getAsJsonArray("policy")),
                p.get("logStdMultiplier").getAsDouble(), p.get("logStdOffset").getAsDouble(),
                logAlpha == null || logAlpha.isJsonNull() ? 0.0 : logAlpha.getAsDouble(),
                p.get("logAlphaPrime").getAsDouble());
    }

    /** Layers {@code [{weight, bias, shape}]} as {@code [w0, b0, w1, b1, …]}. */
    static double[][] layers(JsonArray layers) {
        double[][] out = new double[2 * layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            JsonObject layer = layers.get(l).getAsJsonObject();
            out[2 * l] = doubles(layer.getAsJsonArray("weight"));
            out[2 * l + 1] = doubles(layer.getAsJsonArray("bias"));
        }
        return out;
    }

    static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
