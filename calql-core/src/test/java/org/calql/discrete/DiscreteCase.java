package org.calql.discrete;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
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
import org.calql.regularizer.Regularizers;
import org.calql.spi.Initialization;

/** One golden case of format {@code calql-discrete-update-case/1} (see the conformance README). */
final class DiscreteCase {
    /** System property naming a folder of {@code *.json} cases; default: the bundled copies. */
    static final String DIR_PROPERTY = "calql.conformance.discrete.dir";
    static final String FORMAT = "calql-discrete-update-case/1";
    private static final String BUNDLED = "/conformance/discrete";

    final String name;
    final JsonObject root;
    final JsonObject config;

    private DiscreteCase(JsonObject root, Path file) {
        this.root = root;
        this.name = root.get("name").getAsString();
        this.config = root.getAsJsonObject("config");
        String format = root.get("format").getAsString();
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("case " + file + " has format " + format + ", expected " + FORMAT);
        }
    }

    /** Every case in the folder named by {@value #DIR_PROPERTY}, or the bundled ones, sorted by file name. */
    static List<DiscreteCase> loadAll() throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return loadFrom(Paths.get(dir));
        }
        URL url = DiscreteCase.class.getResource(BUNDLED);
        if (url == null) {
            throw new IOException("bundled discrete conformance cases " + BUNDLED + " not on the class path");
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

    private static List<DiscreteCase> loadFrom(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("discrete conformance folder " + dir + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no *.json cases in " + dir);
        }
        List<DiscreteCase> cases = new ArrayList<>();
        for (Path f : files) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                cases.add(new DiscreteCase(JsonParser.parseReader(r).getAsJsonObject(), f));
            }
        }
        return cases;
    }

    /** The case's settings as a {@link DiscreteConfig}. */
    DiscreteConfig toConfig() {
        String td = config.get("tdLoss").getAsString();
        TdLoss loss = switch (td) {
            case "huber" -> TdLoss.HUBER;
            case "mse" -> TdLoss.MSE;
            default -> throw new IllegalArgumentException("case " + name + ": unknown tdLoss " + td);
        };
        return DiscreteConfig.builder()
                .observationDim(config.get("obsDim").getAsInt())
                .numActions(config.get("numActions").getAsInt())
                .batchSize(config.get("batchSize").getAsInt())
                .criticHidden(ints(config.getAsJsonArray("qHidden")))
                .criticCount(config.get("criticCount").getAsInt())
                .initialization(Initialization.PYTORCH_DEFAULT)
                .discount(config.get("discount").getAsDouble())
                .lr(config.get("lr").getAsDouble())
                .cqlAlpha(config.get("cqlAlpha").getAsDouble())
                .tdLoss(loss)
                .doubleDqn(config.get("doubleDqn").getAsBoolean())
                .targetUpdatePeriod(config.get("targetUpdatePeriod").getAsInt())
                .tau(config.get("tau").getAsDouble())
                .regularizer(config.get("calibrated").getAsBoolean() ? Regularizers.calQl() : Regularizers.cql())
                .build();
    }

    /** {@code [K][w0, b0, w1, b1, …]} from a list of networks, each a list of layers {weight, bias}. */
    static double[][][] networks(JsonArray networks) {
        double[][][] out = new double[networks.size()][][];
        for (int k = 0; k < out.length; k++) {
            out[k] = layers(networks.get(k).getAsJsonArray());
        }
        return out;
    }

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

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = a.get(i);
            out[i] = e.getAsInt();
        }
        return out;
    }
}
