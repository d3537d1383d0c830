package org.calql.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.calql.env.BoxSpace;
import org.calql.spi.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyArtifactTest {
    @TempDir
    Path dir;

    private static ServedPolicy policy() {
        return ServedPolicy.of(ServingFixtures.policy(3, 2, new int[] {5}, Activation.TANH, true, 1.0, 4),
                ServingFixtures.normalizer(3, 1), BoxSpace.uniform(2, -1, 4));
    }

    /** Offsets in the encoding of {@link #policy()}: header 2+12+4+8, then the fields in order. */
    private static final int OBSERVATION_DIM = 26;
    private static final int MAX_ACTION = 34;
    private static final int HIDDEN_COUNT = 42;
    private static final int NORMALISER_FLAG = 46 + 4 + 2 + 4 + 1 + 8;
    private static final int FIRST_STD = NORMALISER_FLAG + 1 + 3 * 8;

    @Test
    void roundTripsEveryField() throws Exception {
        ServedPolicy p = policy();
        Path file = dir.resolve("a" + PolicyArtifact.EXTENSION);
        PolicyArtifact.write(p, file);
        ServedPolicy q = ServedPolicy.load(file);
        assertTrue(q.spec().equals(p.spec()), q.spec() + " vs " + p.spec());
        for (int i = 0; i < p.parameters().length; i++) {
            assertArrayEquals(p.parameters()[i], q.parameters()[i], 0.0);
        }
        assertArrayEquals(p.normalizer().mean(), q.normalizer().mean(), 0.0);
        assertTrue(p.actionBox().equals(q.actionBox()));
        assertTrue(q.toString().contains("layerNorm=true"), q.toString());
        assertArrayEquals(p.act(new double[] {1, 2, 3}), q.act(new double[] {1, 2, 3}), 0.0);
        // the offsets the forgery tests use
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        assertTrue(b.getInt(OBSERVATION_DIM) == 3 && b.getDouble(MAX_ACTION) == 1.0 && b.getInt(HIDDEN_COUNT) == 1
                && b.get(NORMALISER_FLAG) == 1 && b.getDouble(FIRST_STD) == p.normalizer().std()[0]);
    }

    @Test
    void rejectsCorruptionBeforeParsing() throws Exception {
        byte[] good = PolicyArtifact.encode(policy());
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        assertFails(flipped, "checksum mismatch");
        assertFails(java.util.Arrays.copyOf(good, good.length - 3), "file length field says " + good.length);
        byte[] magic = good.clone();
        magic[5] = 'X';
        assertFails(magic, "not a calql policy artifact");
        byte[] version = good.clone();
        ByteBuffer.wrap(version).putInt(14, 2);
        assertFails(version, "format version 2 is not supported");
        assertFails(new byte[10], "fewer than the");
    }

    @Test
    void rejectsForgedFieldsWithAValidChecksum() throws Exception {
        byte[] good = PolicyArtifact.encode(policy());
        assertFails(seal(good, b -> b.putInt(OBSERVATION_DIM, 0)), "observationDim must be in [1, 1048576], found 0");
        assertFails(seal(good, b -> b.putDouble(MAX_ACTION, Double.NaN)), "maxAction must be positive and finite");
        assertFails(seal(good, b -> b.putInt(HIDDEN_COUNT, Integer.MAX_VALUE)),
                "hidden layer count must be in [0, 1024], found 2147483647");
        assertFails(seal(good, b -> b.putInt(HIDDEN_COUNT, 1000)), "hidden widths needs 4000 bytes");
        assertFails(seal(good, b -> b.put(NORMALISER_FLAG, (byte) 7)), "normaliser flag must be 0 or 1, found 7");
        assertFails(seal(good, b -> b.putDouble(FIRST_STD, -1.0)), "std[0] must be positive and finite, found -1.0");
        assertFails(seal(good, b -> b.putDouble(b.limit() - 16, Double.POSITIVE_INFINITY)),
                "parameter array 5 [3] must be finite, found Infinity");
    }

    private interface Edit {
        void apply(ByteBuffer b);
    }

    /** {@code bytes} edited, with the checksum recomputed so that only the edit is wrong. */
    private static byte[] seal(byte[] bytes, Edit edit) {
        byte[] copy = bytes.clone();
        ByteBuffer b = ByteBuffer.wrap(copy);
        edit.apply(b);
        CRC32 crc = new CRC32();
        crc.update(copy, 0, copy.length - 8);
        b.putLong(copy.length - 8, crc.getValue());
        return copy;
    }

    private void assertFails(byte[] bytes, String expected) throws IOException {
        Path file = dir.resolve("bad.calqlpolicy");
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> ServedPolicy.load(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
