package org.calql.serving;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.CRC32;
import org.calql.agent.Agent;
import org.calql.data.ObservationNormalizer;
import org.calql.env.BoxSpace;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/**
 * The policy-only artifact: what {@link ServedPolicy} needs to act and nothing else — the actor network, the
 * observation normaliser, the action scaling and a format version — in one file, big-endian:
 * <pre>
 * UTF    "CALQL-POLICY"
 * int    1                         format version
 * long   file length               checksum included
 * int    observationDim, actionDim
 * double maxAction                 actions maxAction·tanh(mean) in [−maxAction, maxAction]
 * int    hidden layer count, then each width
 * UTF    activation                RELU | TANH | ELU | SILU
 * byte   layerNorm (0 or 1); double its ε
 * byte   normaliser (0 or 1); if 1: double[observationDim] mean, double[observationDim] std
 * byte   action box (0 or 1);  if 1: double[actionDim] low, double[actionDim] high
 * int    parameter array count; per array int length, double[length]   (NetworkSpec layout, output [mean, rawLogStd])
 * long   CRC-32 of every byte before it
 * </pre>
 * Reading validates before it allocates, as checkpoints do: the size, the magic and the version, the stored length
 * against the file's, the checksum over every byte, then each dimension and array length against the bytes that
 * remain and against the spec's layout, and every value (finite; std positive; low below high). Any failure is an
 * {@link IOException} that names the file, the field, the value found and the rule.
 */
public final class PolicyArtifact {
    /** The magic string at the start of every policy artifact. */
    public static final String MAGIC = "CALQL-POLICY";
    /** The format version this calql writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Conventional file name extension. */
    public static final String EXTENSION = ".calqlpolicy";

    /** Largest width of any layer, observation or action a reader accepts. */
    static final int MAX_WIDTH = 1 << 20;
    /** Largest number of hidden layers a reader accepts. */
    static final int MAX_HIDDEN_LAYERS = 1024;
    private static final int HEADER = 2 + MAGIC.length() + 4 + 8;

    private PolicyArtifact() {
    }

    /**
     * Writes the agent's deterministic policy (a snapshot; see {@link ServedPolicy#of(Agent)}), acting in
     * {@code [−maxAction, maxAction]}.
     */
    public static void write(Agent agent, Path file) throws IOException {
        write(ServedPolicy.of(agent), file);
    }

    /** Writes the agent's deterministic policy with its actions mapped into the environment's {@code box}. */
    public static void write(Agent agent, BoxSpace box, Path file) throws IOException {
        write(ServedPolicy.of(agent, box), file);
    }

