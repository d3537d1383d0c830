package org.calql.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReplayBuffer;
import org.calql.random.Rng;
import org.calql.spi.AdamState;
import org.calql.train.Phase;
import org.calql.train.TrainingListener;
import org.calql.critic.CriticEnsembleState;
import org.calql.update.UpdateResult;
import org.calql.update.UpdateStepState;

/**
 * SHA-256 fingerprints of an agent's full state and of a run's update results, to pin today's bits across a
 * refactor. The one place that reads an agent's state for the frozen-behaviour tests: after the refactor,
 * re-point the section methods below at the new accessors and keep the byte order, and every pinned hex
 * string still applies.
 *
 * <p>Encoding: values go through a {@link DataOutputStream} (big-endian): a double as
 * {@code Double.doubleToRawLongBits} (8 bytes), a float as {@code Float.floatToRawIntBits} (4), a long as 8
 * bytes, an int as 4, a boolean as 1 byte; every array is preceded by its length (int), every array of arrays
 * by its count (int). Sections, in this order (the order of the v1 checkpoint file):
 * <ol>
 *   <li>{@code parameters} — {@link UpdateStepState#parameters()}: the critic count, then per critic its
 *       layers and its target's layers ({@code [w0, b0, w1, b1, …]}, weights row-major {@code [out, in]}), the
 *       policy network's layers, then logStdMultiplier, logStdOffset, logAlpha, logAlphaPrime;</li>
 *   <li>{@code optimizers} — per critic its Adam state (steps, first-moment layers, second-moment layers),
 *       the policy's Adam state, then the four scalar Adam states {@code [steps, m, v]} of logStdMultiplier,
 *       logStdOffset, logAlpha, logAlphaPrime (as doubles);</li>
 *   <li>{@code steps} — {@link UpdateStepState#steps()};</li>
 *   <li>{@code normalizer} — mean, std, isIdentity;</li>
 *   <li>{@code replay} — whether there is one, then every field of {@link ReplayBuffer.State} in record
 *       order;</li>
 *   <li>{@code generators} — the three {@link Rng#snapshot()}s (draws, batch sampling, environment);</li>
 *   <li>{@code counters} — pretrainUpdates, finetuneUpdates, finetuneSteps, finetuneEpisodes,
 *       finetuneFailures, then the online-phase flag.</li>
 * </ol>
 * The full fingerprint is the SHA-256 of all sections' bytes concatenated in that order.
 *
 * <p>Accessors read today (commit a6ff9bb), all package-private on {@link Agent} unless noted:
 * {@code agent.updateStep().exportState()} (public {@code UpdateStep.exportState()}),
 * {@code agent.normalizer()} (public), {@code agent.replay().exportState()}, {@code agent.generators()},
 * {@code agent.counters()}, {@code agent.onlinePhase()}.
 *
 * <p>Update results ({@link Updates}) are encoded per update as: phase ordinal (int), the listener's step
 * (long), then every component of {@link UpdateResult} in record order (arrays with their lengths).
 */
final class StateFingerprint {
    /** Section names, in hashing order. */
    static final String[] SECTIONS = {"parameters", "optimizers", "steps", "normalizer", "replay", "generators",
        "counters"};

    private StateFingerprint() {
    }

