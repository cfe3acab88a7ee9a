package io.clvanalytics.server.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long jobs started from a page (fit and score, quality checks) run on {@link HeavyWork}; pages poll
 * their {@link Job} by id until it is done. Only the latest jobs are kept, in memory: a restart
 * forgets them (their results are in the store).
 */
public final class Jobs {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    private static final int KEEP = 50;

    /** Where a job is. */
    public enum State { QUEUED, RUNNING, DONE, FAILED }

    /**
     * A job as pages show it.
     *
     * @param id      its number
     * @param title   what it does ("Fit and score bgnbd")
     * @param state   where it is
     * @param started when it was asked for
     * @param ended   when it finished, null while it runs
     * @param message the result in words, or why it failed (no internals)
     */
    public record Job(long id, String title, State state, Instant started, Instant ended, String message) {

        public boolean finished() {
            return state == State.DONE || state == State.FAILED;
        }

        /** Seconds since it started (or its whole run time once finished). */
        public long seconds(Clock clock) {
            return Duration.between(started, ended == null ? clock.instant() : ended).toSeconds();
        }
    }

    private final HeavyWork heavyWork;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Job> jobs = new ConcurrentHashMap<>();

    public Jobs(HeavyWork heavyWork, Clock clock) {
        this.heavyWork = heavyWork;
        this.clock = clock;
    }

    /**
     * Starts {@code work} in the background and answers its job at once. {@code work} returns the
     * result message; a {@link io.clvanalytics.engine.DataValidationException} message is shown as is,
     * any other failure as a generic sentence (the log has the details).
     *
     * @throws HeavyWork.Busy when too many long jobs wait already
     */
    public Job start(String title, Callable<String> work) {
        long id = ids.incrementAndGet();
        Job queued = new Job(id, title, State.QUEUED, clock.instant(), null, "Waiting for other long jobs to finish");
        jobs.put(id, queued);
        jobs.keySet().removeIf(k -> k <= id - KEEP);
        heavyWork.submit(title, () -> {
            jobs.put(id, new Job(id, title, State.RUNNING, queued.started(), null, "Running"));
            try {
                String message = work.call();
                jobs.put(id, new Job(id, title, State.DONE, queued.started(), clock.instant(), message));
            } catch (io.clvanalytics.engine.DataValidationException e) {
                jobs.put(id, new Job(id, title, State.FAILED, queued.started(), clock.instant(), e.getMessage()));
            } catch (Exception | Error e) {
                LOG.warn("job {} '{}' failed", id, title, e);
                jobs.put(id, new Job(id, title, State.FAILED, queued.started(), clock.instant(),
                        "The job failed on the server; the error was logged (job " + id + ")."));
            }
            return null;
        });
        return queued;
    }

    /** The job {@code id}, if it is still kept. */
    public Optional<Job> find(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The newest job whose title starts with {@code prefix}, if any. */
    public Optional<Job> latest(String prefix) {
        return jobs.values().stream().filter(j -> j.title().startsWith(prefix)).max(java.util.Comparator.comparingLong(Job::id));
    }
}
