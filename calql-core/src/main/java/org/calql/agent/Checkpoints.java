package org.calql.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.calql.aca.AcaConfig;
import org.calql.config.CalQlConfig;
import org.calql.config.ConfigStructure;
import org.calql.critic.CriticLayout;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReplayBuffer;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.DiscreteUpdateState;
import org.calql.nn.JavaBackend;
import org.calql.random.Rng;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Backend;
import org.calql.spi.NetworkSpec;
import org.calql.train.TrainingState;

/**
 * The checkpoint file {@code agent.calql}, format 2: named, versioned sections, each written and read by its
 * component's {@link SectionCodec} ({@link Sections#ALL}). All numbers are big-endian.
 *
 * <pre>
 * UTF    "CALQL-CHECKPOINT"         (2-byte length 16, then the ASCII bytes)
 * int    2                          format version
 * long   file length                the whole file, checksum included (tells a truncation from a corruption)
 * then, until the checksum, sections:
 *   UTF  name                       e.g. "critics" (at most 64 bytes, [a-z0-9-])
 *   int  section version            the codec's; each codec says which versions it reads
 *   long payload length
 *   ...  payload                    the codec's layout (see ConfigSections, ModelSections, TrainingSections)
 * long   CRC-32 of every byte before it
 * </pre>
 *
 * The sections depend on the kind of agent ({@link AgentKind}, {@link Sections}). A continuous {@link Agent}'s
 * file has {@code config}, {@code training-config}, {@code critics}, {@code policy}, {@code temperature},
 * {@code lagrange}, {@code update-steps}, {@code normalizer}, {@code replay}, {@code generators},
 * {@code training-counters} and {@code offline-data}, and no {@code agent-kind} section (so it is what calql wrote
 * before discrete agents had checkpoints). A {@link DiscreteAgent}'s file has {@code agent-kind}
 * ({@code calql-discrete}), {@code discrete-config}, {@code training-config}, {@code epsilon}, {@code critics},
 * {@code update-steps}, {@code normalizer}, {@code replay}, {@code generators} (two), {@code training-counters} and
 * {@code offline-data}. An {@link AcaAgent}'s file has {@code agent-kind} ({@code calql-aca}), {@code aca-config},
 * {@code training-config}, {@code critics}, {@code policy}, {@code temperature}, {@code z-values},
 * {@code reference-policy}, {@code aca-schedule} ({@link AcaSections}), {@code update-steps}, {@code normalizer},
 * {@code replay}, {@code generators} (three), {@code training-counters} and {@code offline-data}. A Cal-QL or
 * discrete file may also hold the optional {@code reference} section ({@link ReferenceSection}: the fitted
 * reference the agent calibrates against), written only when there is one. Each required section of the
 * kind appears exactly once and an optional one at most once, in any order; loading a file of the other
 * kind fails naming the kind it holds and the method that loads it. A section this calql does not know, one the
 * file's kind does not have, or a version of one it does not read, is refused, not skipped: every section holds
 * state that a bit-exact resume needs, so a reader that dropped one would continue silently differently.
 * Format 1 (before sections, continuous agents only) is still read, by {@link V1Reader}; writing always writes
 * format 2.
 *
 * <p><b>Reading</b> validates before it allocates: the magic and version (fixed size), then the checksum over the
 * whole file by streaming it (no allocation); then the section directory, each length checked against the bytes
 * left; then the configs; then a fresh agent is built from the config, whose arrays are the layouts every declared
 * count and length must equal before an array is allocated; every value is checked as it is read (finite weights
 * and moments, second moments and step counts {@code >= 0}) and by the component's import (layouts, counters,
 * normaliser, replay consistency, generator snapshots). Any failure is an {@link IOException} naming the file, the
 * section, the field, the value and the rule, and nothing is half-loaded.
 *
 * <p>Both {@code save} and {@code load} normalise the directory lexically first ({@code a/missing/../b} is
 * {@code a/b}).
 *
 * <p><b>Writing</b> goes to {@code agent.calql<digits>.tmp} in the same directory, under an exclusive file lock,
 * then the checksum is computed over what is on disk, and the temp is moved into place atomically; a failure
 * leaves any earlier checkpoint in place, no temp, and no directory that {@code save} created. Save and load
 * first remove stale temps that killed saves left ({@link TempFiles}).
 */
