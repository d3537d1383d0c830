package org.calql.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.calql.agent.CheckpointInput.Values;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReplayBuffer;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;
import org.calql.spi.AdamState;

/**
 * Reads the body of a format-v1 checkpoint (calql before named sections; kept so that old files load and resume
 * bit for bit). After the magic and {@code int 1}: the config and training config as {@code int length} + UTF-8;
 * {@code int K}; per critic its and its target's arrays; the tanh-Gaussian policy network's arrays; the log-std
 * multiplier and offset; {@code logAlpha}, {@code logAlphaPrime}; K critic Adam states and the policy network's
 * ({@code long steps}, moment arrays); four {@code [steps, m, v]} arrays (log-std multiplier, offset, temperature,
 * Lagrange); {@code long steps}; the normaliser's mean and std arrays and identity flag; a replay flag and
 * replay; three generator snapshots; the counters; the online flag. Arrays carry {@code int} length prefixes.
 * The same rules as v2 apply: lengths against the region and the config's layout before allocation, values
 * checked on import.
 */
final class V1Reader {
    private V1Reader() {
    }

    /** The two config texts at the start of the body. */
    static void readConfigs(CheckpointInput in, CheckpointContents into) throws IOException {
        into.configText = text(in, "config");
        into.trainingText = text(in, "training config");
        try {
            into.structure = ConfigCodec.decodeStructure(ConfigCodec.parse(into.configText));
        } catch (IllegalArgumentException e) {
            throw in.error("config text is malformed: " + e.getMessage());
        }
        try {
            into.training = ConfigCodec.decodeTraining(ConfigCodec.parse(into.trainingText));
        } catch (IllegalArgumentException e) {
            throw in.error("training config is invalid: " + e.getMessage());
        }
    }

    private static String text(CheckpointInput in, String what) throws IOException {
        int n = in.readInt(what + " length", 0, ConfigSections.MAX_TEXT);
        return new String(in.readBytes(what, n), StandardCharsets.UTF_8);
    }

    /** Everything after the configs, read against {@code into.template}. */
    static void readState(CheckpointInput in, CheckpointContents into) throws IOException {
        CriticEnsembleState t = into.template.critics();
        int k = in.readExactInt("critic count", t.critics().length, "the config's criticEnsembleSize");
        double[][][] critics = new double[k][][];
        double[][][] targets = new double[k][][];
        for (int i = 0; i < k; i++) {
            critics[i] = in.readArrays("critic " + i, t.critics()[i], Values.FINITE);
            targets[i] = in.readArrays("target " + i, t.targets()[i], Values.FINITE);
        }
        double[][] policyLayout = into.template.policy().parameters();
        if (policyLayout.length < 2 || policyLayout[policyLayout.length - 1].length != 1
                || policyLayout[policyLayout.length - 2].length != 1) {
            throw in.error("format v1 holds a tanh-Gaussian policy, the config's policy has another layout");
        }
        int n = policyLayout.length - 2;
        double[][] networkLayout = Arrays.copyOf(policyLayout, n);
        double[][] network = in.readArrays("policy network", networkLayout, Values.FINITE);
        double multiplier = in.readFinite("logStdMultiplier");
        double offset = in.readFinite("logStdOffset");
        double logAlpha = in.readFinite("logAlpha");
        double logAlphaPrime = in.readFinite("logAlphaPrime");
        AdamState[] criticAdam = new AdamState[k];
        for (int i = 0; i < k; i++) {
            criticAdam[i] = ModelSections.readAdam(in, "critic " + i, t.critics()[i]);
        }
        AdamState networkAdam = ModelSections.readAdam(in, "policy network", networkLayout);
        String[] scalarNames = {"logStdMultiplier", "logStdOffset", "temperature", "lagrange"};
        double[][] scalars = new double[4][];
        for (int i = 0; i < 4; i++) {
            scalars[i] = scalarAdam(in, scalarNames[i]);
        }
        if (scalars[0][0] != networkAdam.steps() || scalars[1][0] != networkAdam.steps()) {
            throw in.error("the log-std scalars' optimizers took " + (long) scalars[0][0] + " and "
                    + (long) scalars[1][0] + " steps, the policy network's " + networkAdam.steps());
        }
        into.updateSteps = in.readNonNegativeLong("update steps");
        into.critics = new CriticEnsembleState(critics, targets, criticAdam);
        into.policy = tanhGaussian(network, multiplier, offset, networkAdam, scalars[0], scalars[1]);
        into.temperature = new ScalarState(logAlpha, scalars[2]);
        into.lagrange = new ScalarState(logAlphaPrime, scalars[3]);

        int dim = into.structure.observationDim();
        double[] mean = prefixed(in, "normalizer mean", dim);
        double[] std = prefixed(in, "normalizer std", dim);
        boolean identity = in.readBoolean("normalizer identity flag");
        try {
            into.normalizer = identity ? ObservationNormalizer.identity(dim) : ObservationNormalizer.of(mean, std);
        } catch (IllegalArgumentException e) {
            throw in.error("normalizer: " + e.getMessage());
        }
        into.hasReplay = in.readBoolean("replay flag");
        if (into.hasReplay) {
            into.replay = replay(in, into);
        }
        into.generators = new long[3][];
        for (int i = 0; i < 3; i++) {
            String what = TrainingSections.Generators.CONTINUOUS[i] + " generator";
            in.readExactInt(what + " length", 3, "an Rng snapshot");
            into.generators[i] = TrainingSections.Generators.readSnapshot(in, what);
        }
        in.readExactInt("counter count", 5, "the training state's counters");
        into.counters = in.readLongs("counters", 5);
        TrainingSections.Counters.check(in, into.counters);
        into.onlinePhase = in.readBoolean("online phase flag");
        in.requireEnd();
    }

