package org.calql.examples.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code calql} command line: {@code java -jar calql.jar
 * demo|train|dataset-info|checkpoint-info|export|import|act|export-policy|evaluate-policy ...}.
 *
 * <p>Exit codes: 0 success; 2 a usage error (an unknown flag or a bad value, with a message naming it);
 * 1 a runtime error, reported in one line ({@code --verbose} adds the stack trace); an {@link OutOfMemoryError}
 * anywhere in a command is also one line on stderr with exit code 1.
 */
@Command(name = "calql", mixinStandardHelpOptions = true, versionProvider = CalQlCli.Version.class,
        subcommands = {DemoCommand.class, TrainCommand.class, DatasetInfoCommand.class, CheckpointInfoCommand.class,
                ExportCommand.class, ImportCommand.class, ActCommand.class, ExportPolicyCommand.class,
                EvaluatePolicyCommand.class,
                CommandLine.HelpCommand.class},
        description = "Calibrated Q-learning (Cal-QL) and CQL: offline pre-training and online fine-tuning.")
public final class CalQlCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(commandLine(), args, out, err);
    }

    /** Runs {@code cli} with the given output streams and returns the exit code (for tests). */
    static int run(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // the last resort: whatever ran out of memory is unreachable now, so one line fits
            err.println("calql: error: out of memory (" + message(e) + "); the heap's maximum is "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB: raise it with -Xmx or use smaller sizes");
            err.flush();
            return 1;
        }
    }

    /** The configured command line (for tests and embedding). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CalQlCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("calql " + commandLine.getCommandName() + ": error: " + message(e));
            if (verbose(parseResult)) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: demo, train, dataset-info,"
                + " checkpoint-info, export, import, act or export-policy");
    }

    static String message(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return Arrays.asList(parseResult.originalArgs().toArray(new String[0])).contains("--verbose");
    }

    /** Reports the library version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CalQlCli.class.getPackage().getImplementationVersion();
            return new String[] {"calql " + (v == null ? "(development build)" : v)};
        }
    }
}
