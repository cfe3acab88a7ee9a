package io.clvanalytics.server;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.clvanalytics.server.admin.AdminRoutes;
import io.clvanalytics.server.api.ApiRoutes;
import io.clvanalytics.server.api.QueryRoutes;
import io.clvanalytics.server.auth.AccessGate;
import io.clvanalytics.server.auth.AuthRoutes;
import io.clvanalytics.server.auth.Pac4jConfigs;
import io.clvanalytics.server.auth.Sessions;
import io.clvanalytics.server.charts.ChartRoutes;
import io.clvanalytics.server.clients.ClientRoutes;
import io.clvanalytics.server.dashboard.DashboardRoutes;
import io.clvanalytics.server.imports.ImportRoutes;
import io.clvanalytics.server.imports.Uploads;
import io.clvanalytics.server.models.ModelRoutes;
import io.clvanalytics.server.products.ProductRoutes;
import io.clvanalytics.server.quality.QualityRoutes;
import io.clvanalytics.server.reports.ReportRoutes;
import io.clvanalytics.server.retention.RetentionRoutes;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.ops.OpsRoutes;
import io.clvanalytics.server.schedule.ScheduleRoutes;
import io.clvanalytics.server.web.ErrorPages;
import io.clvanalytics.server.web.HtmlSafeJson;
import io.clvanalytics.server.web.RequestLog;
import io.clvanalytics.server.web.SecurityHeaders;
import io.clvanalytics.server.web.WebRoutes;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.micrometer.MicrometerPlugin;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the web application from its {@link ServerDeps}: infrastructure first (request log,
 * security headers, access gate, errors, static files), then each feature's routes. Tests build it
 * the same way and start it on a random loopback port.
 *
 * <p>To add a feature: a package {@code io.clvanalytics.server.FEATURE} with a
 * {@code FeatureRoutes.register(Javalin app, ServerDeps deps)} that registers each route with its
 * roles beside it, a call to it in {@link #create(ServerDeps)}, and a row per route in
 * {@code RouteRoleMatrixTest}.
 */
public final class ServerApp {

    private ServerApp() {}

    /** The app, not yet started. */
    public static Javalin create(ServerDeps deps) {
        ServerConfig cfg = deps.config();
        Pac4jConfigs pac4j = new Pac4jConfigs(deps.store(), deps.clock());
        AccessGate gate = new AccessGate(pac4j, deps.store(), deps.clock(), cfg);
        Uploads uploads = Uploads.inTempFolder(deps.clock());
        Javalin[] started = new Javalin[1];
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.defaultContentType = ContentType.JSON;
            // Each request thread opens its own store connection: bound them.
            config.jetty.threadPool = new QueuedThreadPool(cfg.requestThreads(), 4, 60_000);
            // snake_case field names and ISO dates ("2024-01-02") in the JSON API.
            config.jsonMapper(new JavalinJackson().updateMapper(mapper -> {
                mapper.registerModule(new JavaTimeModule())
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
                // < > & ' as unicode escapes: stored text (a customer named <script>) stays inert even
                // where a client drops it into HTML.
                mapper.getFactory().setCharacterEscapes(new HtmlSafeJson());
            }));
            AccessGate.failClosed(config);
            config.jetty.modifyServletContextHandler(h -> h.setSessionHandler(
                    Sessions.handler(cfg.sessionDir(), cfg.idleTimeout(), cfg.cookieSecure())));
            config.registerPlugin(new MicrometerPlugin(m -> m.registry = deps.meters()));
            // Uploads (admin import) spool to the private upload folder, never the shared temp folder; the size limit
            // is checked first by the request's length (ImportRoutes), this bound only catches a body without one.
            config.appData(Uploads.KEY, uploads);
            config.jetty.multipartConfig.cacheDirectory(uploads.folder().toString());
            config.jetty.multipartConfig.maxFileSize(cfg.uploadMaxBytes() + 64 * 1024, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(cfg.uploadMaxBytes() + 128 * 1024, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            config.requestLogger.http(RequestLog::finish);
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/static";
                sf.location = Location.CLASSPATH;
                sf.roles = Set.of(Role.PUBLIC);
                sf.headers = Map.of("Cache-Control", "max-age=300");
            });
            // The front-end libraries, from their webjars, versioned paths: cache them long.
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/webjars";
                sf.directory = "META-INF/resources/webjars";
                sf.location = Location.CLASSPATH;
                sf.roles = Set.of(Role.PUBLIC);
                sf.headers = Map.of("Cache-Control", "max-age=31536000, immutable");
            });
            // The first requests of a JVM load Jetty's, Javalin's and the templates' classes (about 200 ms): the server
            // asks for its public pages once when it has started, so that no visitor pays for it.
            config.events.serverStarted(() -> warmUpPublicPages(started[0]));
            config.events.serverStopped(() -> {
                uploads.close();
                deps.heavyWork().close();
                deps.store().close();
                deps.meters().close();
            });
        });
        app.before(ctx -> {
            RequestLog.start(ctx);
            SecurityHeaders.apply(ctx, cfg.cookieSecure());
        });
        app.beforeMatched(gate::check);
        ErrorPages.install(app, deps.views());

        WebRoutes.register(app, deps, pac4j::issueCsrfToken);
        AuthRoutes.register(app, deps, pac4j);
        OpsRoutes.register(app, deps);
        ApiRoutes.register(app, deps);
        QueryRoutes.register(app, deps);
        AdminRoutes.register(app, deps);
        ImportRoutes.register(app, deps, uploads);
        ScheduleRoutes.register(app, deps);
        DashboardRoutes.register(app, deps);
        ChartRoutes.register(app, deps);
        ClientRoutes.register(app, deps);
        ProductRoutes.register(app, deps);
        RetentionRoutes.register(app, deps);
        QualityRoutes.register(app, deps);
        ModelRoutes.register(app, deps);
        ReportRoutes.register(app, deps);
        deps.store().warm();
        started[0] = app;
        return app;
    }

    /** GETs the landing and sign-in pages from a background thread over loopback; failures (another bind address) are ignored. */
    private static void warmUpPublicPages(Javalin app) {
        Thread t = new Thread(() -> {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
            for (String path : List.of("/", "/login")) {
                try {
                    http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + path))
                            .timeout(java.time.Duration.ofSeconds(10)).GET().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                } catch (java.io.IOException | RuntimeException e) {
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "clv-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
