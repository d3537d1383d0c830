package org.calql.examples.cli;

import org.calql.policy.LinearDecay;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The flags only discrete-action agents use. */
final class DiscreteOptions {
    @Option(names = "--epsilon", converter = Epsilon.class, paramLabel = "START,END,STEPS",
            description = "Discrete actions: ε-greedy exploration in fine-tuning, ε decaying linearly from START to "
                    + "END over STEPS environment steps (default: 0.1,0.01,1000).")
    LinearDecay epsilon = new LinearDecay(0.1, 0.01, 1000);

    /** The ε schedule. */
    LinearDecay epsilon() {
        return epsilon;
    }

    /** {@code START,END,STEPS} → a {@link LinearDecay}; a bad value is a usage error naming the flag. */
    static final class Epsilon implements ITypeConverter<LinearDecay> {
        @Override
        public LinearDecay convert(String value) {
            String[] parts = value.split(",", -1);
            try {
                if (parts.length != 3) {
                    throw new NumberFormatException("three values");
                }
                return new LinearDecay(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                        Long.parseLong(parts[2].trim()));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected START,END,STEPS (two numbers in [0, 1] and a whole "
                        + "number of steps), found '" + value + "'");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " in '" + value + "'");
            }
        }
    }
}
