package org.calql.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.calql.aca.AcaConfig;
import org.calql.agent.AcaAgent;
import org.calql.agent.Agent;
import org.calql.agent.CheckpointInfo;
import org.calql.env.BoxSpace;
import org.calql.nn.JavaBackend;
import org.calql.serving.ServedPolicy;
import picocli.CommandLine.Option;

/**
 * Where {@code act} and {@code export-policy} take a policy from: a checkpoint directory (holding
 * {@code agent.calql} of a Cal-QL/CQL or an ACA agent, loaded on the plain-Java backend) or a policy artifact file;
 * and the optional environment action box ({@code --action-low}, {@code --action-high}) its actions are mapped into.
 */
final class PolicySource {
    @Option(names = "--action-low", split = ",", paramLabel = "V",
            description = "The environment's action lower bounds (one value for every dimension, or one per "
                    + "dimension). With --action-high, actions are mapped from [-maxAction, maxAction] into the box, "
                    + "as the agent maps them when it acts on an environment. A checkpoint does not know its "
                    + "environment's box: without these, actions are in the policy's range [-maxAction, maxAction].")
    double[] low;

    @Option(names = "--action-high", split = ",", paramLabel = "V",
            description = "The environment's action upper bounds (see --action-low).")
    double[] high;

    /**
     * The policy at {@code source}, its actions mapped into the box when one is given.
     *
     * @throws IllegalArgumentException if only one of the bounds is given, their lengths do not fit, or a policy
     *                                  artifact that already has a box is given another
     * @throws IOException              if the checkpoint or artifact does not load, naming the file
     */
    ServedPolicy load(Path source) throws IOException {
        if ((low == null) != (high == null)) {
            throw new IllegalArgumentException("--action-low and --action-high go together, found only "
                    + (low == null ? "--action-high" : "--action-low"));
        }
        if (Files.isDirectory(source)) {
            return checkpoint(source, this::box);
        }
        if (!Files.exists(source)) {
            throw new IOException(source + ": no such checkpoint directory or policy file");
        }
        ServedPolicy policy = ServedPolicy.load(source);
        if (low == null) {
            return policy;
        }
        if (policy.actionBox() != null) {
            throw new IllegalArgumentException(source + " already maps its actions into " + policy.actionBox()
                    + "; --action-low/--action-high must not be given for it");
        }
        return policy.withActionBox(box(policy.actionDim()));
    }

    /**
     * The deterministic policy of the checkpoint in {@code directory}, loaded on the plain-Java backend: a
     * continuous {@link Agent}'s or an {@link AcaAgent}'s tanh-Gaussian policy, with its normaliser, acting in the
     * box {@code box} gives for the policy's action dimension (null: the policy's range).
     *
     * @throws IOException              if the checkpoint does not load, or holds a discrete agent (the message names
     *                                  its loader)
     * @throws IllegalArgumentException if it is an ACA agent with the non-squashed AntMaze policy, which a served
     *                                  policy cannot hold, or the box does not fit
     */
    static ServedPolicy checkpoint(Path directory, IntFunction<BoxSpace> box) throws IOException {
        Agent agent;
        try {
            agent = Agent.load(directory, new JavaBackend());
        } catch (IOException e) {
            if (!isAca(directory)) {
                throw e;
            }
            AcaAgent aca = AcaAgent.load(directory, new JavaBackend());
            if (aca.config().policy() != AcaConfig.PolicyKind.TANH_GAUSSIAN) {
                throw new IllegalArgumentException(directory + " holds an ACA agent with the non-squashed Gaussian "
                        + "policy (" + aca.config().policy() + ", the AntMaze preset's; mean tanh(μ_raw), actions not"
                        + " squashed): served policies, policy artifacts and ONNX hold tanh-Gaussian policies only;"
                        + " act with AcaAgent.load(dir, backend).act(observation) in Java");
            }
            return ServedPolicy.of(aca.updateRule().policy(), aca.normalizer(), box.apply(aca.actionDim()));
        }
        return ServedPolicy.of(agent, box.apply(agent.actionDim()));
    }

    /** Whether {@code directory} holds a checkpoint that reads cleanly as an ACA agent. */
    static boolean isAca(Path directory) {
        try {
            return "calql-aca".equals(CheckpointInfo.read(directory).agentKind());
        } catch (IOException e) {
            return false;
        }
    }

    private BoxSpace box(int actionDim) {
        if (low == null) {
            return null;
        }
        return new BoxSpace(expand("--action-low", low, actionDim), expand("--action-high", high, actionDim));
    }

    private static double[] expand(String option, double[] values, int actionDim) {
        if (values.length == actionDim) {
            return values.clone();
        }
        if (values.length == 1) {
            double[] v = new double[actionDim];
            Arrays.fill(v, values[0]);
            return v;
        }
        throw new IllegalArgumentException(option + " must have 1 or actionDim = " + actionDim + " values, found "
                + values.length + " " + Arrays.toString(values));
    }
}
