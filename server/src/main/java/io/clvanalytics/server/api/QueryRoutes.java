package io.clvanalytics.server.api;

import static io.clvanalytics.server.auth.Role.ADMIN;
import static io.clvanalytics.server.auth.Role.ANALYST;

import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.jasper.NamedQueries;
import io.clvanalytics.engine.jasper.NamedQuery;
import io.clvanalytics.engine.jasper.QueryApi;
import io.clvanalytics.engine.jasper.QueryParameter;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.web.HtmlSafeJson;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.RequestLog;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API for the JasperReports plugin ({@link QueryApi}): {@code GET /api/query/NAME} answers the
 * {@code clv} named query NAME with its parameters, through the engine's {@link NamedQueries} (the same
 * SQL a template runs over the store file), streamed row by row as {@code QueryRowsJson} with the
 * server's version in {@value QueryApi#VERSION_HEADER}. One route per query, each with its roles, so
 * the access gate checks them like any other route.
 *
 * <p>Each answer runs on a connection of its own (DuckDB readers do not block one another or writers),
 * and at most {@link #maxStreams} run at once, so long report fills leave request threads for pages.
 */
public final class QueryRoutes {

    private static final Logger LOG = LoggerFactory.getLogger("clv.query");

    /**
     * Queries managers may run as well: those behind the built-in reports (managers view and download every
     * report) and the dashboard. The others (retention by segment, product sparklines, lifecycle history) are
     * analysts' and admins', like the analytics API.
     */
    static final Set<String> MANAGER_QUERIES = Set.of(
            "customer_scores", "kpis", "clv_distribution", "clv_by_segment", "customer_profile", "customer_transactions",
            "period_kpis", "monthly_revenue", "retention_summary", "cohort_retention", "survival_curve", "at_risk",
            "product_metrics", "product_trend", "related_products", "quality_run", "quality_results", "quality_history",
            "model_runs", "model_parameters", "calibration_holdout", "tracking");

    /** The longest text value accepted for a parameter. */
    static final int MAX_TEXT = 1_000;
    /** How long a request waits for a free stream before it is answered 503. */
    static final long WAIT_SECONDS = 30;

    private QueryRoutes() {}

    /** Who may run {@code query}. */
    static Role[] roles(NamedQuery query) {
        return MANAGER_QUERIES.contains(query.name()) ? Role.SIGNED_IN : new Role[] {ANALYST, ADMIN};
    }

    /** At most this many answers stream at once: a quarter of the request threads, at least 2. */
    static int maxStreams(ServerDeps deps) {
        return Math.max(2, deps.config().requestThreads() / 4);
    }

    public static void register(Javalin app, ServerDeps deps) {
        Semaphore streams = new Semaphore(maxStreams(deps), true);
        AtomicInteger active = deps.meters().gauge("clv.query.streams.active", new AtomicInteger());
        // Every answer under the prefix (refusals included) says which version answers, so the plugin can
        // tell a server of another version from a wrong query; an unknown name is a 404 naming it.
        app.before(QueryApi.PATH_PREFIX + "*", ctx -> {
            ctx.header(QueryApi.VERSION_HEADER, QueryApi.version());
            String name = ctx.path().substring(QueryApi.PATH_PREFIX.length());
            if (NamedQueries.find(name).isEmpty()) {
                throw HttpError.notFound("there is no clv query named '" + printable(name) + "'; the queries are "
                        + NamedQueries.all().stream().map(NamedQuery::name).collect(Collectors.joining(", ")));
            }
        });
        for (NamedQuery query : NamedQueries.all()) {
            app.get(QueryApi.PATH_PREFIX + query.name(), ctx -> run(ctx, deps, query, streams, active), roles(query));
        }
    }

    private static void run(Context ctx, ServerDeps deps, NamedQuery query, Semaphore streams, AtomicInteger active) {
        Map<String, Object> values = values(ctx, query);
        try {
            if (!streams.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new HttpError(503, "busy", "the server is streaming " + maxStreams(deps) + " query answers already;"
                        + " try again shortly", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "busy", "the server is stopping", null);
        }
        active.incrementAndGet();
        long start = System.nanoTime();
        String user = CurrentUser.nameForLog(ctx);
        try {
            ctx.status(200).contentType("application/json; charset=utf-8");
            long rows = deps.store().streamNamed(query.name(), values, ctx.outputStream(), new HtmlSafeJson());
            LOG.info("event=query_stream request={} user={} query={} rows={} durationMs={}", RequestLog.id(ctx), user,
                    query.name(), rows, (System.nanoTime() - start) / 1_000_000);
        } catch (StoreException | UncheckedIOException e) {
            if (!ctx.res().isCommitted()) {
                throw e;
            }
            // The answer had begun: it ends with an error the plugin reports (or the client went away).
            LOG.warn("event=query_stream_broken request={} user={} query={} durationMs={} error={}", RequestLog.id(ctx), user,
                    query.name(), (System.nanoTime() - start) / 1_000_000, e.getMessage());
        } finally {
            active.decrementAndGet();
            streams.release();
        }
    }

    /** The request's parameters, each one the query declares, given once and of its type; else a 400 naming it. */
    private static Map<String, Object> values(Context ctx, NamedQuery query) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String name = e.getKey();
            QueryParameter p = query.parameter(name).orElseThrow(() -> HttpError.badField(name, "query " + query.name()
                    + " has no parameter '" + printable(name) + "'; it takes " + (query.parameters().isEmpty() ? "none"
                    : query.parameters().stream().map(QueryParameter::name).collect(Collectors.joining(", ")))));
            if (e.getValue().size() > 1) {
                throw HttpError.badField(name, "parameter '" + name + "' is given more than once");
            }
            String raw = e.getValue().get(0);
            if (raw.length() > MAX_TEXT) {
                throw HttpError.badField(name, "parameter '" + name + "' is longer than " + MAX_TEXT + " characters");
            }
            Object v;
            try {
                v = p.convert(raw);
            } catch (IllegalArgumentException bad) {
                throw HttpError.badField(name, "query " + query.name() + ": parameter " + name + " must be "
                        + (p.type() == QueryParameter.Type.INTEGER ? "an " : "a ") + p.type().label()
                        + " (got '" + printable(raw) + "')");
            }
            if (v instanceof Double d && !Double.isFinite(d)) {
                throw HttpError.badField(name, "parameter " + name + " must be a finite number (got '" + printable(raw) + "')");
            }
            if (v instanceof Long l && l < 0) {
                throw HttpError.badField(name, "parameter " + name + " must be 0 or more (got " + l + ")");
            }
            values.put(name, v);
        }
        return values;
    }

    /** {@code v} without control characters, cut to 40 characters, for messages (which are JSON-encoded). */
    private static String printable(String v) {
        String s = v.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