final class Checkpoints {
    static final String FILE_NAME = "agent.calql";
    static final String MAGIC = "CALQL-CHECKPOINT";
    static final int FORMAT_VERSION = 2;
    static final int V1 = 1;
    /** Bytes before the first v1 field: the magic's UTF and the version. */
    static final int V1_HEADER = 2 + 16 + 4;
    /** Bytes before the first v2 section: the magic's UTF, the version and the file length. */
    static final int V2_HEADER = V1_HEADER + 8;
    static final int MAX_NAME = 64;

    private Checkpoints() {
    }

    // ---------------------------------------------------------------- save

    static void save(Agent agent, Path directory) throws IOException {
        save(CheckpointWriting.of(agent), directory);
    }

    static void save(DiscreteAgent agent, Path directory) throws IOException {
        save(CheckpointWriting.of(agent), directory);
    }

    static void save(AcaAgent agent, Path directory) throws IOException {
        save(CheckpointWriting.of(agent), directory);
    }

    private static void save(CheckpointWriting state, Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        List<Path> created = createDirectories(directory, dir);
        boolean saved = false;
        Path temp = null;
        try {
            Path target = dir.resolve(FILE_NAME);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot save a checkpoint in " + directory + ": " + target
                        + " is a directory");
            }
            TempFiles.removeStale(dir);
            try {
                temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            } catch (IOException e) {
                throw cannotSave(directory, e);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                write(state, channel);
                channel.force(true);
            } catch (IOException e) {
                throw cannotSave(directory, e);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw cannotSave(directory, e);
            }
            saved = true;
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            if (!saved) {
                for (Path p : created) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // not empty or not ours any more: leave it
                    }
                }
            }
        }
    }

    /**
     * Checks that a checkpoint can be saved in {@code directory} without creating anything: the nearest existing
     * ancestor is a writable directory, and {@code directory/agent.calql} is not a directory.
     */
    static void checkSavable(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        Path existing = nearestExisting(directory, dir);
        if (existing.equals(dir) && Files.isDirectory(dir.resolve(FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot save a checkpoint in " + directory + ": " + dir.resolve(FILE_NAME)
                    + " is a directory");
        }
    }

    /** The nearest existing ancestor of {@code dir} (itself included), checked to be a writable directory. */
    private static Path nearestExisting(Path directory, Path dir) throws IOException {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("cannot save a checkpoint in " + directory + ": no ancestor of it exists");
        }
        if (!Files.isDirectory(p)) {
            throw new IOException("cannot save a checkpoint in " + directory + ": " + p + " is not a directory");
        }
        if (!Files.isWritable(p)) {
            throw new IOException("cannot save a checkpoint in " + directory + ": " + p + " is not writable");
        }
        return p;
    }

    /**
     * Creates the missing directories of {@code dir} (already normalised, so {@code a/missing/../b} creates only
     * {@code a/b}), returning them deepest first so a failed save can remove them again.
     */
    private static List<Path> createDirectories(Path directory, Path dir) throws IOException {
        Path existing = nearestExisting(directory, dir);
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; !p.equals(existing); p = p.getParent()) {
            missing.add(0, p);
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path p : missing) {
                Files.createDirectory(p);
                created.add(0, p);
            }
        } catch (IOException e) {
            for (Path p : created) {
                Files.deleteIfExists(p);
            }
            throw cannotSave(directory, e);
        }
        return created;
    }

    private static IOException cannotSave(Path directory, IOException e) {
        String reason;
        if (e instanceof FileSystemException f) {
            String kind = e.getClass().getSimpleName().replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
            reason = f.getFile() + ": " + (f.getReason() != null ? f.getReason() : kind);
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        if (reason.startsWith("cannot save a checkpoint")) {
            return e;
        }
        return new IOException("cannot save a checkpoint in " + directory + ": " + reason, e);
    }

    private static void write(CheckpointWriting state, FileChannel channel) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel),
                1 << 16));
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeLong(0L); // the file length, patched below
        for (SectionCodec codec : Sections.of(state.kind())) {
            if (!codec.present(state)) {
                continue;
            }
            out.writeUTF(codec.name());
            out.writeInt(codec.version());
            out.flush();
            long lengthAt = channel.position();
            out.writeLong(0L); // the payload length, patched below
            out.flush();
            long start = channel.position();
            codec.write(state, out);
            out.flush();
            patchLong(channel, lengthAt, channel.position() - start);
        }
        out.flush();
        long end = channel.position();
        patchLong(channel, V1_HEADER, end + 8);
        out.writeLong(crc(channel, end));
        out.flush();
    }

    private static void patchLong(FileChannel channel, long at, long value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).putLong(0, value);
        while (b.hasRemaining()) {
            channel.write(b, at + b.position());
        }
    }

    /** CRC-32 of the first {@code length} bytes, streamed from the file. */
    private static long crc(FileChannel channel, long length) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long at = 0;
        while (at < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - at));
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("file ended at " + at + " of " + length + " bytes");
            }
            buffer.flip();
            crc.update(buffer);
            at += n;
        }
        return crc.getValue();
    }

    // ---------------------------------------------------------------- load

    static Agent load(Path directory, Backend backend, CalQlConfig given) throws IOException {
        return read(directory, AgentKind.CONTINUOUS, backend, given, null, false).agent;
    }

    static DiscreteAgent loadDiscrete(Path directory, Backend backend, DiscreteConfig given) throws IOException {
        return read(directory, AgentKind.DISCRETE, backend, null, given, false).discreteAgent;
    }

    static AcaAgent loadAca(Path directory, Backend backend) throws IOException {
        return read(directory, AgentKind.ACA, backend, null, null, false).acaAgent;
    }

    static CheckpointInfo inspect(Path directory) throws IOException {
        Path file = directory.toAbsolutePath().normalize().resolve(FILE_NAME);
        CheckpointContents c = read(directory, null, new JavaBackend(), null, null, true);
        Map<String, Long> counters = new LinkedHashMap<>();
        String[] names = {"pretrainUpdates", "finetuneUpdates", "finetuneSteps", "finetuneEpisodes",
            "finetuneFailures"};
        for (int i = 0; i < names.length; i++) {
            counters.put(names[i], c.counters[i]);
        }
        return new CheckpointInfo(file, Files.size(file), c.formatVersion, c.kind.label(),
                ConfigCodec.parse(c.configText), ConfigCodec.parse(c.trainingText), counters, c.onlinePhase,
                c.updateSteps, c.hasReplay ? c.replay.size() : -1, c.sections, c.built(), c.built() ? "" : c.note);
    }

    /**
     * Reads and checks everything; builds the agent unless {@code inspect} and the config names custom
     * components. {@code expected} is the kind the caller loads (null: any, for inspection); {@code given} or
     * {@code givenDiscrete} the caller's config of that kind, or null.
     */
    private static CheckpointContents read(Path dirArgument, AgentKind expected, Backend backend, CalQlConfig given,
                                           DiscreteConfig givenDiscrete, boolean inspect) throws IOException {
        Path directory = dirArgument.toAbsolutePath().normalize();
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no calql checkpoint here");
        }
        TempFiles.removeStale(directory);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CheckpointContents c = new CheckpointContents();
            long size = channel.size();
            c.formatVersion = header(channel, file, size);
            verifyChecksum(channel, file, size, c.formatVersion);
            if (c.formatVersion == V1) {
                requireKind(c, expected, file);
                CheckpointInput in = region(channel, file, "format-1 body", V1_HEADER, size - 8 - V1_HEADER);
                V1Reader.readConfigs(in, c);
                resolve(c, file, backend, given, null, inspect);
                if (c.agent == null) {
                    c.note = "format 1 with custom components: the values need the caller's config";
                    throw new IOException("checkpoint " + file + " is format 1 and " + c.note);
                }
                V1Reader.readState(in, c);
            } else {
                readSections(channel, file, size, c, expected, backend, given, givenDiscrete, inspect);
            }
            if (c.built()) {
                build(c, file);
            }
            return c;
        } catch (EOFException e) {
            throw new IOException("checkpoint " + file + " ended early while being read ("
                    + Files.size(file) + " bytes): " + e.getMessage(), e);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw new IOException("checkpoint " + file + " cannot be loaded: " + e, e);
        }
    }

    /** Checks the magic; returns the format version (1 or 2). */
    private static int header(FileChannel channel, Path file, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(V2_HEADER);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // fill what the file has
        }
        b.flip();
        byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
        boolean ours = b.remaining() >= 2 + magic.length && b.getShort(0) == magic.length;
        for (int i = 0; ours && i < magic.length; i++) {
            ours = b.get(2 + i) == magic[i];
        }
        if (!ours) {
            throw new IOException(file + " is not a calql checkpoint (" + size + " bytes, no '" + MAGIC
                    + "' header)");
        }
        if (b.remaining() < V1_HEADER + 8) {
            throw new IOException("checkpoint " + file + " is truncated: " + size + " bytes hold only its header");
        }
        int version = b.getInt(2 + magic.length);
        if (version != V1 && version != FORMAT_VERSION) {
            throw new IOException("checkpoint " + file + " has format version " + version
                    + "; this calql reads versions " + V1 + " and " + FORMAT_VERSION);
        }
        return version;
    }

    /** Streams the whole file through CRC-32 and compares it with the stored value, before anything is parsed. */
    private static void verifyChecksum(FileChannel channel, Path file, long size, int version) throws IOException {
        long expected = crc(channel, size - 8);
        ByteBuffer b = ByteBuffer.allocate(8);
        while (b.hasRemaining() && channel.read(b, size - 8 + b.position()) > 0) {
            // read the stored checksum
        }
        long stored = b.getLong(0);
        long declared = -1;
        if (version == FORMAT_VERSION) {
            ByteBuffer d = ByteBuffer.allocate(8);
            while (d.hasRemaining() && channel.read(d, V1_HEADER + d.position()) > 0) {
                // read the declared file length
            }
            declared = d.getLong(0);
        }
        if (stored != expected) {
            if (declared > size) {
                throw new IOException("checkpoint " + file + " is truncated or corrupt: its header declares "
                        + CheckpointInput.count(declared) + " bytes, the file has " + CheckpointInput.count(size)
                        + " (checksum mismatch)");
            }
            throw new IOException("checkpoint " + file + " is corrupt: checksum " + Long.toHexString(stored)
                    + " does not match its contents (" + Long.toHexString(expected) + ")"
                    + (version == V1 ? " or the file is truncated" : ""));
        }
        if (version == FORMAT_VERSION && declared != size) {
            throw new IOException("checkpoint " + file + " declares " + CheckpointInput.count(declared)
                    + " bytes in its header, the file has " + CheckpointInput.count(size));
        }
    }

    private static void readSections(FileChannel channel, Path file, long size, CheckpointContents c,
                                     AgentKind expected, Backend backend, CalQlConfig given,
                                     DiscreteConfig givenDiscrete, boolean inspect) throws IOException {
        long end = size - 8;
        Map<String, CheckpointInfo.Section> found = new HashMap<>();
        List<CheckpointInfo.Section> order = new ArrayList<>();
        long at = V2_HEADER;
        while (at < end) {
            DataInputStream in = stream(channel, at);
            if (end - at < 2 + 4 + 8) {
                throw new IOException("checkpoint " + file + ": " + (end - at) + " bytes at offset " + at
                        + " are too few for a section header");
            }
            int nameLength = in.readUnsignedShort();
            if (nameLength == 0 || nameLength > MAX_NAME || end - at < 2 + nameLength + 4 + 8) {
                throw new IOException("checkpoint " + file + ": the section at offset " + at + " declares a name of "
                        + nameLength + " bytes; names have 1 to " + MAX_NAME + " and must fit in the "
                        + (end - at) + " bytes left");
            }
            byte[] nameBytes = new byte[nameLength];
            in.readFully(nameBytes);
            String name = new String(nameBytes, StandardCharsets.US_ASCII);
            if (!name.matches("[a-z0-9-]+")) {
                throw new IOException("checkpoint " + file + ": the section at offset " + at + " has the name '"
                        + name.replaceAll("[^ -~]", "?") + "'; names are [a-z0-9-]");
            }
            int version = in.readInt();
            long length = in.readLong();
            long payload = at + 2 + nameLength + 4 + 8;
            if (length < 0 || length > end - payload) {
                throw new IOException("checkpoint " + file + ": section '" + name + "' declares "
                        + CheckpointInput.count(length) + " bytes, the file has " + CheckpointInput.count(end - payload)
                        + " bytes left before its checksum");
            }
            SectionCodec codec = Sections.named(name);
            if (codec == null) {
                throw new IOException("checkpoint " + file + " has section '" + name + "', which this calql does "
                        + "not know (written by a newer calql?); it is refused rather than dropped, since resuming "
                        + "without it would not continue the saved training");
            }
            if (!codec.reads(version)) {
                throw new IOException("checkpoint " + file + ": section '" + name + "' has version " + version
                        + "; this calql reads version " + codec.version());
            }
            CheckpointInfo.Section s = new CheckpointInfo.Section(name, version, payload, length);
            if (found.put(name, s) != null) {
                throw new IOException("checkpoint " + file + " holds section '" + name + "' twice");
            }
            order.add(s);
            at = payload + length;
        }
        CheckpointInfo.Section kindSection = found.get(ConfigSections.Kind.NAME);
        if (kindSection != null) {
            readSection(channel, file, kindSection, Sections.named(AgentKind.DISCRETE, kindSection.name()), c);
        }
        requireKind(c, expected, file);
        List<SectionCodec> codecs = Sections.of(c.kind);
        for (CheckpointInfo.Section s : order) {
            if (Sections.named(c.kind, s.name()) == null) {
                throw new IOException("checkpoint " + file + " holds section '" + s.name() + "', which a "
                        + c.kind.label() + " checkpoint does not have");
            }
        }
        for (SectionCodec codec : codecs) {
            if (!found.containsKey(codec.name()) && !codec.optional()) {
                throw new IOException("checkpoint " + file + " lacks section '" + codec.name() + "'");
            }
        }
        c.sections = order;
        for (SectionCodec codec : codecs) {
            if (codec.readFirst() && found.get(codec.name()) != kindSection) {
                readSection(channel, file, found.get(codec.name()), codec, c);
            }
        }
        resolve(c, file, backend, given, givenDiscrete, inspect);
        for (SectionCodec codec : codecs) {
            if (codec.readFirst() || (codec.needsTemplate() && c.criticsTemplate == null)
                    || !found.containsKey(codec.name()) || (codec.optional() && !c.built())) {
                continue;
            }
            readSection(channel, file, found.get(codec.name()), codec, c);
        }
    }

    /** Refuses a file of another kind than the caller loads (null: any), naming the kind and its loader. */
    private static void requireKind(CheckpointContents c, AgentKind expected, Path file) throws IOException {
        if (expected != null && c.kind != expected) {
            throw new IOException("checkpoint " + file + " holds a " + c.kind.label() + " agent, not a "
                    + expected.label() + " one; load it with " + c.kind.loader());
        }
    }

    private static void readSection(FileChannel channel, Path file, CheckpointInfo.Section s, SectionCodec codec,
                                    CheckpointContents into) throws IOException {
        CheckpointInput in = region(channel, file, s.name(), s.offset(), s.bytes());
        codec.read(in, s.version(), into);
        in.requireEnd();
    }

    private static CheckpointInput region(FileChannel channel, Path file, String name, long offset, long length)
            throws IOException {
        return new CheckpointInput(stream(channel, offset), length, file, name);
    }

    private static DataInputStream stream(FileChannel channel, long offset) throws IOException {
        channel.position(offset);
        return new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    }

    /**
     * Decides the config (the saved one, or the caller's when its structure matches), then builds a fresh agent
     * whose state is the template of every layout. In inspection, a config with custom components leaves the
     * agent null.
     */
    private static void resolve(CheckpointContents c, Path file, Backend backend, CalQlConfig given,
                                DiscreteConfig givenDiscrete, boolean inspect) throws IOException {
        if (c.kind == AgentKind.DISCRETE) {
            resolveDiscrete(c, file, backend, givenDiscrete, inspect);
            return;
        }
        if (c.kind == AgentKind.ACA) {
            resolveAca(c, file, backend);
            return;
        }
        if (given != null) {
            try {
                c.structure.requireSame(given.structure());
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + ": the given config does not fit the checkpoint: "
                        + e.getMessage().replace("cannot change after creation: it is", "is saved as"), e);
            }
            c.config = given;
            c.givenReference = given.referenceValues() != ReferenceValues.monteCarlo();
        } else {
            try {
                c.config = ConfigCodec.decodeConfig(ConfigCodec.parse(c.configText));
            } catch (IllegalArgumentException e) {
                if (inspect && ConfigCodec.namesCustomComponent(ConfigCodec.parse(c.configText))) {
                    c.note = e.getMessage();
                    return;
                }
                throw new IOException("checkpoint " + file + ": section 'config': " + e.getMessage(), e);
            }
        }
        checkModelFits(c.config.structure(), file);
        c.backend = backend;
        c.agent = Agent.create(c.config, c.training, backend);
        c.template = c.agent.updateStep().exportState();
        c.criticsTemplate = c.template.critics();
        c.policyTemplate = c.template.policy();
    }

    /** {@link #resolve} for an ACA agent: a fresh agent from the saved config (it names no custom component). */
    private static void resolveAca(CheckpointContents c, Path file, Backend backend) throws IOException {
        AcaConfig a = c.acaConfig;
        NetworkSpec critic = NetworkSpec.of(a.observationDim() + a.actionDim(), a.criticHidden(), 1);
        NetworkSpec policy = NetworkSpec.of(a.observationDim(), a.policyHidden(), 2 * a.actionDim());
        double doubles = 5.0 * 2 * a.criticCount() * critic.parameterCount() + 5.0 * 2 * policy.parameterCount();
        double bytes = 8.0 * doubles;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new IOException(String.format(java.util.Locale.ROOT, "checkpoint %s: section 'aca-config': its "
                    + "networks need about %,.0f bytes (%d critics and %d state values of about %,d parameters),"
                    + " more than the heap's %,d", file, bytes, a.criticCount(), a.criticCount(),
                    critic.parameterCount(), heap));
        }
        c.acaAgent = AcaAgent.create(a, c.training, backend);
        c.acaTemplate = c.acaAgent.updateRule().exportState();
        c.criticsTemplate = c.acaTemplate.critics();
        c.policyTemplate = c.acaTemplate.policy();
    }

    /** {@link #resolve} for a discrete agent: its config, then a fresh agent with the saved ε schedule. */
    private static void resolveDiscrete(CheckpointContents c, Path file, Backend backend, DiscreteConfig given,
                                        boolean inspect) throws IOException {
        if (given != null) {
            try {
                ConfigCodec.requireSameDiscreteStructure(c.discreteEntries, given);
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + ": the given config does not fit the checkpoint: "
                        + e.getMessage(), e);
            }
            c.discreteConfig = given;
            c.givenReference = given.referenceValues() != ReferenceValues.monteCarlo();
        } else {
            try {
                c.discreteConfig = ConfigCodec.decodeDiscrete(c.discreteEntries);
            } catch (IllegalArgumentException e) {
                if (inspect && ConfigCodec.namesCustomComponent(c.discreteEntries)) {
                    c.note = e.getMessage();
                    return;
                }
                throw new IOException("checkpoint " + file + ": section 'discrete-config': " + e.getMessage(), e);
            }
        }
        checkDiscreteModelFits(c.discreteConfig, file);
        c.discreteAgent = DiscreteAgent.create(c.discreteConfig, c.training, c.epsilon, backend);
        c.backend = backend;
        c.criticsTemplate = c.discreteAgent.updateStep().exportState().critics();
    }

    /**
     * Refuses a discrete config whose critics (with targets and moments) and per-update buffers ({@code K·4}
     * arrays of {@code batchSize·numActions}, and workspaces of {@code batchSize} rows per layer) could not fit in
     * the heap, before they are allocated.
     */
    private static void checkDiscreteModelFits(DiscreteConfig d, Path file) throws IOException {
        NetworkSpec critic = d.critic().networkSpec(CriticLayout.STATE_TO_ACTION_VALUES, d.observationDim(),
                d.numActions());
        double widths = d.observationDim() + d.numActions();
        for (int h : d.critic().hidden()) {
            widths += h;
        }
        double doubles = 5.0 * d.criticCount() * critic.parameterCount()
                + d.criticCount() * (4.0 * d.batchSize() * d.numActions() + 3.0 * 2 * d.batchSize() * widths);
        double bytes = 8.0 * doubles;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new IOException(String.format(java.util.Locale.ROOT, "checkpoint %s: section 'discrete-config': "
                    + "its critics and buffers need about %,.0f bytes (%d critics of %,d parameters, batches of "
                    + "%,d), more than the heap's %,d", file, bytes, d.criticCount(), critic.parameterCount(),
                    d.batchSize(), heap));
        }
    }

    /**
     * Refuses a config whose networks (critics, targets, their moments; the tanh-Gaussian policy's network) could
     * not fit in the heap, before they are allocated.
     */
    private static void checkModelFits(ConfigStructure s, Path file) throws IOException {
        NetworkSpec critic = s.critic().networkSpec(CriticLayout.STATE_ACTION, s.observationDim(), s.actionDim());
        double doubles = 5.0 * s.criticEnsembleSize() * critic.parameterCount();
        if (s.policy().equals(ConfigCodec.TANH_GAUSSIAN)) {
            doubles += 5.0 * NetworkSpec.of(s.observationDim(), s.policyHidden(), 2 * s.actionDim()).parameterCount();
        }
        double bytes = 8.0 * doubles;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new IOException(String.format(java.util.Locale.ROOT, "checkpoint %s: section 'config': its "
                    + "networks need about %,.0f bytes (%d critics of %,d parameters), more than the heap's %,d",
                    file, bytes, s.criticEnsembleSize(), critic.parameterCount(), heap));
        }
    }

    /** Imports the decoded state into the fresh agent. */
    private static void build(CheckpointContents c, Path file) throws IOException {
        if (c.discreteAgent != null) {
            buildDiscrete(c);
            return;
        }
        if (c.acaAgent != null) {
            buildAca(c, file);
            return;
        }
        Agent agent = c.agent;
        if (c.onlinePhase) {
            agent.applyOnlineSettings();
        }
        agent.updateStep().importState(c.updateStepState());
        restoreData(c, agent::setNormalizer, agent::newReplayBuffer, agent.trainingState());
        if (c.reference != null && !c.givenReference) {
            agent.restoreReference(c.reference);
        }
        restoreGenerators(c, agent.generators());
    }

    /**
     * {@link #build} for an ACA agent: its update's whole state (aligned or not, as saved; the trainer does not
     * align again when the saved phase is online), then the training state as for the others.
     */
    private static void buildAca(CheckpointContents c, Path file) throws IOException {
        if (c.acaOnline != (c.referencePolicy != null)) {
            throw new IOException("checkpoint " + file + ": section 'aca-schedule' says " + (c.acaOnline
                    ? "aligned" : "not aligned") + " but section 'reference-policy' " + (c.referencePolicy != null
                    ? "holds" : "lacks") + " π₀; an aligned agent has π₀ and an unaligned one has none");
        }
        if (c.onlinePhase && !c.acaOnline) {
            throw new IOException("checkpoint " + file + ": section 'training-counters' is in the online phase but"
                    + " section 'aca-schedule' says not aligned; ACA aligns when fine-tuning starts");
        }
        AcaAgent agent = c.acaAgent;
        agent.updateRule().importState(c.acaUpdateState());
        restoreData(c, agent::setNormalizer, agent::newReplayBuffer, agent.trainingState());
        restoreGenerators(c, agent.generators());
    }

    /** {@link #build} for a discrete agent. */
    private static void buildDiscrete(CheckpointContents c) {
        DiscreteAgent agent = c.discreteAgent;
        if (c.onlinePhase) {
            agent.applyOnlineSettings();
        }
        agent.updateStep().importState(new DiscreteUpdateState(c.critics, c.updateSteps));
        restoreData(c, agent::setNormalizer, agent::newReplayBuffer, agent.trainingState());
        if (c.reference != null && !c.givenReference) {
            agent.restoreReference(c.reference);
        }
        restoreGenerators(c, agent.generators());
    }

    /**
     * What every agent's {@link #build} restores after its update state: the normaliser, the replay buffer (into a
     * fresh one of the agent's), the counters and phase, and the offline data's record.
     */
    private static void restoreData(CheckpointContents c, Consumer<ObservationNormalizer> setNormalizer,
                                    Supplier<ReplayBuffer> newReplayBuffer, TrainingState state) {
        setNormalizer.accept(c.normalizer);
        ReplayBuffer buffer = null;
        if (c.hasReplay) {
            buffer = newReplayBuffer.get();
            buffer.importState(c.replay);
        }
        state.restore(c.counters, buffer, c.onlinePhase);
        state.recordOfflineData(c.offlineData);
    }

    /** Restores the agent's random generators (last, after a saved reference is restored, as {@link #build} always did). */
    private static void restoreGenerators(CheckpointContents c, Rng[] generators) {
        for (int i = 0; i < generators.length; i++) {
            generators[i].restore(c.generators[i]);
        }
    }
}
