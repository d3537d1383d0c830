package org.calql.examples.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag: the stack trace of a runtime error, and in {@code demo} a line per evaluation. */
final class Verbosity {
    @Option(names = {"-v", "--verbose"}, description = "Print the stack trace of a runtime error; in demo also a line per "
            + "evaluation on stderr (method, seed, phase, step, success, return, Q(s0), realised return).")
    boolean verbose;
}
