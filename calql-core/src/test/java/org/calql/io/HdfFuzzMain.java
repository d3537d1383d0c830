package org.calql.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded fuzzing of HDF5 metadata: for each file, {@code count} copies with one corruption each at a
 * byte outside the file's raw data (its superblock, object headers, B-trees, heaps, chunk indices),
 * each loaded with {@link DatasetLoader#load(Path)}. Corruptions: a random byte, a flipped bit, or a
 * 2-, 4- or 8-byte little-endian field overwritten with an extreme or random value.
 *
 * <p>Prints {@code FUZZ tried=T loaded=L refused=R io=I other=O slowestMs=S} and, for each outcome other
 * than a load, a {@link DatasetFormatException} or an {@link IOException}, a line {@code OTHER ...}. A
 * {@code DatasetFormatException} caused by an {@link OutOfMemoryError} counts as other: the size checks
 * should have refused the file before it allocated. Run in a small-heap JVM by {@link HostileDatasetTest}.
 *
 * <p>Arguments: {@code seed count workDir file...}. A file given as {@code path@n} is one of discrete actions: each
 * corrupted copy is first given to {@link DatasetLoader#inspect(Path)} (whose outcomes other than a result, a
 * {@code DatasetFormatException} or an {@code IOException} count as other) and then loaded with
 * {@link DatasetLoader#loadDiscrete(Path, int)} with that {@code n}.
 */
final class HdfFuzzMain {
    private static final long[] EXTREMES = {-1L, Long.MAX_VALUE, Integer.MAX_VALUE, 0xFFFFFFFFL, 2_000_000_000L,
        1L << 40, 0L, 1L, 255L, 65535L};

    private HdfFuzzMain() {
    }

    public static void main(String[] args) throws IOException {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        Path work = Paths.get(args[2]);
        Files.createDirectories(work);
        SplittableRandom random = new SplittableRandom(seed);
        int tried = 0;
        int loaded = 0;
        int refused = 0;
        int io = 0;
        int other = 0;
        long slowest = 0;
        for (int f = 3; f < args.length; f++) {
            int at = args[f].lastIndexOf('@');
            int numActions = at < 0 ? 0 : Integer.parseInt(args[f].substring(at + 1));
            Path original = Paths.get(at < 0 ? args[f] : args[f].substring(0, at));
            byte[] pristine = Files.readAllBytes(original);
            BitSet data = dataBytes(original);
            int[] metadata = data.isEmpty() ? null : metadataPositions(pristine.length, data);
            for (int i = 0; i < count; i++) {
                byte[] bytes = pristine.clone();
                int position = metadata == null ? random.nextInt(bytes.length)
                        : metadata[random.nextInt(metadata.length)];
                String what = corrupt(bytes, position, random);
                Path file = work.resolve("fuzz-" + f + "-" + i + ".hdf5");
                Files.write(file, bytes);
                tried++;
                long start = System.nanoTime();
                if (numActions > 0) {
                    try {
                        DatasetLoader.inspect(file);
                    } catch (DatasetFormatException e) {
                        if (hasOutOfMemory(e)) {
                            other++;
                            report(original, "inspect: " + what, e);
                        }
                    } catch (IOException e) {
                        // counted with the load below
                    } catch (Throwable e) {
                        other++;
                        report(original, "inspect: " + what, e);
                    }
                }
                try {
                    if (numActions > 0) {
                        DatasetLoader.loadDiscrete(file, numActions);
                    } else {
                        DatasetLoader.load(file);
                    }
                    loaded++;
                } catch (DatasetFormatException e) {
                    if (hasOutOfMemory(e)) {
                        other++;
                        report(original, what, e);
                    } else {
                        refused++;
                    }
                } catch (IOException e) {
                    io++;
                } catch (Throwable e) {
                    other++;
                    report(original, what, e);
                }
                slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                Files.delete(file);
            }
        }
        System.out.println("FUZZ tried=" + tried + " loaded=" + loaded + " refused=" + refused + " io=" + io
                + " other=" + other + " slowestMs=" + slowest);
    }

    private static void report(Path file, String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StringBuilder trace = new StringBuilder();
        for (StackTraceElement element : root.getStackTrace()) {
            if (trace.length() > 600) {
                break;
            }
            trace.append(" at ").append(element);
        }
        System.out.println("OTHER " + file.getFileName() + " " + what + ": " + e
                + (root == e ? "" : " caused by " + root) + trace);
    }

    static boolean hasOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Applies one corruption at {@code position}; returns a description of it. */
    private static String corrupt(byte[] bytes, int position, SplittableRandom random) {
        int kind = random.nextInt(5);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (kind) {
            case 0: {
                byte value = (byte) random.nextInt(256);
                bytes[position] = value;
                return "byte " + position + " = " + (value & 0xFF);
            }
            case 1: {
                int bit = random.nextInt(8);
                bytes[position] ^= (byte) (1 << bit);
                return "bit " + bit + " of byte " + position + " flipped";
            }
            default: {
                int width = kind == 2 ? 2 : kind == 3 ? 4 : 8;
                int at = Math.min(position, bytes.length - width);
                long value = random.nextBoolean() ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextLong();
                for (int b = 0; b < width; b++) {
                    buffer.put(at + b, (byte) (value >>> (8 * b)));
                }
                return width + " bytes at " + at + " = " + value;
            }
        }
    }

    private static int[] metadataPositions(int length, BitSet data) {
        int[] positions = new int[length - data.cardinality()];
        int k = 0;
        for (int i = data.nextClearBit(0); i < length && k < positions.length; i = data.nextClearBit(i + 1)) {
            positions[k++] = i;
        }
        return positions;
    }

    /** The bytes of the file that hold raw dataset data (contiguous data and chunks). */
    private static BitSet dataBytes(Path file) {
        BitSet data = new BitSet();
        try (HdfFile hdf = new HdfFile(file)) {
            List<Node> nodes = new ArrayList<>();
            collect(hdf, nodes);
            Method lookup = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            lookup.setAccessible(true);
            for (Node node : nodes) {
                if (node instanceof ContiguousDataset && !((Dataset) node).isEmpty()) {
                    long address = ((ContiguousDataset) node).getDataAddress();
                    data.set((int) address, (int) (address + ((Dataset) node).getSizeInBytes()));
                } else if (node instanceof ChunkedDatasetBase) {
                    for (Object chunk : ((Map<?, ?>) lookup.invoke(node)).values()) {
                        Chunk c = (Chunk) chunk;
                        data.set((int) c.getAddress(), (int) (c.getAddress() + c.getSize()));
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return data;
    }

    private static void collect(Group group, List<Node> nodes) {
        for (Node node : group.getChildren().values()) {
            if (node.isLink()) {
                continue;
            }
            nodes.add(node);
            if (node instanceof Group) {
                collect((Group) node, nodes);
            }
        }
    }
}
