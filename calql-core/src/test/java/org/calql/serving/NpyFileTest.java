package org.calql.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.calql.serving.NpyFile.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads files numpy wrote ({@code src/test/resources/npy/generate.py}) and writes the bytes numpy writes. */
class NpyFileTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(NpyFileTest.class.getResource("/npy/" + name).toURI());
    }

    /** The generator's values: {@code i·0.25 − 1}. */
    private static double[] expected(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25 - 1;
        }
        return v;
    }

    @Test
    void readsWhatNumpyWrites() throws Exception {
        NpyFile f4 = NpyFile.read(resource("f4_2x3.npy"));
        assertArrayEquals(new int[] {2, 3}, f4.shape());
        assertEquals(DType.FLOAT32, f4.dtype());
        assertArrayEquals(expected(6), f4.values(), 0.0);
        NpyFile f8 = NpyFile.read(resource("f8_4.npy"));
        assertArrayEquals(new int[] {4}, f8.shape());
        assertArrayEquals(expected(4), f8.values(), 0.0);
        NpyFile big = NpyFile.read(resource("f8_big_endian_3x2.npy"));
        assertArrayEquals(new int[] {3, 2}, big.shape());
        assertArrayEquals(expected(6), big.values(), 0.0);
    }

    @Test
    void writesTheBytesNumpyWrites() throws Exception {
        Path f4 = dir.resolve("f4.npy");
        NpyFile.write(f4, new int[] {2, 3}, expected(6), DType.FLOAT32);
        assertArrayEquals(Files.readAllBytes(resource("f4_2x3.npy")), Files.readAllBytes(f4));
        Path f8 = dir.resolve("f8.npy");
        NpyFile.of(new int[] {4}, expected(4), DType.FLOAT64).write(f8);
        assertArrayEquals(Files.readAllBytes(resource("f8_4.npy")), Files.readAllBytes(f8));
    }

    @Test
    void roundTripsEdgeShapes() throws Exception {
        for (int[] shape : new int[][] {{}, {0}, {0, 5}, {1, 1}, {3, 1, 2}}) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            Path file = dir.resolve("edge.npy");
            NpyFile.write(file, shape, expected(n), DType.FLOAT64);
            assertEquals(0, (Files.size(file) - 8L * n) % 64, "data starts on a 64-byte boundary");
            NpyFile back = NpyFile.read(file);
            assertArrayEquals(shape, back.shape());
            assertArrayEquals(expected(n), back.values(), 0.0);
        }
    }

    @Test
    void rejectsWhatItCannotRead() throws Exception {
        assertFails(resource("f8_fortran_2x2.npy"), "fortran_order must be False");
        assertFails(resource("i8_3.npy"), "descr must be a float type (<f4, >f4, <f8 or >f8), found '<i8'");
        byte[] good = Files.readAllBytes(resource("f8_4.npy"));
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 8));
        assertFails(truncated, "shape [4] of <f8 needs 32 data bytes, found 24");
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, world", StandardCharsets.US_ASCII);
        assertFails(notNpy, "not a .npy file");
        Path badShape = dir.resolve("shape.npy");
        String header = new String(good, StandardCharsets.ISO_8859_1).replace("(4,)", "(-4,)");
        Files.write(badShape, header.getBytes(StandardCharsets.ISO_8859_1));
        assertFails(badShape, "entry 0 must be a non-negative int, found '-4'");
        assertThrows(IllegalArgumentException.class, () -> NpyFile.write(dir.resolve("x.npy"), new int[] {2, 2},
                new double[3], DType.FLOAT64));
    }

    private static void assertFails(Path file, String expected) {
        IOException e = assertThrows(IOException.class, () -> NpyFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
