package io.clvanalytics.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the used Java heap every few milliseconds on a daemon thread and keeps the maximum. Native
 * memory of DuckDB is not included (DuckDB's own limit is {@code CLV_MEMORY_LIMIT}).
 */
final class HeapSampler implements AutoCloseable {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapSampler() {
        sample();
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling after a full GC, so the peak belongs to the work that follows. */
    static HeapSampler start() {
        System.gc();
        return new HeapSampler();
    }

    private void sample() {
        long used = MEMORY.getHeapMemoryUsage().getUsed();
        peak.accumulateAndGet(used, Math::max);
    }

    long peakBytes() {
        return peak.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample();
    }
}
