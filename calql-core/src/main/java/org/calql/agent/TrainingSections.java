package org.calql.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import org.calql.agent.CheckpointInput.Values;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReplayBuffer;
import org.calql.policy.LinearDecay;
import org.calql.random.Rng;
import org.calql.train.TrainingState;

/**
 * The sections of what is not the update step's, version 1 each:
 * <ul>
 *   <li>{@code normalizer}: {@code boolean identity, int observationDim}, then unless identity
 *       {@code observationDim} doubles of mean and of std.</li>
 *   <li>{@code replay}: {@code boolean present}; if present {@code int capacity, observationDim, actionDim,
 *       position, size, long committedCount, int pending}, then without length prefixes the stored
 *       observations, actions, rewards, next observations (floats), terminals (bytes), returns-to-go (doubles)
 *       of {@code size} transitions, and the pending episode's observations, actions, rewards, next
 *       observations (floats) and terminals (bytes) of {@code pending} steps.</li>
 *   <li>{@code generators}: {@code int count} (3: draws, sampling, environment; a discrete agent's 2: sampling,
 *       environment), then per generator its {@link Rng#snapshot()} of 3 longs.</li>
 *   <li>{@code training-counters}: {@code int count} (5, in {@link TrainingState#counters()} order), the counters,
 *       {@code boolean onlinePhase}.</li>
 *   <li>{@code offline-data}: the offline data's fingerprint as UTF-8 text, empty when none.</li>
 *   <li>{@code epsilon} (discrete agents only): the ε schedule {@code double start, double end, long steps}, the
 *       rules {@link LinearDecay}'s.</li>
 * </ul>
 */
final class TrainingSections {
    private TrainingSections() {
    }

    /** Section {@code normalizer}: {@link ObservationNormalizer}; its rules are {@link ObservationNormalizer#of}'s. */
    static final class Normalizer implements SectionCodec {
        @Override
        public String name() {
            return "normalizer";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            ObservationNormalizer n = s.trained().normalizer();
            out.writeBoolean(n.isIdentity());
            out.writeInt(n.observationDim());
            if (!n.isIdentity()) {
                for (double x : n.mean()) {
                    out.writeDouble(x);
                }
                for (double x : n.std()) {
                    out.writeDouble(x);
                }
            }
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            boolean identity = in.readBoolean("identity flag");
            int dim = in.readExactInt("observationDim", into.observationDim, "the config");
            if (identity) {
                into.normalizer = ObservationNormalizer.identity(dim);
                return;
            }
            double[] mean = in.readDoubles("mean", dim, Values.FINITE);
            double[] std = in.readDoubles("std", dim, Values.FINITE);
            try {
                into.normalizer = ObservationNormalizer.of(mean, std);
            } catch (IllegalArgumentException e) {
                throw in.error(e.getMessage());
            }
        }
    }

    /** Section {@code replay}: {@link ReplayBuffer.State}; its consistency rules are the record's. */
    static final class Replay implements SectionCodec {
        @Override
        public String name() {
            return "replay";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            ReplayBuffer replay = s.trained().trainingState().replay();
            out.writeBoolean(replay != null);
            if (replay == null) {
                return;
            }
            ReplayBuffer.State r = replay.exportState();
            out.writeInt(r.capacity());
            out.writeInt(r.observationDim());
            out.writeInt(r.actionDim());
            out.writeInt(r.position());
            out.writeInt(r.size());
            out.writeLong(r.committedCount());
            out.writeInt(r.pendingRewards().length);
            writeFloats(out, r.observations());
            writeFloats(out, r.actions());
            writeFloats(out, r.rewards());
            writeFloats(out, r.nextObservations());
            writeBooleans(out, r.terminals());
            for (double x : r.returnsToGo()) {
                out.writeDouble(x);
            }
            writeFloats(out, r.pendingObservations());
            writeFloats(out, r.pendingActions());
            writeFloats(out, r.pendingRewards());
            writeFloats(out, r.pendingNextObservations());
            writeBooleans(out, r.pendingTerminals());
        }

