package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.CalculationException;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code clv} command line. Exit codes: 0 success, 2 bad input (the message says which file,
 * line, column or field and which rule), 3 a check failed (quality), 4 a model cannot be fitted on
 * this data (the message says why; under {@code --json} also as a JSON error on standard output),
 * 1 internal error.
 */
@Command(name = "clv",
        mixinStandardHelpOptions = true,
        versionProvider = ClvCli.Version.class,
        description = "CLV Analytics: customer-lifetime-value, retention and product analytics on a DuckDB store.")
public final class ClvCli implements Runnable {

    /**
     * DuckDB's memory limit for {@code clv import} when {@code CLV_MEMORY_LIMIT} is not set (DuckDB's own default is 80 % of RAM).
     * The process's peak RSS is about this plus 190 MB (JVM and DuckDB's own bookkeeping; 942 MB measured at 768 MB on a
     * 9.9-million-line file), so 700 MB keeps it under 1 GB with some room; a lower limit only spills more.
     */
    public static final String IMPORT_MEMORY_LIMIT = "700MB";

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_CHECK_FAILED = 3;
    /** A model cannot be fitted on this data (not a bug): the reason is printed, as JSON under {@code --json}. */
    public static final int EXIT_FIT_FAILED = 4;

    /** The subcommands, in the order {@code clv --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
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
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        preloadDuckDb();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Loads DuckDB's native library (about 60 MB to map and relocate, 0.07 s) on another core while picocli builds and
     * parses the command (0.13 s), so opening the store does not wait for it. A failure is left to the open, which
     * reports it.
     */
    private static void preloadDuckDb() {
        Thread preload = new Thread(() -> {
            try {
                Class.forName("org.duckdb.DuckDBNative", true, ClvCli.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // the store's open loads it again and says what is wrong
            }
        }, "duckdb-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ClvCli());
        // Only the subcommand the arguments name is built: picocli builds a command by reflecting over its
        // class and every option's type, and all of them took about half the CPU of `clv --version` or of
        // `clv info` on an empty store. Help, --version, no command or an unknown one get them all (for the
        // list and for suggestions).
        String named = args.length == 0 || args[0].startsWith("-") ? null : args[0];
        List<Class<?>> built = SUBCOMMANDS.stream().filter(c -> commandName(c).equals(named)).toList();
        for (Class<?> sub : built.isEmpty() || named.equals("help") ? SUBCOMMANDS : built) {
            cl.addSubcommand(commandName(sub), sub);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.registerConverter(LocalDate.class, ClvCli::date);
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, ClvCli::commandList);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof DataValidationException dve) {
                e.println("error: " + dve.getMessage());
                for (String p : dve.problems()) {
                    if (!p.equals(dve.getMessage())) {
                        e.println("  " + p);
                    }
                }
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof CalculationException ce) {
                e.println("error: " + ce.getMessage());
                ce.values().forEach((k, v) -> e.println("  " + k + " = " + v));
                if (asksForJson(parseResult)) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("error", "fit_failed");
                    error.put("exit_code", EXIT_FIT_FAILED);
                    error.put("reason", ce.getMessage());
                    error.put("values", new java.util.TreeMap<>(ce.values()));
                    Output.json(commandLine.getOut(), error);
                }
                return EXIT_FIT_FAILED;
            }
            if (ex instanceof StoreException se) {
                e.println("error: " + se.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof UncheckedIOException io && io.getCause() instanceof FileSystemException fs) {
                // A file or folder the user named cannot be read or written: their input, not a bug.
                e.println("error: " + fileProblem(io.getMessage(), fs));
                return EXIT_BAD_INPUT;
            }
            e.println("internal error: " + ex);
            ex.printStackTrace(e);
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("error: " + ex.getMessage());
            if (!UnmatchedArgumentException.printSuggestions(ex, e)) {
                e.println("Options and subcommands: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            }
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    private static String commandName(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** Whether the command that ran was given {@code --json}. */
    private static boolean asksForJson(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--json")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A date option's value: yyyy-MM-dd, or a message saying so (no exception class name). */
    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a date: expected yyyy-MM-dd");
        }
    }

    /** {@code context} (what was being done) with the reason a file or folder could not be used, no class name. */
    static String fileProblem(String context, FileSystemException fs) {
        String why = fs instanceof AccessDeniedException ? "permission denied"
                : fs instanceof NoSuchFileException ? "no such file or folder"
                : fs.getReason() != null ? fs.getReason() : "cannot be used";
        return context + " (" + why + ")";
    }

    /**
     * The subcommand list of {@code clv --help}: each command's first sentence whole (picocli would show the
     * first line of a description, which often stops mid-sentence).
     */
    private static String commandList(Help help) {
        Map<String, Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int nameWidth = subs.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        int width = help.commandSpec().usageMessage().width();
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
                new Help.Column(nameWidth + 2, 2, Help.Column.Overflow.SPAN),
                new Help.Column(Math.max(30, width - nameWidth - 2), 1, Help.Column.Overflow.WRAP));
        for (Map.Entry<String, Help> sub : subs.entrySet()) {
            String[] lines = sub.getValue().commandSpec().usageMessage().description();
            table.addRowValues(sub.getKey(), firstSentence(String.join(" ", lines)));
        }
        return table.toString();
    }

    static String firstSentence(String text) {
        String t = text.replace("%n", " ").replace("%%", "%").replaceAll("\\s+", " ").strip();
        int end = t.indexOf(". ");
        return end < 0 ? t : t.substring(0, end + 1);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String v = ClvCli.class.getPackage().getImplementationVersion();
            if (v == null) {
                // Classes run from the build folder (tests, IDE): the version Maven filtered into this resource.
                try (InputStream in = ClvCli.class.getResourceAsStream("version.properties")) {
                    Properties p = new Properties();
                    if (in != null) {
                        p.load(in);
                    }
                    v = p.getProperty("version");
                }
            }
            return new String[] {"clv " + (v == null ? "(version unknown)" : v)};
        }
    }
}
