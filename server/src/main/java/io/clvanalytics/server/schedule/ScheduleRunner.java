package io.clvanalytics.server.schedule;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.schedule.MailSettings;
import io.clvanalytics.engine.schedule.ReportArchive;
import io.clvanalytics.engine.schedule.Scheduler;
import io.clvanalytics.engine.schedule.SmtpMailer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server runs the schedules itself while it holds the store: one thread ticks the engine's
 * {@link Scheduler} every {@link #TICK_SECONDS} seconds, and "run now" goes through the same
 * thread, so runs never overlap (reports are heavy on 2 cores). The scheduler reads "now" from the
 * engine's clock; this thread only decides how often to ask.
 */
public final class ScheduleRunner implements AutoCloseable {

    /** How often due slots are looked for; a slot starts at most this late. */
    public static final int TICK_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger("clv.schedule");

    private final Scheduler scheduler;
    private final ScheduledExecutorService thread;

    private ScheduleRunner(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clv-scheduler");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    /** A runner over {@code engine}: archive and mail from the environment ({@code CLV_REPORTS_DIR}, {@code CLV_SMTP_*}). */
    public static ScheduleRunner of(Engine engine, Map<String, String> env) {
        String dir = env.get(ReportArchive.DIR_ENV);
        ReportArchive archive = ReportArchive.resolve(dir == null || dir.isBlank() ? null : java.nio.file.Path.of(dir), engine.file());
        Scheduler scheduler = MailSettings.fromEnvironment(env)
                .map(m -> Scheduler.withMail(engine, archive, Scheduler.Options.defaults(), m, SmtpMailer.of(m, engine.clock())))
                .orElseGet(() -> Scheduler.of(engine, archive, Scheduler.Options.defaults()));
        return new ScheduleRunner(scheduler);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Starts ticking (recovery of interrupted runs happens on the first tick). */
    public void start() {
        thread.scheduleWithFixedDelay(this::tickQuietly, 0, TICK_SECONDS, TimeUnit.SECONDS);
    }

    /** One tick now, on the scheduler thread (after any tick under way). */
    public CompletableFuture<List<Scheduler.Outcome>> tickNow() {
        return CompletableFuture.supplyAsync(scheduler::runDue, thread);
    }

    /** Runs schedule {@code id} now, on the scheduler thread. */
    public CompletableFuture<Scheduler.Outcome> runNow(String id) {
        return CompletableFuture.supplyAsync(() -> scheduler.runNow(id), thread);
    }

    private void tickQuietly() {
        try {
            for (Scheduler.Outcome o : scheduler.runDue()) {
                LOG.info("event=schedule_run schedule={} slot={} status={} attempts={} error={}", o.scheduleId(), o.slot(),
                        o.status().label(), o.attempts(), o.error());
            }
        } catch (RuntimeException e) {
            // The next tick tries again; a failing tick must not end the scheduler thread.
            LOG.error("event=schedule_tick_failed error={}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
