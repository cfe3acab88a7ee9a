package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.CalculationException;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code clv} command line. Exit codes: 0 success, 2 bad input (the message says which file,
 * line, column or field and which rule), 3 a check failed (quality), 1 internal error.
 */
@Command(name = "clv",
        mixinStandardHelpOptions = true,
        versionProvider = ClvCli.Version.class,
        description = "CLV Analytics: customer-lifetime-value, retention and product analytics on a DuckDB store.",
        subcommands = {
            InfoCommand.class,
            ImportCommand.class,
            GenerateCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            MaintainCommand.class,
            ArchiveCommand.class,
            QualityCommand.class,
            FitCommand.class,
            ScoreCommand.class,
            RetentionCommand.class,
            ProductsCommand.class,
            ProductCommand.class,
            ReportCommand.class,
            ScheduleCommand.class,
            UserCommand.class,
            CommandLine.HelpCommand.class
        })
public final class ClvCli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_CHECK_FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ClvCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof DataValidationException dve) {
                e.println("error: " + dve.getMessage());
                for (String p : dve.problems()) {
                    e.println("  " + p);
                }
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof CalculationException ce) {
                e.println("error: " + ce.getMessage());
                ce.values().forEach((k, v) -> e.println("  " + k + " = " + v));
                return EXIT_INTERNAL;
            }
            if (ex instanceof StoreException se) {
                e.println("error: " + se.getMessage());
                return EXIT_BAD_INPUT;
            }
            e.println("internal error: " + ex);
            ex.printStackTrace(e);
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("error: " + ex.getMessage());
            ex.getCommandLine().usage(e);
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ClvCli.class.getPackage().getImplementationVersion();
            return new String[] {"clv " + (v == null ? "development build" : v)};
        }
    }
}