    /** The full-state fingerprint (hex). */
    static String of(Agent agent) {
        MessageDigest d = sha256();
        for (byte[] b : sectionBytes(agent).values()) {
            d.update(b);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Fingerprint per section (hex), in {@link #SECTIONS} order, to say which part changed. */
    static Map<String, String> sections(Agent agent) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : sectionBytes(agent).entrySet()) {
            out.put(e.getKey(), HexFormat.of().formatHex(sha256().digest(e.getValue())));
        }
        return out;
    }

    private static Map<String, byte[]> sectionBytes(Agent agent) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        UpdateStepState s = agent.updateStep().exportState();
        CriticEnsembleState c = s.critics();
        double[][] policy = s.policy().parameters();
        int net = policy.length - 2; // the tanh-Gaussian layout: network arrays, [logStdMultiplier], [logStdOffset]
        AdamState policyAdam = s.policy().optimizer();
        out.put("parameters", bytes(o -> {
            o.writeInt(c.critics().length);
            for (int k = 0; k < c.critics().length; k++) {
                layers(o, c.critics()[k]);
                layers(o, c.targets()[k]);
            }
            layers(o, Arrays.copyOf(policy, net));
            o.writeDouble(policy[net][0]);
            o.writeDouble(policy[net + 1][0]);
            o.writeDouble(s.temperature().value());
            o.writeDouble(s.lagrange().value());
        }));
        out.put("optimizers", bytes(o -> {
            o.writeInt(c.optimizers().length);
            for (AdamState a : c.optimizers()) {
                adam(o, a);
            }
            adam(o, new AdamState(policyAdam.steps(), Arrays.copyOf(policyAdam.firstMoment(), net),
                    Arrays.copyOf(policyAdam.secondMoment(), net)));
            double steps = policyAdam.steps();
            layers(o, new double[][] {
                {steps, policyAdam.firstMoment()[net][0], policyAdam.secondMoment()[net][0]},
                {steps, policyAdam.firstMoment()[net + 1][0], policyAdam.secondMoment()[net + 1][0]},
                s.temperature().adam(), s.lagrange().adam()});
        }));
        out.put("steps", bytes(o -> o.writeLong(s.steps())));
        out.put("normalizer", bytes(o -> {
            ObservationNormalizer n = agent.normalizer();
            doubles(o, n.mean());
            doubles(o, n.std());
            o.writeBoolean(n.isIdentity());
        }));
        out.put("replay", bytes(o -> {
            ReplayBuffer replay = agent.trainingState().replay();
            o.writeBoolean(replay != null);
            if (replay != null) {
                ReplayBuffer.State r = replay.exportState();
                o.writeInt(r.capacity());
                o.writeInt(r.observationDim());
                o.writeInt(r.actionDim());
                o.writeInt(r.position());
                o.writeInt(r.size());
                o.writeLong(r.committedCount());
                floats(o, r.observations());
                floats(o, r.actions());
                floats(o, r.rewards());
                floats(o, r.nextObservations());
                booleans(o, r.terminals());
                doubles(o, r.returnsToGo());
                floats(o, r.pendingObservations());
                floats(o, r.pendingActions());
                floats(o, r.pendingRewards());
                floats(o, r.pendingNextObservations());
                booleans(o, r.pendingTerminals());
            }
        }));
        out.put("generators", bytes(o -> {
            Rng[] g = agent.generators();
            o.writeInt(g.length);
            for (Rng r : g) {
                longs(o, r.snapshot());
            }
        }));
        out.put("counters", bytes(o -> {
            longs(o, agent.trainingState().counters());
            o.writeBoolean(agent.trainingState().onlinePhase());
        }));
        return out;
    }

    /** A listener that hashes every update result it sees, in order. */
    static final class Updates implements TrainingListener {
        private final MessageDigest digest = sha256();
        private long count;

        @Override
        public void onUpdate(Phase phase, long step, UpdateResult r) {
            digest.update(bytes(o -> {
                o.writeInt(phase.ordinal());
                o.writeLong(step);
                o.writeLong(r.step());
                doubles(o, r.tdLoss());
                doubles(o, r.conservativeGap());
                doubles(o, r.conservativeLoss());
                doubles(o, r.averageQ());
                doubles(o, r.boundRateCurrent());
                doubles(o, r.boundRateNext());
                o.writeDouble(r.policyLoss());
                o.writeDouble(r.alphaLoss());
                o.writeDouble(r.alphaPrimeLoss());
                o.writeDouble(r.alpha());
                o.writeDouble(r.alphaPrime());
                o.writeDouble(r.logPi());
                o.writeDouble(r.averageTargetQ());
            }));
            count++;
        }

        /** Updates seen. */
        long count() {
            return count;
        }

        /** The fingerprint of every result seen so far (hex); the listener can keep going afterwards. */
        String hex() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private interface Writer {
        void write(DataOutputStream o) throws IOException;
    }

    private static byte[] bytes(Writer w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            w.write(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static void adam(DataOutputStream o, AdamState a) throws IOException {
        o.writeLong(a.steps());
        layers(o, a.firstMoment());
        layers(o, a.secondMoment());
    }

    private static void layers(DataOutputStream o, double[][] v) throws IOException {
        o.writeInt(v.length);
        for (double[] l : v) {
            doubles(o, l);
        }
    }

    private static void doubles(DataOutputStream o, double[] v) throws IOException {
        o.writeInt(v.length);
        for (double x : v) {
            o.writeLong(Double.doubleToRawLongBits(x));
        }
    }

    private static void floats(DataOutputStream o, float[] v) throws IOException {
        o.writeInt(v.length);
        for (float x : v) {
            o.writeInt(Float.floatToRawIntBits(x));
        }
    }

    private static void longs(DataOutputStream o, long[] v) throws IOException {
        o.writeInt(v.length);
        for (long x : v) {
            o.writeLong(x);
        }
    }

    private static void booleans(DataOutputStream o, boolean[] v) throws IOException {
        o.writeInt(v.length);
        for (boolean x : v) {
            o.writeBoolean(x);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
