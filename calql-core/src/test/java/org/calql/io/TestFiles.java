package org.calql.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small HDF5 files with jHDF for the reader tests: key → Java array, groups by "a/b" keys. */
final class TestFiles {
    private final Map<String, Object> datasets = new LinkedHashMap<>();
    private final Map<String, DatasetCreationOptions> options = new LinkedHashMap<>();

    static TestFiles hdf5() {
        return new TestFiles();
    }

    /** Adds a dataset (a Java array: float[][], double[], byte[], boolean[], ...). */
    TestFiles put(String key, Object data) {
        datasets.put(key, data);
        return this;
    }

    /** Adds a gzip-chunked dataset with the given chunk shape. */
    TestFiles putChunked(String key, Object data, int... chunk) {
        datasets.put(key, data);
        options.put(key, DatasetCreationOptions.builder().chunkDimensions(chunk).deflate().build());
        return this;
    }

    TestFiles remove(String key) {
        datasets.remove(key);
        options.remove(key);
        return this;
    }

    Path write(Path file) {
        try (WritableHdfFile out = HdfFile.write(file)) {
            Map<String, WritableGroup> groups = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : datasets.entrySet()) {
                String key = e.getKey();
                WritableGroup parent = out;
                String[] parts = key.split("/");
                StringBuilder path = new StringBuilder();
                for (int i = 0; i < parts.length - 1; i++) {
                    path.append(parts[i]).append('/');
                    WritableGroup p = parent;
                    String name = parts[i];
                    parent = groups.computeIfAbsent(path.toString(), k -> p.putGroup(name));
                }
                DatasetCreationOptions o = options.get(key);
                if (o == null) {
                    parent.putDataset(parts[parts.length - 1], e.getValue());
                } else {
                    parent.putDataset(parts[parts.length - 1], e.getValue(), o);
                }
            }
        }
        return file;
    }

    /** {@code [n, width]} with {@code value(t, j)}. */
    static float[][] matrix(int n, int width, Value value) {
        float[][] m = new float[n][width];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < width; j++) {
                m[t][j] = value.at(t, j);
            }
        }
        return m;
    }

    /** Element formula for {@link #matrix}. */
    @FunctionalInterface
    interface Value {
        float at(int t, int j);
    }

    /** A D4RL layout of {@code n} rows with simple formulas: obs[t, j] = t + j/100, act[t, j] = -t - j/10, r = t/2. */
    static TestFiles d4rl(int n, int obsDim, int actDim, boolean[] terminals, boolean[] timeouts) {
        double[] rewards = new double[n];
        for (int t = 0; t < n; t++) {
            rewards[t] = t / 2.0;
        }
        return hdf5()
                .put("observations", matrix(n, obsDim, (t, j) -> t + j / 100f))
                .put("actions", matrix(n, actDim, (t, j) -> -t - j / 10f))
                .put("rewards", rewards)
                .put("terminals", terminals)
                .put("timeouts", timeouts)
                .put("infos/qpos", matrix(n, 2, (t, j) -> 0f));
    }

    static boolean[] flags(int n, int... set) {
        boolean[] b = new boolean[n];
        for (int t : set) {
            b[t] = true;
        }
        return b;
    }

    static byte[] bytes(boolean[] flags) {
        byte[] b = new byte[flags.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (flags[i] ? 1 : 0);
        }
        return b;
    }

    private TestFiles() {
    }
}
