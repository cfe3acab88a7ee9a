package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreInfo;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.json.JavalinJackson;
import java.util.Map;

/**
 * Builds the web application over an open {@link Engine}. Tests build it the same way, on a random
 * loopback port. Dashboards, login and report downloads arrive with their own issues; for now the
 * app shows what the store holds and answers a health check.
 */
public final class ServerApp {

    private ServerApp() {}

    /** The app, not yet started. */
    public static Javalin create(Engine engine) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.defaultContentType = ContentType.JSON;
            // ISO dates ("2024-01-02") in the JSON API, not Jackson's default arrays.
            config.jsonMapper(new JavalinJackson().updateMapper(mapper -> mapper
                    .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)));
        });
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
        });
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok", "schemaVersion", engine.schemaVersion())));
        app.get("/api/store", ctx -> ctx.json(StoreInfo.of(engine)));
        app.get("/", ctx -> ctx.html(Pages.home(StoreInfo.of(engine))));
        return app;
    }
}
