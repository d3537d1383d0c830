package org.calql.examples.cli;

import org.calql.policy.LinearDecay;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags only discrete-action agents use. */
final class DiscreteOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--epsilon", split = ",", paramLabel = "START,END,STEPS",
            description = "Discrete actions: ε-greedy exploration in fine-tuning, ε decaying linearly from START to "
                    + "END over STEPS environment steps (default: 0.1,0.01,1000).")
    double[] epsilon = {0.1, 0.01, 1000};

    /** The ε schedule; a bad value is a usage error naming {@code --epsilon}. */
    LinearDecay epsilon() {
        if (epsilon.length != 3 || epsilon[2] != Math.rint(epsilon[2])) {
            throw new ParameterException(spec.commandLine(), "--epsilon must be START,END,STEPS with a whole number "
                    + "of steps, found " + java.util.Arrays.toString(epsilon));
        }
        try {
            return new LinearDecay(epsilon[0], epsilon[1], (long) epsilon[2]);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--epsilon: " + e.getMessage());
        }
    }
}
