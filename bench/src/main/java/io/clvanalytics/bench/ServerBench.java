package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.quality.DataQuality;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.engine.users.Users;
import io.clvanalytics.server.ServerApp;
import io.clvanalytics.server.ServerConfig;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.store.QueryCache;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The server under load: 20 concurrent API clients over loopback against the real app (production
 * settings, cache included) on a generated 20,000-customer store that is scored, retention-scored and
 * quality-checked first. Clients mix {@code /api/clients} with random filters, sorts and pages (50 %),
 * {@code /api/client/{id}} of random customers (35 %) and {@code /api/dashboard} (15 %). Phases:
 * the baseline ({@code GET /health}, the cheapest route that reads the store, same clients, a sixth
 * of the duration), the steady phase ({@code --server-seconds}, default 60) and the same load while
 * CLV fits and scorings of the same store run back to back as the models page runs them (the server's
 * {@code fitAndScore} on its heavy-work executor; each commits a new model run and new scores, so the
 * data version changes and cached answers are recomputed).
 *
 * <p>Clients send the API token of an analyst (the production bearer sign-in: token lookup and roles
 * per request).
 */
final class ServerBench implements Benchmark {

    static final int CUSTOMERS = 20_000;
    static final int CLIENTS = 20;

    @Override
    public String name() {
        return "server";
    }

    @Override
    public String description() {
        return "20 API clients on a 20,000-customer store: /api/clients, /api/client/{id}, /api/dashboard, steady and while a"
                + " score runs, vs GET /health with the same clients";
    }

