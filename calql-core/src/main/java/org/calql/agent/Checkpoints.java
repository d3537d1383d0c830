package org.calql.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.calql.config.CalQlConfig;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReplayBuffer;
import org.calql.data.RewardTransform;
import org.calql.random.Rng;
import org.calql.spi.AdamState;
import org.calql.spi.Backend;
import org.calql.train.TrainingConfig;
import org.calql.critic.CriticEnsembleState;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;
import org.calql.update.UpdateStepState;

/**
 * The checkpoint file {@code agent.calql}: a magic string, a format version, the configs as text, then
 * every array in big-endian binary, and a CRC-32 of all of it. Written to a temporary file and moved into
 * place; read completely and checked before an agent is built, so a bad file leaves nothing half-loaded.
 */
final class Checkpoints {
    static final String FILE_NAME = "agent.calql";
    static final String MAGIC = "CALQL-CHECKPOINT";
    static final int FORMAT_VERSION = 1;

    private Checkpoints() {
    }

    static void save(Agent agent, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(FILE_NAME);
        Path temp = Files.createTempFile(directory, FILE_NAME, ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(temp);
                 CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16),
                         new CRC32());
                 DataOutputStream out = new DataOutputStream(checked)) {
                write(agent, out);
                out.flush();
                long crc = checked.getChecksum().getValue();
                out.writeLong(crc);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void write(Agent agent, DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT_VERSION);
        writeText(out, ConfigCodec.encode(agent.config()));
        writeText(out, ConfigCodec.encode(agent.trainingConfig()));
        UpdateStepState s = agent.updateStep().exportState();
        CriticEnsembleState c = s.critics();
        PolicyState policy = s.policy();
        int n = policy.parameters().length - 2;
        out.writeInt(c.critics().length);
        for (int k = 0; k < c.critics().length; k++) {
            writeLayers(out, c.critics()[k]);
            writeLayers(out, c.targets()[k]);
        }
        writeLayers(out, Arrays.copyOf(policy.parameters(), n));
        out.writeDouble(policy.parameters()[n][0]);
        out.writeDouble(policy.parameters()[n + 1][0]);
        out.writeDouble(s.temperature().value());
        out.writeDouble(s.lagrange().value());
        for (AdamState a : c.optimizers()) {
            writeAdam(out, a);
        }
        AdamState adam = policy.optimizer();
        writeAdam(out, new AdamState(adam.steps(), Arrays.copyOf(adam.firstMoment(), n),
                Arrays.copyOf(adam.secondMoment(), n)));
        for (int i = n; i < n + 2; i++) {
            writeDoubles(out, new double[] {adam.steps(), adam.firstMoment()[i][0], adam.secondMoment()[i][0]});
        }
        writeDoubles(out, s.temperature().adam());
        writeDoubles(out, s.lagrange().adam());
        out.writeLong(s.steps());
        ObservationNormalizer normalizer = agent.normalizer();
        writeDoubles(out, normalizer.mean());
        writeDoubles(out, normalizer.std());
        out.writeBoolean(normalizer.isIdentity());
        ReplayBuffer replay = agent.trainingState().replay();
        out.writeBoolean(replay != null);
        if (replay != null) {
            writeReplay(out, replay.exportState());
        }
        for (Rng rng : agent.generators()) {
            writeLongs(out, rng.snapshot());
        }
        writeLongs(out, agent.trainingState().counters());
        out.writeBoolean(agent.trainingState().onlinePhase());
    }

    static Agent load(Path directory, Backend backend, CalQlConfig given) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no calql checkpoint here");
        }
        try (InputStream raw = Files.newInputStream(file);
             CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), new CRC32());
             DataInputStream in = new DataInputStream(checked)) {
            Loaded loaded = read(in, file, given);
            long expected = checked.getChecksum().getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new IOException("checkpoint " + file + " is corrupt: checksum " + Long.toHexString(stored)
                        + " does not match its contents (" + Long.toHexString(expected) + ")");
            }
            if (in.read() != -1) {
                throw new IOException("checkpoint " + file + " has trailing bytes after its checksum");
            }
            return loaded.build(backend, file);
        } catch (EOFException e) {
            throw new IOException("checkpoint " + file + " is truncated (" + Files.size(file) + " bytes)", e);
        } catch (IllegalArgumentException | OutOfMemoryError e) {
            throw new IOException("checkpoint " + file + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static Loaded read(DataInputStream in, Path file, CalQlConfig given) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            throw new IOException(file + " is not a calql checkpoint (no header)", e);
        }
        if (!MAGIC.equals(magic)) {
            throw new IOException(file + " is not a calql checkpoint (header '" + shorten(magic) + "')");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("checkpoint " + file + " has format version " + version
                    + "; this calql reads version " + FORMAT_VERSION);
        }
        Loaded l = new Loaded();
        String configText = readText(in);
        l.training = ConfigCodec.decodeTraining(ConfigCodec.parse(readText(in)));
        if (given != null) {
            try {
                ConfigCodec.decodeStructure(ConfigCodec.parse(configText)).requireSame(given.structure());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the given config does not fit the checkpoint: "
                        + e.getMessage().replace("cannot change after creation: it is", "is saved as"), e);
            }
            l.config = given;
        } else {
            l.config = ConfigCodec.decodeConfig(ConfigCodec.parse(configText));
        }
        int k = in.readInt();
        if (k != l.config.criticEnsembleSize()) {
            throw new IllegalArgumentException("checkpoint holds " + k + " critics, config says "
                    + l.config.criticEnsembleSize());
        }
        double[][][] critics = new double[k][][];
        double[][][] targets = new double[k][][];
        for (int i = 0; i < k; i++) {
            critics[i] = readLayers(in);
            targets[i] = readLayers(in);
        }
        double[][] policyNetwork = readLayers(in);
        double logStdMultiplier = in.readDouble();
        double logStdOffset = in.readDouble();
        double logAlpha = in.readDouble();
        double logAlphaPrime = in.readDouble();
        AdamState[] criticAdam = new AdamState[k];
        for (int i = 0; i < k; i++) {
            criticAdam[i] = readAdam(in);
        }
        AdamState policyAdam = readAdam(in);
        double[][] scalars = new double[4][];
        for (int i = 0; i < 4; i++) {
            scalars[i] = readDoubles(in);
        }
        long steps = in.readLong();
        l.state = new UpdateStepState(new CriticEnsembleState(critics, targets, criticAdam),
                tanhGaussianState(policyNetwork, logStdMultiplier, logStdOffset, policyAdam, scalars[0], scalars[1]),
                new ScalarState(logAlpha, scalars[2]), new ScalarState(logAlphaPrime, scalars[3]), steps);
        double[] mean = readDoubles(in);
        double[] std = readDoubles(in);
        boolean identity = in.readBoolean();
        l.normalizer = identity ? ObservationNormalizer.identity(mean.length) : ObservationNormalizer.of(mean, std);
        if (in.readBoolean()) {
            l.replay = readReplay(in);
        }
        l.rngs = new long[3][];
        for (int i = 0; i < 3; i++) {
            l.rngs[i] = readLongs(in);
        }
        l.counters = readLongs(in);
        if (l.counters.length != 5) {
            throw new IllegalArgumentException("checkpoint counters must hold 5 values, found " + l.counters.length);
        }
        l.onlinePhase = in.readBoolean();
        return l;
    }

    /**
     * The tanh-Gaussian policy's state from the v1 layout: the network's parameters and Adam state, and the two
     * log-std scalars' values and {@code [steps, m, v]} Adam states, which step with the network.
     */
    private static PolicyState tanhGaussianState(double[][] network, double multiplier, double offset, AdamState adam,
                                                 double[] multiplierAdam, double[] offsetAdam) {
        if (adam.firstMoment() == null || adam.secondMoment() == null || multiplierAdam.length != 3
                || offsetAdam.length != 3) {
            throw new IllegalArgumentException("policy optimizer state is malformed");
        }
        if (multiplierAdam[0] != adam.steps() || offsetAdam[0] != adam.steps()) {
            throw new IllegalArgumentException("the log-std scalars' optimizers took " + multiplierAdam[0] + " and "
                    + offsetAdam[0] + " steps, the policy network's " + adam.steps());
        }
        int n = network.length;
        double[][] parameters = Arrays.copyOf(network, n + 2);
        parameters[n] = new double[] {multiplier};
        parameters[n + 1] = new double[] {offset};
        double[][] m = Arrays.copyOf(adam.firstMoment(), adam.firstMoment().length + 2);
        double[][] v = Arrays.copyOf(adam.secondMoment(), adam.secondMoment().length + 2);
        m[m.length - 2] = new double[] {multiplierAdam[1]};
        m[m.length - 1] = new double[] {offsetAdam[1]};
        v[v.length - 2] = new double[] {multiplierAdam[2]};
        v[v.length - 1] = new double[] {offsetAdam[2]};
        return new PolicyState(parameters, new AdamState(adam.steps(), m, v));
    }

    /** Everything read from a file, turned into an agent only after the whole file checked out. */
    private static final class Loaded {
        CalQlConfig config;
        TrainingConfig training;
        UpdateStepState state;
        ObservationNormalizer normalizer;
        ReplayBuffer.State replay;
        long[][] rngs;
        long[] counters;
        boolean onlinePhase;

        Agent build(Backend backend, Path file) {
            if (normalizer.observationDim() != config.observationDim()) {
                throw new IllegalArgumentException("normaliser has " + normalizer.observationDim()
                        + " dimensions, config observationDim " + config.observationDim());
            }
            Agent agent = Agent.create(config, training, backend);
            if (onlinePhase) {
                agent.applyOnlineSettings();
            }
            agent.updateStep().importState(state);
            agent.setNormalizer(normalizer);
            ReplayBuffer buffer = null;
            if (replay != null) {
                if (replay.observationDim() != config.observationDim() || replay.actionDim() != config.actionDim()) {
                    throw new IllegalArgumentException("replay holds observationDim " + replay.observationDim()
                            + " and actionDim " + replay.actionDim() + ", config observationDim "
                            + config.observationDim() + " and actionDim " + config.actionDim());
                }
                OptionalDouble failure = Double.isNaN(training.sparseFailureReward()) ? OptionalDouble.empty()
                        : OptionalDouble.of(training.sparseFailureReward());
                buffer = new ReplayBuffer(replay.capacity(), replay.observationDim(),
                        replay.actionDim(), new RewardTransform(training.rewardScale(), training.rewardBias()),
                        config.discount(), failure);
                buffer.importState(replay);
            }
            agent.trainingState().restore(counters, buffer, onlinePhase);
            Rng[] generators = agent.generators();
            for (int i = 0; i < 3; i++) {
                generators[i].restore(rngs[i]);
            }
            return agent;
        }
    }

    // --- primitives ---

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        int n = length(in, 1 << 20);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int length(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("array length " + n + " is out of range [0, " + max + "]");
        }
        return n;
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[length(in, Integer.MAX_VALUE - 8)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float x : v) {
            out.writeFloat(x);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[length(in, Integer.MAX_VALUE - 8)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    private static void writeBooleans(DataOutputStream out, boolean[] v) throws IOException {
        out.writeInt(v.length);
        for (boolean x : v) {
            out.writeBoolean(x);
        }
    }

    private static boolean[] readBooleans(DataInputStream in) throws IOException {
        boolean[] v = new boolean[length(in, Integer.MAX_VALUE - 8)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readBoolean();
        }
        return v;
    }

    private static void writeLongs(DataOutputStream out, long[] v) throws IOException {
        out.writeInt(v.length);
        for (long x : v) {
            out.writeLong(x);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        long[] v = new long[length(in, 1 << 10)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readLong();
        }
        return v;
    }

    private static void writeLayers(DataOutputStream out, double[][] layers) throws IOException {
        out.writeInt(layers.length);
        for (double[] l : layers) {
            writeDoubles(out, l);
        }
    }

    private static double[][] readLayers(DataInputStream in) throws IOException {
        double[][] layers = new double[length(in, 1 << 10)][];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = readDoubles(in);
        }
        return layers;
    }

    private static void writeAdam(DataOutputStream out, AdamState a) throws IOException {
        out.writeLong(a.steps());
        writeLayers(out, a.firstMoment());
        writeLayers(out, a.secondMoment());
    }

    private static AdamState readAdam(DataInputStream in) throws IOException {
        long steps = in.readLong();
        return new AdamState(steps, readLayers(in), readLayers(in));
    }

    private static void writeReplay(DataOutputStream out, ReplayBuffer.State s) throws IOException {
        out.writeInt(s.capacity());
        out.writeInt(s.observationDim());
        out.writeInt(s.actionDim());
        out.writeInt(s.position());
        out.writeInt(s.size());
        out.writeLong(s.committedCount());
        writeFloats(out, s.observations());
        writeFloats(out, s.actions());
        writeFloats(out, s.rewards());
        writeFloats(out, s.nextObservations());
        writeBooleans(out, s.terminals());
        writeDoubles(out, s.returnsToGo());
        writeFloats(out, s.pendingObservations());
        writeFloats(out, s.pendingActions());
        writeFloats(out, s.pendingRewards());
        writeFloats(out, s.pendingNextObservations());
        writeBooleans(out, s.pendingTerminals());
    }

    private static ReplayBuffer.State readReplay(DataInputStream in) throws IOException {
        int capacity = in.readInt();
        int obsDim = in.readInt();
        int actDim = in.readInt();
        int position = in.readInt();
        int size = in.readInt();
        long committed = in.readLong();
        return new ReplayBuffer.State(capacity, obsDim, actDim, position, size, committed, readFloats(in),
                readFloats(in), readFloats(in), readFloats(in), readBooleans(in), readDoubles(in), readFloats(in),
                readFloats(in), readFloats(in), readFloats(in), readBooleans(in));
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
