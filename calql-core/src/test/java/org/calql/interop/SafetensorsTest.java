package org.calql.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, TensorData> sample() {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("layer.0.weight", new TensorData(new int[] {2, 3}, new double[] {1, -2, 3.5, 0.1, 1e-7, -1e30}));
        t.put("layer.0.bias", TensorData.vector(new double[] {0.25, -0.5}));
        t.put("s.constant", TensorData.scalar(-0.75));
        t.put("empty", new TensorData(new int[] {0, 4}, new double[0]));
        return t;
    }

    @Test
    void f64RoundTripIsExactAndKeepsOrderShapesAndMetadata() throws IOException {
        Path f = dir.resolve("a.safetensors");
        Safetensors.write(f, sample(), Map.of("maxAction", "2.0", "q\"uote", "a\\b\n"), DType.F64);
        SafetensorsFile r = Safetensors.read(f);
        assertEquals(sample(), r.tensors());
        assertEquals(java.util.List.copyOf(sample().keySet()), java.util.List.copyOf(r.tensors().keySet()));
        assertEquals("2.0", r.metadata().get("maxAction"));
        assertEquals("a\\b\n", r.metadata().get("q\"uote"));
        assertEquals(DType.F64, r.dtypes().get("s.constant"));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
    }

    @Test
    void f32RoundTripRoundsToFloat() throws IOException {
        Path f = dir.resolve("a.safetensors");
        Safetensors.write(f, sample(), Map.of(), DType.F32);
        SafetensorsFile r = Safetensors.read(f);
        double[] w = r.tensors().get("layer.0.weight").values();
        double[] expected = sample().get("layer.0.weight").values();
        for (int i = 0; i < w.length; i++) {
            assertEquals((double) (float) expected[i], w[i], 0.0);
        }
        assertEquals(DType.F32, r.dtypes().get("layer.0.weight"));
        assertTrue(r.metadata().isEmpty());
        assertEquals(8 + headerLength(f) + 4 * (6 + 2 + 1), Files.size(f));
    }

    @Test
    void writeRefusesF32OverflowAndNonFinite() {
        Map<String, TensorData> t = Map.of("big", TensorData.scalar(1e300));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(dir.resolve("x"), t, Map.of(), DType.F32));
        assertTrue(e.getMessage().contains("big") && e.getMessage().contains("overflows F32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x"),
                Map.of("n", TensorData.scalar(Double.NaN)), Map.of(), DType.F64));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x"),
                Map.of("n", TensorData.scalar(1)), Map.of(), DType.F16));
    }

    @Test
    void readsEveryDtypeTorchWrote() throws IOException {
        SafetensorsFile r = Safetensors.read(InteropFiles.resource("dtypes.safetensors"));
        JsonObject expected = InteropFiles.json("dtypes.json");
        assertEquals(4, r.tensors().size());
        for (String key : expected.keySet()) {
            assertArrayEquals(InteropFiles.doubles(expected.getAsJsonArray(key)), r.tensors().get(key).values(), 0.0,
                    key);
        }
        assertEquals(DType.BF16, r.dtypes().get("x_bf16"));
        assertEquals(DType.F16, r.dtypes().get("x_f16"));
        assertEquals("one tensor per dtype", r.metadata().get("note"));
    }

    @Test
    void halfPrecisionSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7E00)));
        assertEquals(0x1p-24f, DType.halfToFloat((short) 0x0001));
        assertEquals(-2.0f, DType.halfToFloat((short) 0xC000));
        assertEquals(65504f, DType.halfToFloat((short) 0x7BFF));
    }

    // ---- hostile files: each refused as an IOException naming the file, the key and the rule ----

    private Path raw(String header, int dataBytes) throws IOException {
        return raw(header.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    private Path raw(byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Path f = dir.resolve("hostile.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static String refused(Path f) {
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    @Test
    void refusesShortFileAndHeaderLargerThanFile() throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, new byte[] {1, 2, 3});
        assertMentions(refused(f), "shorter than the 8-byte");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putLong(0);
        Files.write(f, b.array());
        assertMentions(refused(f), "header length 1000", "16 bytes");
        b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(0);
        Files.write(f, b.array());
        assertMentions(refused(f), "header length -5");
    }

    @Test
    void refusesMalformedHeaders() throws IOException {
        assertMentions(refused(raw("[1,2]", 0)), "must be a JSON object");
        assertMentions(refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 4)),
                "malformed JSON");
        assertMentions(refused(raw("{\"a\":1.5}", 0)), "integer");
        assertMentions(refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)), "duplicate key \"a\"");
        assertMentions(refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4)),
                "key a", "unknown field \"x\"");
        assertMentions(refused(raw("{\"__metadata__\":{\"k\":3}}", 0)), "metadata key k", "string");
        assertMentions(refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
                "key a", "non-negative");
        assertMentions(refused(raw("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)), "key a", "dtype missing");
    }

    @Test
    void refusesUnknownDtype() throws IOException {
        assertMentions(refused(raw("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)),
                "key w", "unsupported dtype I64");
    }

    @Test
    void refusesOffsetsOutOfRangeMismatchedOrOverlapping() throws IOException {
        assertMentions(refused(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4)),
                "key w", "outside the 4 data bytes");
        assertMentions(refused(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,0]}}", 8)),
                "key w", "begin <= end");
        assertMentions(refused(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
                "key w", "needs 12");
        assertMentions(refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)), "key b", "overlap key a");
    }

    @Test
    void refusesNonFiniteValues() throws IOException {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(Float.NaN).array();
        Path f = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
                .getBytes(StandardCharsets.UTF_8), data);
        assertMentions(refused(f), "key w", "value 1 is NaN");
    }

    private static long headerLength(Path f) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
