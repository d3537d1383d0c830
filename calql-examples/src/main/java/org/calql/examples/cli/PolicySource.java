package org.calql.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.calql.agent.Agent;
import org.calql.env.BoxSpace;
import org.calql.nn.JavaBackend;
import org.calql.serving.ServedPolicy;
import picocli.CommandLine.Option;

/**
 * Where {@code act} and {@code export-policy} take a policy from: a checkpoint directory (holding
 * {@code agent.calql}, loaded on the plain-Java backend) or a policy artifact file; and the optional environment
 * action box ({@code --action-low}, {@code --action-high}) its actions are mapped into.
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
            Agent agent = Agent.load(source, new JavaBackend());
            return ServedPolicy.of(agent, box(agent.actionDim()));
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