    /** Latencies (nanoseconds) of one phase, by route, plus failures. */
    private record Phase(Map<String, long[]> latencies, long requests, long errors, double seconds, double hitRatio) {}

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Path dir = Files.createDirectories(ctx.workDir().resolve("server-bench"));
        Path file = dir.resolve("server.duckdb");
        Files.deleteIfExists(file);
        List<BenchResult> out = new ArrayList<>();
        try (Engine engine = Engine.open(file)) {
            ctx.log("server bench: generating and scoring " + CUSTOMERS + " customers");
            DemoDataGenerator.generate(engine, GeneratorConfig.defaults(CUSTOMERS, BenchContext.SEED), DemoDataGenerator.ProgressListener.NONE);
            ClvService.on(engine).score("bgnbd", 12, 0.01);
            RetentionService.of(engine).score(RetentionSettings.defaults());
            DataQuality.of(engine).run();

            ServerConfig config = ServerConfig.from(new String[] {"--db", file.toString(), "--host", "127.0.0.1", "--port", "0",
                    "--session-dir", dir.resolve("sessions").toString()}, Map.of());
            ServerDeps deps = ServerDeps.of(engine, config);
            Javalin app = ServerApp.create(deps).start(config.host(), 0);
            new Users(engine).add("bench-analyst", UserRole.ANALYST, "a long bench password " + System.nanoTime());
            String token = new ApiTokens(engine).create("bench-analyst", "server bench", Optional.empty()).secret();
            try {
                String base = "http://127.0.0.1:" + app.port();
                String bearer = "Bearer " + token;
                QueryCache cache = deps.store().cache();
                int seconds = ctx.serverSeconds();
                int baselineSeconds = Math.max(5, seconds / 6);

                load(base, bearer, CLIENTS, 3, r -> "/api/dashboard", cache); // warm-up: JIT, first cache fill
                Phase[] single = new Phase[1];
                Measurement alone = ctx.measure("GET /health, 1 client, " + baselineSeconds + " s", () -> {
                    single[0] = load(base, bearer, 1, baselineSeconds, r -> "/health", cache);
                    return single[0].requests();
                });
                Phase[] baseline = new Phase[1];
                Measurement health = ctx.measure("GET /health, " + CLIENTS + " clients, " + baselineSeconds + " s", () -> {
                    baseline[0] = load(base, bearer, CLIENTS, baselineSeconds, r -> "/health", cache);
                    return baseline[0].requests();
                });
                Phase[] steady = new Phase[1];
                Measurement mixed = ctx.measure("API mix, " + CLIENTS + " clients, " + seconds + " s", () -> {
                    steady[0] = load(base, bearer, CLIENTS, seconds, ServerBench::mixedRequest, cache);
                    return steady[0].requests();
                });
                AtomicInteger scores = new AtomicInteger();
                Phase[] scoring = new Phase[1];
                Measurement underScore = ctx.measure("API mix while scoring, " + seconds + " s", () -> {
                    AtomicBoolean stop = new AtomicBoolean();
                    Thread scorer = new Thread(() -> {
                        while (!stop.get()) {
                            deps.heavyWork().submit("score", () -> deps.store().fitAndScore("bgnbd")).join();
                            scores.incrementAndGet();
                        }
                    }, "bench-scorer");
                    scorer.start();
                    try {
                        scoring[0] = load(base, bearer, CLIENTS, seconds, ServerBench::mixedRequest, cache);
                    } finally {
                        stop.set(true);
                        scorer.join();
                    }
                    return scoring[0].requests();
                });

                String baseText = "GET /health, same " + CLIENTS + " clients: " + summary(baseline[0], "all");
                double baseP99 = percentile(all(baseline[0]), 0.99);
                // The floor of one request with nothing else running: what the clients' own share of the two cores adds
                // to the 20-client baseline shows against it.
                out.add(row("GET /health, 1 client (unloaded floor)", single[0], "all", baseText, baseP99, alone));
                out.add(row("API mix, " + CLIENTS + " clients, " + seconds + " s (goal p99 < 100 ms)", steady[0], "all", baseText,
                        baseP99, mixed));
                for (String route : List.of("/api/clients", "/api/client/{id}", "/api/dashboard")) {
                    out.add(row("  " + route, steady[0], route, baseText, baseP99, mixed));
                }
                long overOneSecond = Arrays.stream(all(scoring[0])).filter(ns -> ns > 1_000_000_000L).count();
                out.add(row("API mix while " + scores.get() + " CLV scorings ran (goal: none > 1 s; " + overOneSecond + " were)",
                        scoring[0], "all", baseText, baseP99, underScore));
            } finally {
                app.stop();
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve("server.duckdb.wal"));
        }
        return out;
    }

    private BenchResult row(String step, Phase p, String route, String baseline, double baseP99, Measurement m) {
        long[] ns = route.equals("all") ? all(p) : p.latencies().getOrDefault(route, new long[0]);
        return new BenchResult(name(), step, summary(p, route), baseline, percentile(ns, 0.99) / baseP99, m.peakHeapBytes());
    }

    private static String summary(Phase p, String route) {
        long[] ns = route.equals("all") ? all(p) : p.latencies().getOrDefault(route, new long[0]);
        String s = String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.0f ms, %,.0f req/s", percentile(ns, 0.50) / 1e6,
                percentile(ns, 0.99) / 1e6, ns.length == 0 ? 0 : ns[ns.length - 1] / 1e6, ns.length / p.seconds());
        if (route.equals("all")) {
            s += String.format(Locale.ROOT, ", cache hits %.0f %%, %d errors", 100 * p.hitRatio(), p.errors());
        }
        return s;
    }

    private static long[] all(Phase p) {
        long[] out = p.latencies().values().stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(out);
        return out;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** A request of the mix: the customer list with random filters and pages, one customer, or the dashboard. */
    static String mixedRequest(SplittableRandom r) {
        int pick = r.nextInt(100);
        if (pick < 35) {
            return String.format(Locale.ROOT, "/api/client/C%07d", 1 + r.nextInt(CUSTOMERS));
        }
        if (pick < 50) {
            return "/api/dashboard";
        }
        StringBuilder q = new StringBuilder("/api/clients?page=").append(1 + r.nextInt(10))
                .append("&size=").append(new int[] {20, 50, 100}[r.nextInt(3)])
                .append("&sort=").append(new String[] {"clv", "p_alive", "last_purchase", "value_at_risk"}[r.nextInt(4)])
                .append("&order=").append(r.nextBoolean() ? "desc" : "asc");
        if (r.nextInt(10) < 3) {
            q.append("&risk_level=").append(new String[] {"low", "medium", "high", "critical"}[r.nextInt(4)]);
        }
        if (r.nextInt(10) < 2) {
            q.append("&min_clv=").append(new int[] {10, 50, 100, 250}[r.nextInt(4)]);
        }
        return q.toString();
    }

    /**
     * {@code clients} threads sending requests back to back for {@code seconds}, over one shared HTTP client (one
     * selector thread and a pool of keep-alive connections, as a load generator would; a client per thread added
     * a selector thread per client to the machine's two cores).
     */
    private static Phase load(String base, String bearer, int clients, int seconds, Function<SplittableRandom, String> next,
                              QueryCache cache) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        double hits0 = cache.hits();
        double misses0 = cache.misses();
        ConcurrentLinkedQueue<Map.Entry<String, long[]>> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SplittableRandom random = new SplittableRandom(BenchContext.SEED * 31 + i);
            Thread t = new Thread(() -> {
                Map<String, List<Long>> mine = new java.util.HashMap<>();
                try {
                    start.await();
                    while (System.nanoTime() < deadline) {
                        String path = next.apply(random);
                        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer)
                                .timeout(Duration.ofSeconds(60)).GET().build();
                        long t0 = System.nanoTime();
                        String failure = null;
                        try {
                            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                            if (res.statusCode() != 200) {
                                failure = "HTTP " + res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8);
                            }
                        } catch (java.io.IOException e) {
                            failure = e.toString();
                        }
                        mine.computeIfAbsent(route(path), k -> new ArrayList<>()).add(System.nanoTime() - t0);
                        if (failure != null && errors.incrementAndGet() <= 3) {
                            System.err.println("[bench] server: " + path + " failed: " + failure);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    mine.forEach((k, v) -> samples.add(Map.entry(k, v.stream().mapToLong(Long::longValue).toArray())));
                }
            }, "bench-client-" + i);
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<String, long[]> byRoute = new java.util.TreeMap<>();
        for (Map.Entry<String, long[]> e : samples) {
            long[] prev = byRoute.getOrDefault(e.getKey(), new long[0]);
            long[] merged = Arrays.copyOf(prev, prev.length + e.getValue().length);
            System.arraycopy(e.getValue(), 0, merged, prev.length, e.getValue().length);
            byRoute.put(e.getKey(), merged);
        }
        byRoute.values().forEach(Arrays::sort);
        long requests = byRoute.values().stream().mapToLong(a -> a.length).sum();
        double hits = cache.hits() - hits0;
        double misses = cache.misses() - misses0;
        return new Phase(byRoute, requests, errors.get(), elapsed, hits + misses == 0 ? 0 : hits / (hits + misses));
    }

    private static String route(String path) {
        if (path.startsWith("/api/client/")) {
            return "/api/client/{id}";
        }
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
