package io.clvanalytics.server.store;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded executor for long work (fit, score, retention, import, reports), so page requests
 * stay fast while it runs. At most {@code threads} jobs run at once and at most {@code queue} wait;
 * {@link #submit} throws {@link Busy} beyond that instead of piling work up.
 */
public final class HeavyWork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeavyWork.class);

    /** Thrown when the queue is full: the caller answers 503 and asks to try again later. */
    public static final class Busy extends RuntimeException {
        Busy(String job) {
            super("the server is busy with other long jobs; '" + job + "' was not started, try again later");
        }
    }

    private final ThreadPoolExecutor pool;

    public HeavyWork(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "clv-heavy-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    /** Runs {@code work} on the pool; the future fails with the job's exception. */
    public <T> CompletableFuture<T> submit(String job, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                long start = System.nanoTime();
                try {
                    result.complete(work.call());
                    LOG.info("job={} status=done durationMs={}", job, (System.nanoTime() - start) / 1_000_000);
                } catch (Exception | Error e) {
                    LOG.warn("job={} status=failed durationMs={} error={}", job, (System.nanoTime() - start) / 1_000_000,
                            e.toString());
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new Busy(job);
        }
        return result;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
