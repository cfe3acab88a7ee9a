package io.clvanalytics.server.ops;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Health for load balancers and probes; Prometheus metrics for admins' scrapers. */
public final class OpsRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(OpsRoutes.class);

    private OpsRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        // Public and cheap; shows no paths. 503 when the store cannot be read.
        app.get("/health", ctx -> {
            Map<String, Object> body = new LinkedHashMap<>();
            try {
                int version = deps.store().schemaVersion();
                body.put("status", "ok");
                body.put("schema_version", version);
            } catch (RuntimeException e) {
                LOG.warn("health check: the store cannot be read: {}", e.toString());
                ctx.status(503);
                body.put("status", "unavailable");
            }
            ctx.json(body);
        }, Role.PUBLIC);
        // An API path: a bearer token of an admin, or a client address listed in CLV_METRICS_ALLOW (AccessGate).
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(deps.meters().scrape()), Role.ADMIN);
    }
}
