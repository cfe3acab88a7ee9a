package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.server.RouteRoleMatrixTest.Row;
import io.clvanalytics.server.RouteRoleMatrixTest.Who;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.web.Assets;
import io.clvanalytics.server.web.SecurityHeaders;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security headers on 100 % of responses: every route of {@link RouteRoleMatrixTest} as every
 * caller, static files, unknown paths and failures (404 and 500, pages and API); and no internals
 * in any failure.
 */
class HeadersCrawlTest {

    @TempDir
    Path dir;

    private static final String SECRET = "SELECT secret FROM /var/lib/private.duckdb";

    private static TestServer startWithFailingRoutes(Path dir) {
        return TestServer.start(dir, app -> {
            app.get("/test/boom", ctx -> {
                throw new IllegalStateException(SECRET);
            }, Role.PUBLIC);
            app.get("/api/test/boom", ctx -> {
                throw new IllegalStateException(SECRET);
            }, Role.PUBLIC);
        });
    }

    private static List<String> missingHeaders(HttpResponse<String> r) {
        List<String> missing = new ArrayList<>();
        var h = r.headers();
        if (!h.firstValue("Content-Security-Policy").orElse("").equals(SecurityHeaders.CSP)) {
            missing.add("Content-Security-Policy");
        }
        if (!h.firstValue("X-Content-Type-Options").orElse("").equals("nosniff")) {
            missing.add("X-Content-Type-Options");
        }
        if (h.firstValue("Referrer-Policy").isEmpty()) {
            missing.add("Referrer-Policy");
        }
        if (!h.firstValue("X-Frame-Options").orElse("").equals("DENY")) {
            missing.add("X-Frame-Options");
        }
        boolean staticFile = r.uri().getPath().startsWith("/static/") || r.uri().getPath().startsWith("/webjars/");
        if (!staticFile && !h.firstValue("Cache-Control").orElse("").equals("no-store")) {
            missing.add("Cache-Control: no-store");
        }
        return missing.isEmpty() ? List.of() : List.of(r.request().method() + " " + r.uri().getPath() + " " + r.statusCode()
                + " lacks " + missing);
    }

    @Test
    void everyResponseOfACrawlCarriesTheSecurityHeaders() {
        try (TestServer s = startWithFailingRoutes(dir)) {
            String token = RouteRoleMatrixTest.addCallers(s);
            List<HttpResponse<String>> responses = new ArrayList<>();
            Map<Who, HttpClient> sessions = new EnumMap<>(Who.class);
            for (Row row : RouteRoleMatrixTest.ROWS) {
                for (Who who : Who.values()) {
                    HttpClient http = who == Who.ANONYMOUS || who == Who.ANALYST_TOKEN ? TestServer.browser()
                            : row.method().equals("GET")
                            ? sessions.computeIfAbsent(who, w -> s.signedIn(w.name().toLowerCase(java.util.Locale.ROOT)))
                            : s.signedIn(who.name().toLowerCase(java.util.Locale.ROOT));
                    responses.add(RouteRoleMatrixTest.call(s, http, row, who == Who.ANALYST_TOKEN ? token : null));
                }
            }
            HttpClient anon = TestServer.browser();
            HttpClient admin = s.signedIn("admin");
            for (String path : List.of("/static/css/app.css", "/static/js/app.js", Assets.BOOTSTRAP_CSS, Assets.HTMX_JS,
                    "/static/nothing.css", "/no/such/page", "/api/no/such/thing", "/test/boom", "/api/test/boom")) {
                responses.add(s.get(anon, path));
                responses.add(s.get(admin, path));
            }
            responses.add(s.postForm(anon, "/", Map.of()));
            List<String> problems = new ArrayList<>();
            for (HttpResponse<String> r : responses) {
                problems.addAll(missingHeaders(r));
            }
            assertEquals(List.of(), problems);
            assertTrue(responses.size() > 70, "responses crawled: " + responses.size());
            assertTrue(responses.stream().anyMatch(r -> r.statusCode() == 404));
            assertTrue(responses.stream().anyMatch(r -> r.statusCode() == 500));
        }
    }

    @Test
    void failuresShowNoStackTraceSqlOrPathButTheRequestId() {
        try (TestServer s = startWithFailingRoutes(dir)) {
            HttpClient http = TestServer.browser();
            var page = s.get(http, "/test/boom");
            var api = s.get(http, "/api/test/boom");
            for (var r : List.of(page, api)) {
                assertEquals(500, r.statusCode());
                assertFalse(r.body().contains("SELECT") || r.body().contains("/var/lib") || r.body().contains("Exception")
                        || r.body().contains("at io."), r.body());
                assertTrue(r.body().contains(r.headers().firstValue("X-Request-Id").orElseThrow()), r.body());
            }
            assertTrue(page.body().contains("id=\"error-status\">500"), "the HTML error page in the layout");
            assertTrue(api.body().startsWith("{\"error\":{\"code\":\"internal_error\""), api.body());
            assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        }
    }

    @Test
    void hstsAndSecureCookiesWhenTheSiteIsServedOverHttps() {
        var clock = new TestServer.MovableClock();
        try (var engine = io.clvanalytics.engine.Engine.open(dir.resolve("h.duckdb"), clock)) {
            ServerDeps plain = ServerDeps.forTest(engine, dir);
            ServerConfig c = plain.config();
            ServerConfig secure = new ServerConfig(c.db(), c.host(), c.port(), c.sessionDir(), c.idleTimeout(), c.absoluteTimeout(),
                    true, c.cacheTtl(), null, c.metricsAddresses(), c.heavyWorkThreads(), c.requestThreads(), c.uploadMaxBytes());
            TestServer s = TestServer.start(engine, plain.withConfig(secure), clock);
            try {
                var r = s.get(TestServer.browser(), "/login");
                assertTrue(r.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
                assertTrue(r.headers().allValues("Set-Cookie").toString().contains("Secure"), r.headers().map().toString());
            } finally {
                s.stopServer();
            }
            TestServer p = TestServer.start(engine, ServerDeps.forTest(engine, dir.resolve("p")), clock);
            try {
                assertTrue(p.get(TestServer.browser(), "/login").headers().firstValue("Strict-Transport-Security").isEmpty());
            } finally {
                p.stopServer();
            }
        }
    }
}