        private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
            for (float x : v) {
                out.writeFloat(x);
            }
        }

        private static void writeBooleans(DataOutputStream out, boolean[] v) throws IOException {
            for (boolean x : v) {
                out.writeBoolean(x);
            }
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            into.hasReplay = in.readBoolean("present flag");
            if (!into.hasReplay) {
                return;
            }
            int capacity = in.readExactInt("capacity", into.training.replayCapacity(),
                    "the training config's replayCapacity");
            int obs = in.readExactInt("observationDim", into.observationDim, "the config");
            int act = in.readExactInt("actionDim", into.actionDim, into.kind == AgentKind.DISCRETE
                    ? "a discrete agent's one action index" : "the config");
            int position = in.readInt("position", 0, capacity - 1);
            int size = in.readInt("size", 0, capacity);
            long committed = in.readLong("committedCount");
            if (committed < size) {
                throw in.error("committedCount must be at least size " + size + ", found " + committed);
            }
            int pending = in.readInt("pending steps", 0, Integer.MAX_VALUE);
            long stored = sum(times(size, 8L * obs + 4L * act + 4 + 1 + 8));
            long staged = sum(times(pending, 8L * obs + 4L * act + 4 + 1));
            long declared = sum(stored, staged);
            if (declared != in.remaining()) {
                throw in.error("size " + CheckpointInput.count(size) + " and pending steps "
                        + CheckpointInput.count(pending) + " need " + (declared == Long.MAX_VALUE ? "more than 2^63"
                        : CheckpointInput.count(declared)) + " bytes of arrays, the section has "
                        + CheckpointInput.count(in.remaining()) + " bytes left");
            }
            long ring = times(capacity, 8L * obs + 4L * act + 4 + 1 + 8);
            long heap = Runtime.getRuntime().maxMemory();
            if (ring > heap) {
                throw in.error("capacity " + CheckpointInput.count(capacity) + " needs "
                        + CheckpointInput.count(ring) + " bytes of ring buffers, more than the heap's "
                        + CheckpointInput.count(heap));
            }
            float[] observations = in.readFloats("observations", (long) size * obs);
            float[] actions = in.readFloats("actions", (long) size * act);
            float[] rewards = in.readFloats("rewards", size);
            float[] next = in.readFloats("nextObservations", (long) size * obs);
            boolean[] terminals = in.readBooleans("terminals", size);
            double[] returns = in.readDoubles("returnsToGo", size, Values.FINITE);
            float[] pObservations = in.readFloats("pendingObservations", (long) pending * obs);
            float[] pActions = in.readFloats("pendingActions", (long) pending * act);
            float[] pRewards = in.readFloats("pendingRewards", pending);
            float[] pNext = in.readFloats("pendingNextObservations", (long) pending * obs);
            boolean[] pTerminals = in.readBooleans("pendingTerminals", pending);
            try {
                into.replay = new ReplayBuffer.State(capacity, obs, act, position, size, committed, observations,
                        actions, rewards, next, terminals, returns, pObservations, pActions, pRewards, pNext,
                        pTerminals);
            } catch (IllegalArgumentException e) {
                throw in.error(e.getMessage());
            }
        }

        /** {@code a·b}, or {@code Long.MAX_VALUE} if it overflows. */
        private static long times(long a, long b) {
            long hi = Math.multiplyHigh(a, b);
            long lo = a * b;
            return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
        }

