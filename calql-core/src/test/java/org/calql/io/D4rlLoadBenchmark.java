package org.calql.io;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.calql.data.OfflineDataset;

/**
 * Measures load time and peak heap of {@link D4rlReader} on a large D4RL-style file; a plain main, not
 * part of the test suite (JMH-free, so that the heap it measures is the loader's alone).
 *
 * <pre>
 * CP=calql-core/target/classes:calql-core/target/test-classes:&lt;jhdf and its dependencies&gt;
 * # 1,000,000 rows, 29-dim observations, 8-dim actions, gzip (15625, 1) chunks as h5py makes them
 * java -Xmx3g -cp $CP org.calql.io.D4rlLoadBenchmark write /tmp/d4rl-1m.hdf5 1000000 29 8 chunked
 * # load it three times under a heap limit of about twice the raw float bytes
 * java -Xmx320m -cp $CP org.calql.io.D4rlLoadBenchmark load /tmp/d4rl-1m.hdf5 3
 * </pre>
 *
 * <p>Peak heap is the largest heap occupancy seen just before any garbage collection during a load or
 * at its end, minus the occupancy after a full collection before it; with a small {@code -Xmx}
 * the run itself shows the load fits.
 */
public final class D4rlLoadBenchmark {
    private D4rlLoadBenchmark() {
    }

    /**
     * {@code write FILE [rows] [obsDim] [actDim] [chunked|contiguous]} or {@code load FILE [repeats]}.
     *
     * @param args the command
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("write")) {
            int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
            int obsDim = args.length > 3 ? Integer.parseInt(args[3]) : 29;
            int actDim = args.length > 4 ? Integer.parseInt(args[4]) : 8;
            boolean chunked = args.length <= 5 || args[5].equals("chunked");
            write(Path.of(args[1]), rows, obsDim, actDim, chunked);
        } else if (args.length >= 2 && args[0].equals("load")) {
            load(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 3);
        } else {
            System.err.println("usage: write FILE [rows] [obsDim] [actDim] [chunked|contiguous] | load FILE [repeats]");
            System.exit(2);
        }
    }

    static void write(Path file, int rows, int obsDim, int actDim, boolean chunked) {
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(7);
        float[][] obs = new float[rows][obsDim];
        float[][] act = new float[rows][actDim];
        float[] rewards = new float[rows];
        boolean[] terminals = new boolean[rows];
        boolean[] timeouts = new boolean[rows];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < obsDim; j++) {
                obs[t][j] = (float) Math.sin(t * 0.001 + j) + (float) (0.01 * random.nextGaussian());
            }
            for (int j = 0; j < actDim; j++) {
                act[t][j] = (float) (2 * random.nextDouble() - 1);
            }
            rewards[t] = random.nextInt(100) == 0 ? 1f : 0f;
            terminals[t] = random.nextInt(2000) == 0;
            timeouts[t] = t % 1000 == 999;
        }
        try (WritableHdfFile out = HdfFile.write(file)) {
            if (chunked) {
                out.putDataset("observations", obs, gzip(15625, 1));
                out.putDataset("actions", act, gzip(15625, 1));
                out.putDataset("rewards", rewards, gzip(7813));
                out.putDataset("terminals", terminals, gzip(7813));
                out.putDataset("timeouts", timeouts, gzip(7813));
            } else {
                out.putDataset("observations", obs);
                out.putDataset("actions", act);
                out.putDataset("rewards", rewards);
                out.putDataset("terminals", terminals);
                out.putDataset("timeouts", timeouts);
            }
        }
        System.out.printf("wrote %s: %d rows, obs %d, act %d, %s, %.1f MB in %.1f s%n", file, rows, obsDim, actDim,
                chunked ? "gzip chunks (15625, 1)" : "contiguous", size(file) / 1e6, (System.nanoTime() - start) / 1e9);
    }

    private static DatasetCreationOptions gzip(int... chunk) {
        return DatasetCreationOptions.builder().chunkDimensions(chunk).deflate(4).build();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static void load(Path file, int repeats) throws Exception {
        AtomicLong peakBeforeGc = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                            .from((CompositeData) notification.getUserData());
                    long used = 0;
                    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                        if (isHeapPool(e.getKey())) {
                            used += e.getValue().getUsed();
                        }
                    }
                    peakBeforeGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf("file %s (%.1f MB), -Xmx %.0f MB, %s%n", file, size(file) / 1e6, maxHeap / 1e6,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        for (int r = 0; r < repeats; r++) {
            long baseline = usedAfterFullGc();
            peakBeforeGc.set(0);
            long start = System.nanoTime();
            OfflineDataset data = D4rlReader.read(file);
            long elapsed = System.nanoTime() - start;
            long usedAtEnd = usedNow();
            Thread.sleep(100); // let pending GC notifications arrive
            long peak = Math.max(peakBeforeGc.get(), usedAtEnd) - baseline;
            long retained = usedAfterFullGc() - baseline;
            long raw = (long) (data.size() + 1) * (data.observationDim() + data.actionDim() + 1) * Float.BYTES;
            long rows = data.size();
            System.out.printf("load %d: %d transitions, %d episodes in %.2f s; raw float bytes in file ~%.1f MB;"
                    + " peak heap %.1f MB (%.2fx raw); retained dataset %.1f MB%n", r + 1, rows, data.episodeCount(),
                    elapsed / 1e9, raw / 1e6, peak / 1e6, (double) peak / raw, retained / 1e6);
        }
    }

    private static boolean isHeapPool(String name) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    private static long usedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long usedAfterFullGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return usedNow();
    }
}
