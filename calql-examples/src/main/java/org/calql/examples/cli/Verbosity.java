package org.calql.examples.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag: stack traces of errors and a line per evaluation. */
final class Verbosity {
    @Option(names = {"-v", "--verbose"}, description = "Print a line per evaluation, and stack traces of errors.")
    boolean verbose;
}