        private static long sum(long... values) {
            long s = 0;
            for (long v : values) {
                s = s + v < 0 ? Long.MAX_VALUE : s + v;
            }
            return s;
        }
    }

    /**
     * Section {@code generators}: the agent's {@link Rng} snapshots, three for a continuous agent (draws, sampling,
     * environment), two for a discrete one (sampling, environment: its update draws nothing).
     */
    static final class Generators implements SectionCodec {
        static final String[] CONTINUOUS = {"draws", "sampling", "environment"};
        static final String[] DISCRETE = {"sampling", "environment"};
        private final String[] names;

        Generators(String[] names) {
            this.names = names.clone();
        }

        @Override
        public String name() {
            return "generators";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            Rng[] generators = s.generators();
            out.writeInt(generators.length);
            for (Rng g : generators) {
                for (long x : g.snapshot()) {
                    out.writeLong(x);
                }
            }
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            in.readExactInt("generator count", names.length, names.length == 3
                    ? "an agent's draws, sampling and environment generators"
                    : "a discrete agent's sampling and environment generators");
            into.generators = new long[names.length][];
            for (int i = 0; i < names.length; i++) {
                into.generators[i] = readSnapshot(in, names[i] + " generator");
            }
        }

        /** A snapshot {@code [state, hasSpare (0 or 1), spare Gaussian's bits (finite when hasSpare)]}. */
        static long[] readSnapshot(CheckpointInput in, String what) throws IOException {
            long[] s = in.readLongs(what, 3);
            if (s[1] != 0 && s[1] != 1) {
                throw in.error(what + " spare flag must be 0 or 1, found " + s[1]);
            }
            if (s[1] == 1 && !Double.isFinite(Double.longBitsToDouble(s[2]))) {
                throw in.error(what + " spare Gaussian must be finite, found " + Double.longBitsToDouble(s[2]));
            }
            new Rng(0).restore(s);
            return s;
        }
    }

    /**
     * Section {@code offline-data}: the {@link org.calql.data.DatasetFingerprint} of the offline data the agent
     * trained on, as UTF-8 text (empty when none), so that resuming refuses other data.
     */
    static final class OfflineData implements SectionCodec {
        static final int MAX_BYTES = 256;

        @Override
        public String name() {
            return "offline-data";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            String fingerprint = s.trained().trainingState().offlineDataFingerprint();
            out.write((fingerprint == null ? "" : fingerprint).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            String text = in.readText("offline data fingerprint", MAX_BYTES);
            into.offlineData = text.isEmpty() ? null : text;
        }
    }

    /** Section {@code training-counters}: the counters and phase; the rules are {@link TrainingState#restore}'s. */
    static final class Counters implements SectionCodec {
        @Override
        public String name() {
            return "training-counters";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            long[] counters = s.trained().trainingState().counters();
            out.writeInt(counters.length);
            for (long c : counters) {
                out.writeLong(c);
            }
            out.writeBoolean(s.trained().trainingState().onlinePhase());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            int n = in.readExactInt("counter count", 5, "the training state's counters");
            into.counters = in.readLongs("counters", n);
            into.onlinePhase = in.readBoolean("online phase flag");
            check(in, into.counters);
        }

        /** Applies {@link TrainingState#restore}'s rules to a throwaway state. */
        static void check(CheckpointInput in, long[] counters) throws IOException {
            try {
                new TrainingState(new Rng(0), new Rng(0)).restore(counters, null, false);
            } catch (IllegalArgumentException e) {
                throw in.error(e.getMessage());
            }
        }
    }

    /** Section {@code epsilon}: a discrete agent's exploration schedule ({@link LinearDecay}). */
    static final class Epsilon implements SectionCodec {
        @Override
        public String name() {
            return "epsilon";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public boolean readFirst() {
            return true;
        }

        @Override
        public void write(CheckpointWriting s, DataOutputStream out) throws IOException {
            LinearDecay e = s.discrete().epsilon();
            out.writeDouble(e.start());
            out.writeDouble(e.end());
            out.writeLong(e.steps());
        }

        @Override
        public void read(CheckpointInput in, int version, CheckpointContents into) throws IOException {
            double start = in.readFinite("epsilon start");
            double end = in.readFinite("epsilon end");
            long steps = in.readNonNegativeLong("epsilon decay steps");
            try {
                into.epsilon = new LinearDecay(start, end, steps);
            } catch (IllegalArgumentException e) {
                throw in.error(e.getMessage());
            }
        }
    }
}
