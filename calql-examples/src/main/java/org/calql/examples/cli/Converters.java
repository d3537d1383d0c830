package org.calql.examples.cli;

import java.util.Arrays;
import org.calql.spi.Backends;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters of flag values; a bad value becomes a usage error (exit code 2) that names the flag. */
final class Converters {
    private Converters() {
    }

    /** Hidden layer widths given on the command line. */
    record LayerWidths(int[] widths) {
        @Override
        public String toString() {
            return Arrays.toString(widths);
        }
    }

    /** {@code 256,256} → layer widths, each positive. */
    static final class Widths implements ITypeConverter<LayerWidths> {
        @Override
        public LayerWidths convert(String value) {
            try {
                int[] widths = Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                for (int w : widths) {
                    if (w < 1) {
                        throw new TypeConversionException("layer widths must be positive, found '" + value + "'");
                    }
                }
                if (widths.length == 0) {
                    throw new TypeConversionException("expected layer widths such as 256,256, found '" + value + "'");
                }
                return new LayerWidths(widths);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected layer widths such as 256,256, found '" + value + "'");
            }
        }
    }

    /** A backend name among those on the class path. */
    static final class BackendName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (!Backends.available().contains(v)) {
                throw new TypeConversionException("unknown backend '" + value + "'; available: "
                        + String.join(", ", Backends.available()));
            }
            return v;
        }
    }
}
