package org.calql.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatNumpySavezWrote() throws IOException {
        Map<String, TensorData> r = Npz.read(InteropFiles.resource("numpy.npz"));
        JsonObject expected = InteropFiles.json("numpy.json");
        assertEquals(expected.keySet(), r.keySet());
        for (String key : expected.keySet()) {
            JsonObject e = expected.getAsJsonObject(key);
            int[] shape = e.getAsJsonArray("shape").asList().stream().mapToInt(x -> x.getAsInt()).toArray();
            assertArrayEquals(shape, r.get(key).shape(), key);
            assertArrayEquals(InteropFiles.doubles(e.getAsJsonArray("values")), r.get(key).values(), 0.0, key);
        }
        assertEquals(0, r.get("s").shape().length, "0-d array");
    }

    @Test
    void writesV1HeadersNumpyCanParseAndRoundTrips() throws IOException {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("actor.base_network.0.weight", new TensorData(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6.5}));
        t.put("obs_mean", TensorData.vector(new double[] {0.5, -0.25}));
        t.put("cql_log_alpha.constant", TensorData.scalar(0.3));
        Path f = dir.resolve("w.npz");
        Npz.write(f, t, DType.F64);
        assertEquals(t, Npz.read(f));
        try (ZipFile zip = new ZipFile(f.toFile())) {
            assertEquals(List.of("actor.base_network.0.weight.npy", "obs_mean.npy", "cql_log_alpha.constant.npy"),
                    zip.stream().map(ZipEntry::getName).toList());
            byte[] npy = zip.getInputStream(zip.getEntry("obs_mean.npy")).readAllBytes();
            assertEquals(1, npy[6], "version 1.0");
            assertEquals(0, npy[7]);
            int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLength) % 64, "data aligned to 64 bytes");
            String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
            assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"), header);
            assertTrue(header.endsWith("\n"));
            assertEquals(10 + headerLength + 16, npy.length);
            byte[] scalar = zip.getInputStream(zip.getEntry("cql_log_alpha.constant.npy")).readAllBytes();
            assertTrue(new String(scalar, 10, 70, StandardCharsets.US_ASCII).contains("'shape': (), }"));
        }
        Npz.write(f, t, DType.F32);
        assertEquals((double) (float) 0.3, Npz.read(f).get("cql_log_alpha.constant").values()[0], 0.0);
    }

    @Test
    void refusesFortranOrderOtherDtypesAndShortData() throws IOException {
        String good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        assertEquals(2, Npz.readNpy("x", npy(good, 8)).size());
        IOException e = assertThrows(IOException.class, () -> Npz.readNpy("f.npz: entry w.npy",
                npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8)));
        assertTrue(e.getMessage().contains("w.npy") && e.getMessage().contains("fortran_order"), e.getMessage());
        e = assertThrows(IOException.class, () -> Npz.readNpy("w.npy",
                npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 16)));
        assertTrue(e.getMessage().contains("'<i8' unsupported"), e.getMessage());
        e = assertThrows(IOException.class, () -> Npz.readNpy("w.npy", npy(good, 4)));
        assertTrue(e.getMessage().contains("needs 8"), e.getMessage());
        byte[] bad = npy(good, 8);
        bad[0] = 0;
        assertThrows(IOException.class, () -> Npz.readNpy("w.npy", bad));
    }

    private static byte[] npy(String dict, int dataBytes) {
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + h.length + dataBytes];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length,
            (byte) (h.length >> 8)}, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }
}
