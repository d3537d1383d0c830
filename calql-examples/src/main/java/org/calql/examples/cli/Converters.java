package org.calql.examples.cli;

import java.util.Arrays;
import org.calql.spi.Backends;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters of flag values; a bad value becomes a usage error (exit code 2) that names the flag. */
final class Converters {
    private Converters() {
    }

    /** Seeds given on the command line. */
    record SeedList(long[] seeds) {
        @Override
        public String toString() {
            return Arrays.toString(seeds);
        }
    }

    /** Hidden layer widths given on the command line. */
    record LayerWidths(int[] widths) {
        @Override
        public String toString() {
            return Arrays.toString(widths);
        }
    }

    /** {@code N} → seeds {@code 0..N−1}; {@code a,b,c} → exactly those seeds. */
    static final class Seeds implements ITypeConverter<SeedList> {
        @Override
        public SeedList convert(String value) {
            String v = value.trim();
            try {
                if (v.contains(",")) {
                    long[] seeds = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .mapToLong(Long::parseLong).toArray();
                    if (seeds.length == 0) {
                        throw new TypeConversionException("expected a seed count or a comma list of seeds, found '"
                                + value + "'");
                    }
                    if (Arrays.stream(seeds).distinct().count() != seeds.length) {
                        throw new TypeConversionException("seeds must be distinct, found '" + value + "'");
                    }
                    return new SeedList(seeds);
                }
                int count = Integer.parseInt(v);
                if (count < 1) {
                    throw new TypeConversionException("the seed count must be at least 1, found " + count);
                }
                long[] seeds = new long[count];
                for (int i = 0; i < count; i++) {
                    seeds[i] = i;
                }
                return new SeedList(seeds);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a seed count (e.g. 3) or a comma list of seeds "
                        + "(e.g. 0,7,42), found '" + value + "'");
            }
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
