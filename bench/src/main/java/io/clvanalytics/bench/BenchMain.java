package io.clvanalytics.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the registered benchmarks ({@code make bench BENCH_ARGS="..."}) and prints one table row per
 * step: benchmark, step, figure, baseline (measured in the same run), ratio and peak heap.
 *
 * <p>Options: {@code --only NAME[,NAME]}, {@code --customers N} (default 1,000,000), {@code --transactions N}
 * (default 10,000,000), {@code --server-seconds N} (each load phase of the server benchmark, default 60), {@code --dir PATH} (work folder kept afterwards, so a later run with the same size reuses its
 * generated shared store; default a new temp folder, deleted afterwards),
 * {@code --list}. Exit code 0 when every benchmark ran, 1 when one failed (the others still run), 2 on
 * bad options.
 */
public final class BenchMain {

    static final int DEFAULT_CUSTOMERS = 1_000_000;
    static final long DEFAULT_TRANSACTIONS = 10_000_000;
    static final int DEFAULT_SERVER_SECONDS = 60;

    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        // The server benchmark's request log (one line per request) would drown the progress log.
        System.setProperty("org.slf4j.simpleLogger.log.clv.requests", "warn");
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        int customers = DEFAULT_CUSTOMERS;
        long transactions = DEFAULT_TRANSACTIONS;
        int serverSeconds = DEFAULT_SERVER_SECONDS;
        Set<String> only = new LinkedHashSet<>();
        Path dir = null;
        List<Benchmark> all = BenchRegistry.all();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--only" -> only.addAll(Arrays.asList(value(args, ++i, "--only").split(",")));
                    case "--customers" -> customers = positiveInt(value(args, ++i, "--customers"), "--customers");
                    case "--transactions" -> transactions = positiveInt(value(args, ++i, "--transactions"), "--transactions");
                    case "--server-seconds" -> serverSeconds = positiveInt(value(args, ++i, "--server-seconds"), "--server-seconds");
                    case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                    case "--list" -> {
                        all.forEach(b -> out.println(b.name() + "\t" + b.description()));
                        return 0;
                    }
                    case "--help", "-h" -> {
                        out.println("usage: BenchMain [--only NAME[,NAME]] [--customers N] [--transactions N] [--server-seconds N] [--dir PATH] [--list]");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            for (String name : only) {
                if (all.stream().noneMatch(b -> b.name().equals(name))) {
                    throw new IllegalArgumentException("--only: no benchmark named '" + name + "' (known: "
                            + all.stream().map(Benchmark::name).toList() + ")");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        boolean ownDir = dir == null;
        Path work = ownDir ? Files.createTempDirectory("clv-bench") : Files.createDirectories(dir);
        BenchContext ctx = new BenchContext(customers, transactions, serverSeconds, work, err);
        List<BenchResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        out.printf(Locale.ROOT, "CLV Analytics bench: %,d customers, %,d transactions, %d processors, max heap %s%n%n",
                customers, transactions, Runtime.getRuntime().availableProcessors(), mib(Runtime.getRuntime().maxMemory()));
        try {
            for (Benchmark b : all) {
                if (!only.isEmpty() && !only.contains(b.name())) {
                    continue;
                }
                ctx.log("running " + b.name() + ": " + b.description());
                try {
                    results.addAll(b.run(ctx));
                } catch (Exception | OutOfMemoryError e) {
                    failures.add(b.name() + ": " + e);
                    e.printStackTrace(err);
                }
            }
        } finally {
            if (ownDir) {
                deleteTree(work);
            }
        }
        printTable(out, results);
        for (String f : failures) {
            out.println("FAILED " + f);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    static void printTable(PrintStream out, List<BenchResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "step", "figure", "baseline (same run)", "ratio", "peak heap"});
        for (BenchResult r : results) {
            rows.add(new String[] {r.benchmark(), r.step(), r.figure(), r.baseline(),
                String.format(Locale.ROOT, "%.2fx", r.ratio()), mib(r.peakHeapBytes())});
        }
        int[] width = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                sb.append(String.format("%-" + width[i] + "s", rows.get(k)[i])).append(i < 5 ? " | " : "");
            }
            out.println(sb.toString().stripTrailing());
            if (k == 0) {
                out.println("-".repeat(sb.length()));
            }
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + ": a value is required");
        }
        return args[i];
    }

    private static int positiveInt(String s, String option) {
        try {
            int v = Integer.parseInt(s.replace("_", "").replace(",", ""));
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": must be a positive whole number (" + s + ")");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
