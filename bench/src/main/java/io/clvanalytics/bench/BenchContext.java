package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a benchmark gets: the sizes chosen on the command line, a work folder deleted after the run,
 * a shared generated store created once per run, and {@link #measure} for timing work with its peak heap.
 */
public final class BenchContext {

    /** Seed of the shared store, so every run benchmarks the same data. */
    public static final long SEED = 42;

    /** Work that returns how many rows it handled. */
    @FunctionalInterface
    public interface Work {
        long run() throws Exception;
    }

    private final int customers;
    private final long transactions;
    private final int serverSeconds;
    private final Path workDir;
    private final PrintStream log;
    private Path sharedStore;

    BenchContext(int customers, long transactions, int serverSeconds, Path workDir, PrintStream log) {
        this.customers = customers;
        this.transactions = transactions;
        this.serverSeconds = serverSeconds;
        this.workDir = workDir;
        this.log = log;
    }

    /** Customers to generate ({@code --customers}, default 1,000,000). */
    public int customers() {
        return customers;
    }

    /** Transaction rows for benchmarks of row-oriented work such as import ({@code --transactions}, default 10,000,000). */
    public long transactions() {
        return transactions;
    }

    /** How long each load phase of the server benchmark lasts ({@code --server-seconds}, default 60). */
    public int serverSeconds() {
        return serverSeconds;
    }

    /** A folder for this run's files; deleted at the end. */
    public Path workDir() {
        return workDir;
    }

    /** Progress notes (stderr), so the table on stdout stays clean. */
    public void log(String message) {
        log.println("[bench] " + message);
    }

    /** The config of the shared store. */
    public GeneratorConfig sharedConfig() {
        return GeneratorConfig.defaults(customers, SEED);
    }

    /** Where the shared store lives (it may not exist yet); named by size and seed so a kept {@code --dir} can reuse it. */
    Path sharedStorePath() {
        return workDir.resolve("shared-" + customers + "-" + SEED + ".duckdb");
    }

    /** Written beside the shared store once generation finished, so a half-written store is never reused. */
    private Path completeMarker() {
        return workDir.resolve("shared-" + customers + "-" + SEED + ".complete");
    }

    /** Marks {@link #sharedStorePath()} as generated (by the generate benchmark, which timed it). */
    void sharedStoreGenerated() throws IOException {
        sharedStore = sharedStorePath();
        Files.writeString(completeMarker(), "generated\n");
    }

    /**
     * Whether the shared store exists: generated in this run, or left complete in a {@code --dir} by an
     * earlier run (the generator is deterministic for a size and seed, so it is the same data).
     */
    boolean hasSharedStore() {
        if (sharedStore == null && Files.isRegularFile(completeMarker()) && Files.isRegularFile(sharedStorePath())) {
            log("reusing the shared store from an earlier run: " + sharedStorePath());
            sharedStore = sharedStorePath();
        }
        return sharedStore != null;
    }

    /**
     * A store generated with {@link #sharedConfig()}, created on first use and reused by every benchmark
     * of the run. Read it only; close every Engine you open on it before returning.
     */
    public synchronized Path sharedStore() throws IOException {
        if (!hasSharedStore()) {
            log("generating the shared store: " + customers + " customers, seed " + SEED);
            Files.deleteIfExists(sharedStorePath());
            try (Engine engine = Engine.open(sharedStorePath())) {
                DemoDataGenerator.generate(engine, sharedConfig(), DemoDataGenerator.ProgressListener.NONE);
            }
            sharedStoreGenerated();
        }
        return sharedStore;
    }

    /** A private copy of the shared store under {@link #workDir()}, for benchmarks that change data. */
    public Path copyOfSharedStore(String name) throws IOException {
        Path target = workDir.resolve(name + ".duckdb");
        Files.copy(sharedStore(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Runs {@code work} once, timing it and sampling the peak heap. */
    public Measurement measure(String what, Work work) throws Exception {
        log(what + " ...");
        try (HeapSampler heap = HeapSampler.start()) {
            long t0 = System.nanoTime();
            long rows = work.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            heap.close();
            Measurement m = new Measurement(seconds, rows, heap.peakBytes());
            log(what + ": " + m.describe());
            return m;
        }
    }
}