    /**
     * Writes {@code policy} to {@code file} atomically (a temporary file beside it, then a move), replacing it.
     *
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(ServedPolicy policy, Path file) throws IOException {
        byte[] bytes = encode(policy);
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
            Files.write(temp, bytes);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            throw new IOException("cannot write the policy artifact " + file + ": " + e, e);
        }
    }

    static byte[] encode(ServedPolicy policy) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        NetworkSpec spec = policy.spec();
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeLong(0L); // patched below
        out.writeInt(policy.observationDim());
        out.writeInt(policy.actionDim());
        out.writeDouble(policy.maxAction());
        int[] hidden = spec.hidden();
        out.writeInt(hidden.length);
        for (int h : hidden) {
            out.writeInt(h);
        }
        out.writeUTF(spec.activation().name());
        out.writeByte(spec.layerNorm() ? 1 : 0);
        out.writeDouble(spec.layerNormEpsilon());
        ObservationNormalizer n = policy.normalizer();
        out.writeByte(n.isIdentity() ? 0 : 1);
        if (!n.isIdentity()) {
            writeDoubles(out, n.mean());
            writeDoubles(out, n.std());
        }
        BoxSpace box = policy.actionBox();
        out.writeByte(box == null ? 0 : 1);
        if (box != null) {
            writeDoubles(out, box.low());
            writeDoubles(out, box.high());
        }
        double[][] parameters = policy.parameters();
        out.writeInt(parameters.length);
        for (double[] p : parameters) {
            out.writeInt(p.length);
            writeDoubles(out, p);
        }
        out.flush();
        byte[] body = bytes.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(body);
        b.putLong(HEADER - 8, body.length + 8L);
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] all = new byte[body.length + 8];
        System.arraycopy(body, 0, all, 0, body.length);
        ByteBuffer.wrap(all).putLong(body.length, crc.getValue());
        return all;
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    /**
     * Reads a policy artifact; needs only calql-core (no trainer, replay or ND4J).
     *
     * @throws IOException naming the file, the field, the value and the rule if it is unreadable or invalid
     */
    public static ServedPolicy read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a calql policy artifact: " + (Files.exists(file)
                    ? "not a regular file" : "no such file"));
        }
        long size = Files.size(file);
        if (size < HEADER + 8) {
            throw new IOException(file + " is not a calql policy artifact (" + size + " bytes, fewer than the "
                    + (HEADER + 8) + " of an empty one)");
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(file + " is not a calql policy artifact: " + size + " bytes, more than the "
                    + (Integer.MAX_VALUE - 16) + " a policy artifact may have");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return decode(bytes);
        } catch (Invalid e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": invalid policy: " + e.getMessage(), e);
        }
    }

    /** A rule that the bytes break; the message names the field, the value and the rule. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    static ServedPolicy decode(byte[] bytes) throws Invalid {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
        boolean ours = bytes.length >= HEADER && b.getShort(0) == magic.length;
        for (int i = 0; ours && i < magic.length; i++) {
            ours = bytes[2 + i] == magic[i];
        }
        if (!ours) {
            throw new Invalid("not a calql policy artifact (no '" + MAGIC + "' magic at the start)");
        }
        int version = b.getInt(2 + magic.length);
        if (version != FORMAT_VERSION) {
            throw new Invalid("format version " + version + " is not supported; this calql reads version "
                    + FORMAT_VERSION);
        }
        long length = b.getLong(HEADER - 8);
        if (length != bytes.length) {
            throw new Invalid("file length field says " + length + " bytes but the file has " + bytes.length
                    + " (truncated or extended)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = b.getLong(bytes.length - 8);
        if (crc.getValue() != stored) {
            throw new Invalid(String.format(Locale.ROOT, "checksum mismatch: stored CRC-32 %08x, computed %08x "
                    + "(the file is corrupt)", stored, crc.getValue()));
        }
        b.position(HEADER).limit(bytes.length - 8);
        try {
            int observationDim = width(b, "observationDim");
            int actionDim = width(b, "actionDim");
            double maxAction = b.getDouble();
            if (!(maxAction > 0) || Double.isInfinite(maxAction)) {
                throw new Invalid("maxAction must be positive and finite, found " + maxAction);
            }
            int hiddenCount = b.getInt();
            if (hiddenCount < 0 || hiddenCount > MAX_HIDDEN_LAYERS) {
                throw new Invalid("hidden layer count must be in [0, " + MAX_HIDDEN_LAYERS + "], found "
                        + hiddenCount);
            }
            need(b, 4L * hiddenCount, "hidden widths");
            int[] hidden = new int[hiddenCount];
            for (int i = 0; i < hiddenCount; i++) {
                hidden[i] = width(b, "hidden[" + i + "]");
            }
            String activationName = utf(b, "activation");
            Activation activation;
            try {
                activation = Activation.valueOf(activationName);
            } catch (IllegalArgumentException e) {
                throw new Invalid("activation must be one of " + java.util.Arrays.toString(Activation.values())
                        + ", found '" + activationName + "'");
            }
            boolean layerNorm = flag(b, "layerNorm");
            double epsilon = b.getDouble();
            NetworkSpec.Builder builder = NetworkSpec.builder(observationDim, 2 * actionDim).hidden(hidden)
                    .activation(activation).layerNorm(layerNorm);
            if (layerNorm) {
                builder.layerNormEpsilon(epsilon);
            }
            NetworkSpec spec = builder.build();
            ObservationNormalizer normalizer = null;
            if (flag(b, "normaliser")) {
                double[] mean = doubles(b, observationDim, "normaliser mean");
                double[] std = doubles(b, observationDim, "normaliser std");
                normalizer = ObservationNormalizer.of(mean, std);
            }
            BoxSpace box = null;
            if (flag(b, "action box")) {
                double[] low = doubles(b, actionDim, "action box low");
                double[] high = doubles(b, actionDim, "action box high");
                box = new BoxSpace(low, high);
            }
            int arrays = b.getInt();
            if (arrays != spec.parameterArrayCount()) {
                throw new Invalid("parameter array count must be " + spec.parameterArrayCount() + " for " + spec
                        + ", found " + arrays);
            }
            double[][] parameters = new double[arrays][];
            for (int i = 0; i < arrays; i++) {
                int n = b.getInt();
                if (n != spec.parameterArrayLength(i)) {
                    throw new Invalid("parameter array " + i + " must have " + spec.parameterArrayLength(i)
                            + " values, found " + n);
                }
                parameters[i] = doubles(b, n, "parameter array " + i);
            }
            if (b.hasRemaining()) {
                throw new Invalid(b.remaining() + " unexpected bytes after the parameters, before the checksum");
            }
            return new ServedPolicy(spec, parameters, actionDim, maxAction, normalizer, box);
        } catch (BufferUnderflowException e) {
            throw new Invalid("file ends inside a field at byte " + b.position() + " (of " + b.limit()
                    + " before the checksum)");
        }
    }

    private static int width(ByteBuffer b, String field) throws Invalid {
        int v = b.getInt();
        if (v <= 0 || v > MAX_WIDTH) {
            throw new Invalid(field + " must be in [1, " + MAX_WIDTH + "], found " + v);
        }
        return v;
    }

    private static boolean flag(ByteBuffer b, String field) throws Invalid {
        byte v = b.get();
        if (v != 0 && v != 1) {
            throw new Invalid(field + " flag must be 0 or 1, found " + v);
        }
        return v == 1;
    }

    private static void need(ByteBuffer b, long bytes, String field) throws Invalid {
        if (bytes > b.remaining()) {
            throw new Invalid(field + " needs " + bytes + " bytes but only " + b.remaining() + " remain");
        }
    }

    private static String utf(ByteBuffer b, String field) throws Invalid {
        int n = b.getShort() & 0xffff;
        need(b, n, field);
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static double[] doubles(ByteBuffer b, int n, String field) throws Invalid {
        need(b, 8L * n, field);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getDouble();
            if (!Double.isFinite(v[i])) {
                throw new Invalid(field + " [" + i + "] must be finite, found " + v[i]);
            }
        }
        return v;
    }
}
