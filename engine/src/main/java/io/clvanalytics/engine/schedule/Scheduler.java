package io.clvanalytics.engine.schedule;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportRenderer;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the due slots of the stored schedules, exactly once each.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every slot gets one row in {@code schedule_runs} (unique per schedule and slot) before it
 *       runs, so no slot runs twice, whatever restarts or crashes happen.</li>
 *   <li>The first call of a scheduler ({@link #recover}) redoes runs a previous process left
 *       RUNNING (it died mid-attempt: DuckDB lets one process hold the store, so no other one can
 *       be running them), deletes the {@code .part} files it left and sends mails left pending.</li>
 *   <li>Slots that fell while nothing ran follow the schedule's {@link MissedSlotPolicy}; a slot is
 *       missed when a later slot is already due, or when it is later than {@link Options#grace()}.</li>
 *   <li>A failed attempt is retried after {@code backoff × 2^(attempt-1)}; after the schedule's
 *       max attempts the run is FAILED with the reason; later slots run regardless.</li>
 *   <li>At most {@link Options#maxParallel()} runs render at once.</li>
 *   <li>"Now" is always the engine's clock; nothing sleeps.</li>
 * </ul>
 * Use one scheduler per store (per process); {@link #runDue} and {@link #runNow} may be called from
 * one thread at a time.
 */
public final class Scheduler {

    /**
     * @param maxParallel runs rendered at once
     * @param backoff     wait before the second attempt (doubling for each further one)
     * @param grace       how late a slot may start and still count as on time
     */
    public record Options(int maxParallel, Duration backoff, Duration grace) {
        public static Options defaults() {
            return new Options(1, Duration.ofMinutes(1), Duration.ofMinutes(10));
        }

        public Options {
            if (maxParallel < 1) {
                throw new DataValidationException("maxParallel: " + maxParallel + " is below 1");
            }
        }
    }

    /** What one call did to one run. */
    public record Outcome(String runId, String scheduleId, String scheduleName, Instant slot, RunStatus status, int attempts,
            List<ArchivedFile> files, String error, String note) {}

    /** What start-up recovery found. */
    public record Recovery(int interruptedRuns, int partialFiles, int pendingMails) {}

    private static final DateTimeFormatter SUBJECT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    private final Engine engine;
    private final Clock clock;
    private final Schedules schedules;
    private final ReportArchive archive;
    private final Mailer mailer;
    private final MailSettings mailSettings;
    private final Options options;
    private final ReportRenderer renderer;
    private Recovery recovery;

    private Scheduler(Engine engine, ReportArchive archive, MailSettings mailSettings, Mailer mailer, Options options) {
        this.engine = engine;
        this.clock = engine.clock();
        this.schedules = Schedules.of(engine);
        this.archive = archive;
        this.mailSettings = mailSettings;
        this.mailer = mailer;
        this.options = options;
        this.renderer = ReportRenderer.of(engine);
    }

    /** A scheduler without mail. */
    public static Scheduler of(Engine engine, ReportArchive archive, Options options) {
        return new Scheduler(Objects.requireNonNull(engine), Objects.requireNonNull(archive), null, null, Objects.requireNonNull(options));
    }

    /** A scheduler that mails each run's files through {@code mailer} as {@code settings} say (size limit, links). */
    public static Scheduler withMail(Engine engine, ReportArchive archive, Options options, MailSettings settings, Mailer mailer) {
        return new Scheduler(Objects.requireNonNull(engine), Objects.requireNonNull(archive), Objects.requireNonNull(settings),
                Objects.requireNonNull(mailer), Objects.requireNonNull(options));
    }

    public Schedules schedules() {
        return schedules;
    }

    public ReportArchive archive() {
        return archive;
    }

    /** Start-up recovery (once per scheduler; later calls return the first result). */
    public synchronized Recovery recover() {
        if (recovery == null) {
            int interrupted = schedules.recoverInterrupted(clock.instant()).size();
            int parts = archive.removePartialFiles();
            int mails = sendPendingMails();
            recovery = new Recovery(interrupted, parts, mails);
        }
        return recovery;
    }

    /** Claims every due slot of every active schedule and runs what is runnable now (retries included). */
    public List<Outcome> runDue() {
        recover();
        Instant now = clock.instant();
        List<Outcome> outcomes = new ArrayList<>();
        for (Schedule s : schedules.list()) {
            if (!s.paused()) {
                outcomes.addAll(claimDue(s, now));
            }
        }
        outcomes.addAll(execute(schedules.runnable(now)));
        return outcomes;
    }

    /** Runs schedule {@code scheduleId} now, outside its recurrence (slot = now). */
    public Outcome runNow(String scheduleId) {
        recover();
        Schedule s = schedules.find(scheduleId).orElseThrow(() -> new DataValidationException(
                "schedule " + scheduleId + ": no such schedule (see `clv schedule list`)"));
        Instant slot = Instant.ofEpochMilli(clock.millis());
        String runId = schedules.claim(s.id(), slot, "manual", RunStatus.PENDING, null, "run now").orElseThrow(() ->
                new DataValidationException("schedule " + scheduleId + ": a run for " + slot + " exists already; try again"));
        return execute(List.of(schedules.run(runId).orElseThrow())).get(0);
    }

    private List<Outcome> claimDue(Schedule s, Instant now) {
        Recurrence r = s.recurrence();
        Instant anchor = schedules.latestScheduledSlot(s.id()).filter(l -> l.isAfter(s.createdAt())).orElse(s.createdAt());
        Optional<Instant> latestDue = r.latestAtOrBefore(now);
        if (latestDue.isEmpty() || !latestDue.get().isAfter(anchor)) {
            return List.of();
        }
        Instant latest = latestDue.get();
        Instant first = r.nextAfter(anchor).orElse(latest);
        Optional<Instant> previous = first.isBefore(latest) ? r.latestAtOrBefore(latest.minusMillis(1)).filter(p -> p.isAfter(anchor)) : Optional.empty();
        String earlier = previous.isPresent() && first.isBefore(previous.get())
                ? "; earlier missed slots since " + first + " were not run" : "";
        boolean latestLate = Duration.between(latest, now).compareTo(options.grace()) > 0;
        String lateNote = "missed: " + Duration.between(latest, now).toSeconds() + " s late (no scheduler ran at that time)";
        List<Outcome> skipped = new ArrayList<>();
        if (s.missedPolicy() == MissedSlotPolicy.RUN_LATEST_ONCE) {
            if (latestLate) {
                schedules.claim(s.id(), latest, "schedule", RunStatus.PENDING, null, lateNote + "; the latest missed slot runs once"
                        + (first.isBefore(latest) ? "; earlier missed slots since " + first + " were not run" : ""));
            } else {
                previous.ifPresent(p -> schedules.claim(s.id(), p, "schedule", RunStatus.PENDING, null,
                        "missed: no scheduler ran at that time; the latest missed slot runs once" + earlier));
                schedules.claim(s.id(), latest, "schedule", RunStatus.PENDING, null, null);
            }
        } else {
            previous.ifPresent(p -> schedules.claim(s.id(), p, "schedule", RunStatus.SKIPPED, null,
                    "missed: no scheduler ran at that time; policy skip" + earlier)
                    .ifPresent(id -> skipped.add(outcome(s, schedules.run(id).orElseThrow(), List.of()))));
            if (latestLate) {
                schedules.claim(s.id(), latest, "schedule", RunStatus.SKIPPED, null, lateNote + "; policy skip")
                        .ifPresent(id -> skipped.add(outcome(s, schedules.run(id).orElseThrow(), List.of())));
            } else {
                schedules.claim(s.id(), latest, "schedule", RunStatus.PENDING, null, null);
            }
        }
        return skipped;
    }

    private List<Outcome> execute(List<ScheduleRun> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        if (options.maxParallel() == 1 || runs.size() == 1) {
            List<Outcome> out = new ArrayList<>();
            for (ScheduleRun r : runs) {
                attempt(r).ifPresent(out::add);
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.maxParallel(), runs.size()));
        try {
            List<Future<Optional<Outcome>>> futures = new ArrayList<>();
            for (ScheduleRun r : runs) {
                futures.add(pool.submit(() -> attempt(r)));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Optional<Outcome>> f : futures) {
                f.get().ifPresent(out::add);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running schedules", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scheduled run failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** One attempt of run {@code run}: archive its files, or record why not. */
    private Optional<Outcome> attempt(ScheduleRun run) {
        Optional<Schedule> found = schedules.find(run.scheduleId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Schedule s = found.get();
        int attempt = run.attempts() + 1;
        Instant started = clock.instant();
        schedules.markRunning(run.id(), attempt, started);
        try {
            if (s.skipIfEmpty() && isEmpty(s)) {
                schedules.markFinished(run.id(), RunStatus.SKIPPED, null, "the report's list had no rows (skip if empty)", started, clock.instant());
            } else {
                List<ArchivedFile> files = new ArrayList<>();
                for (ReportFormat format : s.formats()) {
                    String name = ReportArchive.fileName(s.template().templateName(), run.slot(), s.recurrence().zone(), format.extension());
                    ReportArchive.Written w = archive.write(s.id(), name,
                            out -> renderer.render(s.template().templateName(), format, s.parameters(), out));
                    files.add(new ArchivedFile(Schedules.newId(), run.id(), s.id(), format.extension(), name, w.sizeBytes(), w.sha256(), clock.instant(), null));
                }
                schedules.recordSuccess(run.id(), s.id(), files, s.mailTo(), started, clock.instant());
                prune(s);
                if (!s.mailTo().isEmpty()) {
                    deliver(s, schedules.run(run.id()).orElseThrow(), files);
                }
            }
        } catch (RuntimeException e) {
            String reason = reason(e);
            if (attempt < s.maxAttempts()) {
                Instant next = clock.instant().plus(options.backoff().multipliedBy(1L << Math.min(20, attempt - 1)));
                schedules.markRetrying(run.id(), "attempt " + attempt + " of " + s.maxAttempts() + ": " + reason, next);
            } else {
                schedules.markFinished(run.id(), RunStatus.FAILED, reason + " (failed " + attempt + " of " + attempt + " attempts)",
                        null, started, clock.instant());
            }
        }
        ScheduleRun after = schedules.run(run.id()).orElseThrow();
        return Optional.of(outcome(s, after, schedules.filesOfRun(run.id())));
    }

    private static String reason(RuntimeException e) {
        String m = e.getMessage();
        if (e instanceof DataValidationException dve && dve.problems().size() > 1) {
            m = String.join("; ", dve.problems());
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Whether the report's main list has no rows: its CSV is a header line or nothing. */
    private boolean isEmpty(Schedule s) {
        LineCounter lines = new LineCounter();
        renderer.render(s.template().templateName(), ReportFormat.CSV, s.parameters(), lines);
        return lines.lines <= 1;
    }

    private static final class LineCounter extends OutputStream {
        long lines;
        boolean pending;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
                pending = false;
            } else {
                pending = true;
            }
        }

        @Override
        public void close() {
            if (pending) {
                lines++;
                pending = false;
            }
        }
    }

    private void prune(Schedule s) {
        for (ArchivedFile f : schedules.filesBeyondKeep(s.id(), s.keepRuns())) {
            archive.delete(s.id(), f.fileName());
            schedules.markFileDeleted(f.id(), clock.instant());
        }
    }

    private int sendPendingMails() {
        int sent = 0;
        for (Delivery d : schedules.pendingDeliveries()) {
            Optional<ScheduleRun> run = schedules.run(d.runId());
            Optional<Schedule> s = run.flatMap(r -> schedules.find(r.scheduleId()));
            if (run.isPresent() && s.isPresent()) {
                deliver(s.get(), run.get(), schedules.filesOfRun(d.runId()).stream().filter(f -> f.deleted() == null).toList());
                sent++;
            }
        }
        return sent;
    }

    /** Mails the run's files; a failure is recorded on the delivery, the archived files stay. */
    private void deliver(Schedule s, ScheduleRun run, List<ArchivedFile> files) {
        if (mailer == null) {
            schedules.markDelivery(run.id(), "failed", "mail is not configured (set CLV_SMTP_HOST and CLV_SMTP_FROM)", clock.instant());
            return;
        }
        List<Mailer.Attachment> attachments = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String when = SUBJECT_DATE.format(run.slot().atZone(s.recurrence().zone()));
        text.append(s.name()).append(" (").append(s.template().title()).append("), scheduled for ").append(when).append(".\n\n");
        for (ArchivedFile f : files) {
            ReportFormat format = ReportFormat.named(f.format()).orElseThrow();
            if (f.sizeBytes() <= mailSettings.attachLimitBytes()) {
                attachments.add(new Mailer.Attachment(archive.resolve(s.id(), f.fileName()), f.fileName(), format.contentType()));
                text.append("Attached: ").append(f.fileName()).append(" (").append(f.sizeBytes()).append(" bytes)\n");
            } else if (mailSettings.linkBase() != null) {
                text.append(f.fileName()).append(" (").append(f.sizeBytes()).append(" bytes, over the attachment limit): ")
                        .append(mailSettings.linkBase().replaceAll("/+$", "")).append("/schedules/").append(s.id())
                        .append("/files/").append(f.id()).append('\n');
            } else {
                text.append(f.fileName()).append(" (").append(f.sizeBytes())
                        .append(" bytes) is over the attachment limit; it is in the report archive.\n");
            }
        }
        try {
            mailer.send(new Mailer.Mail(s.mailTo(), s.name() + " – " + when, text.toString(), attachments));
            schedules.markDelivery(run.id(), "sent", null, clock.instant());
        } catch (RuntimeException e) {
            schedules.markDelivery(run.id(), "failed", reason(e), clock.instant());
        }
    }

    private static Outcome outcome(Schedule s, ScheduleRun r, List<ArchivedFile> files) {
        return new Outcome(r.id(), s.id(), s.name(), r.slot(), r.status(), r.attempts(), files, r.error(), r.note());
    }

    /** The engine this scheduler runs on. */
    public Engine engine() {
        return engine;
    }
}
