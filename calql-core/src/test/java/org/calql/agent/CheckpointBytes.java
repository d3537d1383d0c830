package org.calql.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A format-2 checkpoint taken apart into its sections, to forge files in tests: change a payload, then
 * {@link #bytes()} reassembles it with the lengths and the checksum recomputed, as an attacker would.
 */
final class CheckpointBytes {
    /** One section: its name, version and payload (mutable). */
    static final class Section {
        String name;
        int version;
        byte[] payload;

        Section(String name, int version, byte[] payload) {
            this.name = name;
            this.version = version;
            this.payload = payload;
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(payload);
        }
    }

    final List<Section> sections = new ArrayList<>();
    /** When set, written as the header's file length instead of the true one. */
    Long declaredLength;

    static CheckpointBytes parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int magic = b.getShort();
        b.position(2 + magic);
        if (b.getInt() != 2) {
            throw new IllegalArgumentException("not format 2");
        }
        b.getLong();
        CheckpointBytes c = new CheckpointBytes();
        while (b.position() < file.length - 8) {
            byte[] name = new byte[b.getShort()];
            b.get(name);
            int version = b.getInt();
            byte[] payload = new byte[(int) b.getLong()];
            b.get(payload);
            c.sections.add(new Section(new String(name, StandardCharsets.US_ASCII), version, payload));
        }
        return c;
    }

    Section section(String name) {
        for (Section s : sections) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no section " + name);
    }

    byte[] bytes() {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(raw);
            out.writeUTF(Checkpoints.MAGIC);
            out.writeInt(2);
            out.writeLong(0);
            for (Section s : sections) {
                out.writeUTF(s.name);
                out.writeInt(s.version);
                out.writeLong(s.payload.length);
                out.write(s.payload);
            }
            out.flush();
            byte[] body = raw.toByteArray();
            long length = body.length + 8L;
            ByteBuffer.wrap(body).putLong(2 + Checkpoints.MAGIC.length() + 4,
                    declaredLength != null ? declaredLength : length);
            return withChecksum(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code body} followed by its CRC-32 as a long. */
    static byte[] withChecksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer b = ByteBuffer.allocate(body.length + 8);
        b.put(body).putLong(crc.getValue());
        return b.array();
    }

    /** Recomputes the checksum of a whole file whose body was changed in place. */
    static byte[] rechecksum(byte[] file) {
        return withChecksum(java.util.Arrays.copyOf(file, file.length - 8));
    }

    /** The offset just after a block of arrays ({@code int count}, then per array {@code int length} + doubles). */
    static int skipArrays(ByteBuffer b, int at) {
        int count = b.getInt(at);
        at += 4;
        for (int i = 0; i < count; i++) {
            at += 4 + 8 * b.getInt(at);
        }
        return at;
    }

    /** The offset of value {@code index} of the first array of the block at {@code at}. */
    static int firstValue(int at) {
        return at + 8;
    }
}
