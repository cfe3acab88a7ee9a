package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.server.ops.Metrics;
import io.clvanalytics.server.store.HeavyWork;
import io.clvanalytics.server.store.Jobs;
import io.clvanalytics.server.store.QueryCache;
import io.clvanalytics.server.store.Store;
import io.clvanalytics.server.web.Views;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the server is built from, handed to every feature's {@code XxxRoutes.register(app, deps)}.
 *
 * @param engine    the open store (the server holds it; one process per store)
 * @param config    settings from flags and environment
 * @param clock     "now" for everything the server decides (lockouts, token expiry); the engine's clock
 * @param meters    the Prometheus registry behind {@code /metrics}; features add their own meters here
 * @param store     the one data-access place
 * @param heavyWork the bounded executor for long jobs
 * @param jobs      the background jobs started from pages (fit, quality checks), over {@code heavyWork}
 * @param views     the page templates
 */
public record ServerDeps(Engine engine, ServerConfig config, Clock clock, PrometheusMeterRegistry meters, Store store,
                         HeavyWork heavyWork, Jobs jobs, Views views) {

    /** Production wiring over {@code engine}. */
    public static ServerDeps of(Engine engine, ServerConfig config) {
        PrometheusMeterRegistry meters = Metrics.newRegistry();
        HeavyWork heavyWork = new HeavyWork(config.heavyWorkThreads(), 16);
        return new ServerDeps(engine, config, engine.clock(), meters,
                new Store(engine, new QueryCache(Store.CACHE_ENTRIES, config.cacheTtl(), meters)),
                heavyWork, new Jobs(heavyWork, engine.clock()), new Views());
    }

    /** Test wiring: loopback, port 0, sessions under {@code dir}, the engine's clock. */
    public static ServerDeps forTest(Engine engine, Path dir) {
        return of(engine, ServerConfig.forTest(engine.file(), dir));
    }

    /** The same dependencies with other settings (the store, clock and registry are shared). */
    public ServerDeps withConfig(ServerConfig other) {
        return new ServerDeps(engine, other, clock, meters, store, heavyWork, jobs, views);
    }
}