    private static double[] scalarAdam(CheckpointInput in, String what) throws IOException {
        in.readExactInt(what + " optimizer state length", 3, "[steps, m, v]");
        double steps = in.readFinite(what + " optimizer steps");
        if (steps < 0 || steps != Math.rint(steps)) {
            throw in.error(what + " optimizer steps must be an integer >= 0, found " + steps);
        }
        double m = in.readFinite(what + " first moment");
        double v = in.readFinite(what + " second moment");
        if (v < 0) {
            throw in.error(what + " second moment must be >= 0, found " + v);
        }
        return new double[] {steps, m, v};
    }

    private static double[] prefixed(CheckpointInput in, String what, int expected) throws IOException {
        in.readExactInt(what + " length", expected, "the config's observationDim");
        return in.readDoubles(what, expected, Values.FINITE);
    }

    private static ReplayBuffer.State replay(CheckpointInput in, CheckpointContents into) throws IOException {
        int capacity = in.readExactInt("replay capacity", into.training.replayCapacity(),
                "the training config's replayCapacity");
        int obs = in.readExactInt("replay observationDim", into.structure.observationDim(), "the config");
        int act = in.readExactInt("replay actionDim", into.structure.actionDim(), "the config");
        int position = in.readInt("replay position", 0, capacity - 1);
        int size = in.readInt("replay size", 0, capacity);
        long committed = in.readLong("replay committedCount");
        float[] observations = floats(in, "replay observations", (long) size * obs);
        float[] actions = floats(in, "replay actions", (long) size * act);
        float[] rewards = floats(in, "replay rewards", size);
        float[] next = floats(in, "replay nextObservations", (long) size * obs);
        in.readExactInt("replay terminals length", size, "the replay size");
        boolean[] terminals = in.readBooleans("replay terminals", size);
        in.readExactInt("replay returnsToGo length", size, "the replay size");
        double[] returns = in.readDoubles("replay returnsToGo", size, Values.FINITE);
        int pending = in.readInt("replay pendingObservations length", 0, Integer.MAX_VALUE);
        if (obs == 0 || pending % obs != 0) {
            throw in.error("replay pendingObservations length " + pending + " is not a multiple of observationDim "
                    + obs);
        }
        int p = pending / obs;
        float[] pObservations = in.readFloats("replay pendingObservations", pending);
        float[] pActions = floats(in, "replay pendingActions", (long) p * act);
        float[] pRewards = floats(in, "replay pendingRewards", p);
        float[] pNext = floats(in, "replay pendingNextObservations", (long) p * obs);
        in.readExactInt("replay pendingTerminals length", p, "the pending steps");
        boolean[] pTerminals = in.readBooleans("replay pendingTerminals", p);
        try {
            return new ReplayBuffer.State(capacity, obs, act, position, size, committed, observations, actions,
                    rewards, next, terminals, returns, pObservations, pActions, pRewards, pNext, pTerminals);
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    private static float[] floats(CheckpointInput in, String what, long expected) throws IOException {
        int n = in.readInt(what + " length");
        if (n != expected) {
            throw in.error(what + " declares " + CheckpointInput.count(n) + " values, the replay's size and dimensions"
                    + " imply " + CheckpointInput.count(expected));
        }
        return in.readFloats(what, n);
    }

    /**
     * The tanh-Gaussian policy's state from the v1 layout: the network's arrays then {@code [logStdMultiplier]},
     * {@code [logStdOffset]}, with the scalars' Adam moments appended the same way (they step with the network).
     */
    private static PolicyState tanhGaussian(double[][] network, double multiplier, double offset, AdamState adam,
                                            double[] multiplierAdam, double[] offsetAdam) {
        int n = network.length;
        double[][] parameters = Arrays.copyOf(network, n + 2);
        parameters[n] = new double[] {multiplier};
        parameters[n + 1] = new double[] {offset};
        double[][] m = Arrays.copyOf(adam.firstMoment(), n + 2);
        double[][] v = Arrays.copyOf(adam.secondMoment(), n + 2);
        m[n] = new double[] {multiplierAdam[1]};
        m[n + 1] = new double[] {offsetAdam[1]};
        v[n] = new double[] {multiplierAdam[2]};
        v[n + 1] = new double[] {offsetAdam[2]};
        return new PolicyState(parameters, new AdamState(adam.steps(), m, v));
    }
}
