package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportRenderer;
import io.clvanalytics.engine.schedule.MailSettings;
import io.clvanalytics.engine.schedule.MissedSlotPolicy;
import io.clvanalytics.engine.schedule.ReportArchive;
import io.clvanalytics.engine.schedule.Schedule;
import io.clvanalytics.engine.schedule.ScheduleRun;
import io.clvanalytics.engine.schedule.ScheduleSpec;
import io.clvanalytics.engine.schedule.Scheduler;
import io.clvanalytics.engine.schedule.Schedules;
import io.clvanalytics.engine.schedule.SmtpMailer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clv schedule}: scheduled reports without the server (for system cron or another scheduler). */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Scheduled reports: list, add, run the due ones, run one now, show history.",
        subcommands = {
            ScheduleCommand.ListSchedules.class,
            ScheduleCommand.Add.class,
            ScheduleCommand.RunDue.class,
            ScheduleCommand.RunNow.class,
            ScheduleCommand.History.class,
            ScheduleCommand.Pause.class,
            ScheduleCommand.Resume.class,
            ScheduleCommand.Delete.class
        })
final class ScheduleCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The archive folder option of the subcommands that run reports. */
    static final class ArchiveOption {
        @Option(names = "--archive", paramLabel = "DIR",
                description = "Archive folder (default: $CLV_REPORTS_DIR, else reports/ beside the store).")
        Path archive;
    }

    static Engine openExisting(CommonOptions common) {
        if (!Files.exists(common.dbPath())) {
            throw new DataValidationException("--db: store " + common.dbPath()
                    + " does not exist (create it with `clv generate` or `clv import`)");
        }
        return common.openEngine();
    }

    static Scheduler scheduler(Engine engine, Path archive, int parallel) {
        ReportArchive a = ReportArchive.resolve(archive, engine.file());
        Scheduler.Options options = new Scheduler.Options(parallel, Scheduler.Options.defaults().backoff(), Scheduler.Options.defaults().grace());
        Optional<MailSettings> mail = MailSettings.fromEnvironment(System.getenv());
        return mail.map(m -> Scheduler.withMail(engine, a, options, m, SmtpMailer.of(m, engine.clock())))
                .orElseGet(() -> Scheduler.of(engine, a, options));
    }

    static Map<String, Object> json(Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("template", s.template().templateName());
        m.put("parameters", s.parameters());
        m.put("formats", s.formats().stream().map(ReportFormat::extension).toList());
        m.put("cron", s.recurrence().expression());
        m.put("zone", s.recurrence().zone().getId());
        m.put("recurrence", s.recurrence().describe());
        m.put("owner", s.owner());
        m.put("roles", s.roles());
        m.put("users", s.users());
        m.put("mailTo", s.mailTo());
        m.put("keep", s.keepRuns());
        m.put("skipIfEmpty", s.skipIfEmpty());
        m.put("missed", s.missedPolicy().label());
        m.put("attempts", s.maxAttempts());
        m.put("paused", s.paused());
        m.put("created", s.createdAt());
        return m;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the schedules.")
    static final class ListSchedules implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Engine engine = openExisting(common)) {
                List<Schedule> all = Schedules.of(engine).list();
                PrintWriter o = spec.commandLine().getOut();
                if (common.json()) {
                    Output.json(o, all.stream().map(ScheduleCommand::json).toList());
                } else {
                    List<List<?>> rows = new ArrayList<>();
                    for (Schedule s : all) {
                        rows.add(List.of(s.id(), s.name(), s.template().templateName(),
                                s.recurrence().expression() + " " + s.recurrence().zone().getId(),
                                String.join(",", s.formats().stream().map(ReportFormat::extension).toList()),
                                s.paused() ? "paused" : "active"));
                    }
                    Output.table(o, List.of("id", "name", "template", "cron", "formats", "state"), rows);
                }
                return ClvCli.EXIT_OK;
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a schedule.")
    static final class Add implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--template", required = true, paramLabel = "NAME", description = "Template (see `clv report --list`).")
        String template;

        @Option(names = "--name", paramLabel = "TEXT", description = "Name in lists and mail subjects (default: the template's title).")
        String name;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A template parameter; repeat for several.")
        List<String> params = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT", description = "xlsx (default), pdf, html or csv; repeat for several files per run.")
        List<String> formats = new ArrayList<>();

        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "Five-field cron expression (\"0 7 * * 1\") or a form such as \"every monday at 07:00\".")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of the recurrence (default: this machine's, ${DEFAULT-VALUE}).")
        String zone = ZoneId.systemDefault().getId();

        @Option(names = "--keep", paramLabel = "N", description = "Runs whose files the archive keeps (default ${DEFAULT-VALUE}).")
        int keep = ScheduleSpec.DEFAULT_KEEP_RUNS;

        @Option(names = "--mail", paramLabel = "ADDR", description = "Mail each run's files to this address; repeat for several.")
        List<String> mail = new ArrayList<>();

        @Option(names = "--owner", paramLabel = "USER", description = "Owner (default: ${DEFAULT-VALUE}).")
        String owner = System.getProperty("user.name", "cli");

        @Option(names = "--role", paramLabel = "ROLE", description = "A role that may see the schedule and its files; repeat.")
        List<String> roles = new ArrayList<>();

        @Option(names = "--user", paramLabel = "USER", description = "A user who may see the schedule and its files; repeat.")
        List<String> users = new ArrayList<>();

        @Option(names = "--skip-if-empty", description = "Write no file when the report's list has no rows.")
        boolean skipIfEmpty;

        @Option(names = "--missed", paramLabel = "POLICY", description = "Missed slots: run-latest-once (default) or skip.")
        String missed = MissedSlotPolicy.RUN_LATEST_ONCE.label();

        @Option(names = "--attempts", paramLabel = "N", description = "Tries per slot before it is marked failed (default ${DEFAULT-VALUE}).")
        int attempts = ScheduleSpec.DEFAULT_MAX_ATTEMPTS;

        @Option(names = "--start", paramLabel = "TIME",
                description = "Slots after this moment are due (ISO date-time with offset, e.g. 2026-12-07T07:00+01:00; default: now).")
        String start;

        @Override
        public Integer call() {
            List<ReportFormat> fmts = new ArrayList<>();
            for (String f : formats) {
                fmts.add(ReportFormat.named(f).orElseThrow(() -> new DataValidationException(
                        "--format: \"" + f + "\" is not a report format; use one of " + ReportFormat.names())));
            }
            ScheduleSpec s = new ScheduleSpec(name, template, parseParams(params), fmts, cron, zone, owner, roles, users, mail, keep,
                    skipIfEmpty, MissedSlotPolicy.named("--missed", missed), attempts);
            try (Engine engine = openExisting(common)) {
                Instant from = start == null ? engine.clock().instant() : parseStart(start);
                Schedule created = Schedules.of(engine).create(s, from);
                Optional<Instant> next = created.recurrence().nextAfter(from.isAfter(engine.clock().instant()) ? from : engine.clock().instant());
                List<String> missing = ReportRenderer.of(engine).parameters(created.template()).stream()
                        .filter(p -> p.required() && !created.parameters().containsKey(p.name())).map(p -> p.name()).toList();
                PrintWriter o = spec.commandLine().getOut();
                if (common.json()) {
                    Map<String, Object> m = json(created);
                    m.put("nextSlot", next.orElse(null));
                    Output.json(o, m);
                } else {
                    o.println("added schedule " + created.id() + " (" + created.name() + ", " + created.recurrence().describe() + ")");
                    next.ifPresent(n -> o.println("next slot: " + n.atZone(created.recurrence().zone())));
                }
                for (String p : missing) {
                    spec.commandLine().getErr().println("warning: template " + created.template().templateName() + " requires --param " + p
                            + "; its runs fail until the schedule gives it");
                }
                return ClvCli.EXIT_OK;
            }
        }

        private static Instant parseStart(String text) {
            try {
                return OffsetDateTime.parse(text.strip()).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(text.strip());
                } catch (DateTimeParseException e2) {
                    throw new DataValidationException("--start: \"" + text + "\" is not an ISO date-time with offset (e.g. 2026-12-07T07:00+01:00)");
                }
            }
        }
    }

    @Command(name = "run-due", mixinStandardHelpOptions = true,
            description = "Run every slot that is due (for system cron: e.g. every minute). Refuses while the server holds the store.")
    static final class RunDue implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ArchiveOption archive;

        @Spec
        CommandSpec spec;

        @Option(names = "--parallel", paramLabel = "N", description = "Reports rendered at once (default ${DEFAULT-VALUE}).")
        int parallel = 1;

        @Override
        public Integer call() {
            Engine engine;
            try {
                engine = openExisting(common);
            } catch (StoreException e) {
                if (String.valueOf(e.getMessage()).contains("open in another process")) {
                    throw new StoreException("nothing was run: " + e.getMessage().replaceFirst("(?s)DuckDB lets one process.*", "")
                            .strip() + " While the CLV Analytics server holds the store it runs the schedules itself;"
                            + " stop it to run schedules from the command line.", e);
                }
                throw e;
            }
            try (engine) {
                Scheduler scheduler = scheduler(engine, archive.archive, parallel);
                Scheduler.Recovery recovery = scheduler.recover();
                List<Scheduler.Outcome> outcomes = scheduler.runDue();
                print(spec, common.json(), recovery, outcomes);
                return outcomes.stream().anyMatch(o -> o.status() == io.clvanalytics.engine.schedule.RunStatus.FAILED)
                        ? ClvCli.EXIT_CHECK_FAILED : ClvCli.EXIT_OK;
            }
        }
    }

    static void print(CommandSpec spec, boolean json, Scheduler.Recovery recovery, List<Scheduler.Outcome> outcomes) {
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (recovery != null) {
                m.put("recovered", recovery);
            }
            m.put("runs", outcomes);
            Output.json(o, m);
            return;
        }
        if (recovery != null && recovery.interruptedRuns() > 0) {
            o.println("redoing " + recovery.interruptedRuns() + " run(s) interrupted by the end of a process");
        }
        if (outcomes.isEmpty()) {
            o.println("nothing due");
        }
        List<List<?>> rows = new ArrayList<>();
        for (Scheduler.Outcome r : outcomes) {
            rows.add(List.of(r.scheduleName(), r.slot(), r.status().label(), r.attempts(),
                    String.join(", ", r.files().stream().map(f -> f.fileName()).toList()),
                    r.error() == null ? (r.note() == null ? "" : r.note()) : r.error()));
        }
        if (!rows.isEmpty()) {
            Output.table(o, List.of("schedule", "slot", "status", "attempts", "files", "error / note"), rows);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one schedule now.")
    static final class RunNow implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ArchiveOption archive;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id (see `clv schedule list`).")
        String id;

        @Override
        public Integer call() {
            try (Engine engine = openExisting(common)) {
                Scheduler scheduler = scheduler(engine, archive.archive, 1);
                Scheduler.Outcome outcome = scheduler.runNow(id);
                print(spec, common.json(), null, List.of(outcome));
                return outcome.status().label().equals("succeeded") || outcome.status().label().equals("skipped")
                        ? ClvCli.EXIT_OK : ClvCli.EXIT_CHECK_FAILED;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Runs of a schedule (or of all), newest first.")
    static final class History implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Schedule id (default: every schedule).")
        String id;

        @Option(names = "--limit", paramLabel = "N", description = "Runs per schedule (default ${DEFAULT-VALUE}).")
        int limit = 20;

        @Override
        public Integer call() {
            try (Engine engine = openExisting(common)) {
                Schedules schedules = Schedules.of(engine);
                List<Schedule> which = id == null ? schedules.list()
                        : List.of(schedules.find(id).orElseThrow(() -> new DataValidationException(
                                "schedule " + id + ": no such schedule (see `clv schedule list`)")));
                List<Map<String, Object>> json = new ArrayList<>();
                List<List<?>> rows = new ArrayList<>();
                for (Schedule s : which) {
                    for (ScheduleRun r : schedules.runs(s.id(), limit)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("schedule", s.id());
                        m.put("name", s.name());
                        m.put("run", r);
                        m.put("files", schedules.filesOfRun(r.id()));
                        m.put("deliveries", schedules.deliveries(r.id()));
                        json.add(m);
                        long bytes = schedules.filesOfRun(r.id()).stream().mapToLong(f -> f.sizeBytes()).sum();
                        rows.add(List.of(s.name(), r.slot(), r.trigger(), r.status().label(), r.attempts(),
                                r.durationMillis() == null ? "" : r.durationMillis() + " ms", bytes == 0 ? "" : bytes + " B",
                                r.error() == null ? (r.note() == null ? "" : r.note()) : r.error()));
                    }
                }
                PrintWriter o = spec.commandLine().getOut();
                if (common.json()) {
                    Output.json(o, json);
                } else {
                    Output.table(o, List.of("schedule", "slot", "trigger", "status", "attempts", "duration", "size", "error / note"), rows);
                }
                return ClvCli.EXIT_OK;
            }
        }
    }

    /** Pause and resume: the same command but for the state they set. */
    abstract static class SetPaused implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        private final boolean paused;

        SetPaused(boolean paused) {
            this.paused = paused;
        }

        @Override
        public Integer call() {
            try (Engine engine = openExisting(common)) {
                Schedules.of(engine).setPaused(id, paused);
                return ClvCli.EXIT_OK;
            }
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule (its slots do not run, nor are they caught up).")
    static final class Pause extends SetPaused {
        Pause() {
            super(true);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused schedule from now on.")
    static final class Resume extends SetPaused {
        Resume() {
            super(false);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a schedule, its history and its archived files.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ArchiveOption archive;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (Engine engine = openExisting(common)) {
                Schedules schedules = Schedules.of(engine);
                if (schedules.find(id).isEmpty()) {
                    throw new DataValidationException("schedule " + id + ": no such schedule (see `clv schedule list`)");
                }
                ReportArchive a = ReportArchive.resolve(archive.archive, engine.file());
                schedules.files(id).forEach(f -> a.delete(id, f.fileName()));
                schedules.delete(id);
                return ClvCli.EXIT_OK;
            }
        }
    }

    static Map<String, String> parseParams(List<String> params) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new DataValidationException("--param " + p + ": must be NAME=VALUE");
            }
            String n = p.substring(0, eq).trim();
            if (values.put(n, p.substring(eq + 1)) != null) {
                throw new DataValidationException("--param " + n + ": given twice");
            }
        }
        return values;
    }
}
