package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame every feature plugs into: public pages, static files, errors, fail-closed routes. */
class SkeletonTest {

    @TempDir
    Path dir;

    @Test
    void theLandingPageIsPublicInTheLayoutWithItsStylesheetAndScripts() {
        try (TestServer s = TestServer.start(dir)) {
            HttpClient http = TestServer.browser();
            var home = s.get(http, "/");
            assertEquals(200, home.statusCode());
            assertTrue(home.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(home.body().contains("href=\"/login\""), home.body());
            for (String asset : new String[] {"/static/css/app.css", "/static/js/app.js",
                    io.clvanalytics.server.web.Assets.BOOTSTRAP_CSS, io.clvanalytics.server.web.Assets.HTMX_JS}) {
                assertTrue(home.body().contains(asset), asset);
                assertEquals(200, s.get(http, asset).statusCode(), asset);
            }
        }
    }

    @Test
    void aRouteThatDeclaresNoRoleCannotBeRegistered() {
        try (Engine engine = Engine.open(dir.resolve("x.duckdb"))) {
            Javalin app = ServerApp.create(ServerDeps.forTest(engine, dir));
            var e = assertThrows(IllegalStateException.class, () -> app.get("/forgotten", ctx -> ctx.result("secret")));
            assertTrue(e.getMessage().contains("/forgotten declares no roles"), e.getMessage());
        }
    }

    @Test
    void unknownPagesGetTheHtmlErrorPageAndUnknownApiPathsTheJsonError() {
        try (TestServer s = TestServer.start(dir)) {
            HttpClient http = TestServer.browser();
            var page = s.get(http, "/no/such/page");
            assertEquals(404, page.statusCode());
            assertTrue(page.body().contains("id=\"error-status\">404"), page.body());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            var api = s.get(http, "/api/no-such-thing");
            assertEquals(404, api.statusCode());
            assertEquals("{\"error\":{\"code\":\"not_found\",\"message\":\"There is nothing at this address.\",\"field\":null}}",
                    api.body());
        }
    }

    @Test
    void theDashboardIsNotShownToAnonymousVisitors() {
        try (TestServer s = TestServer.start(dir)) {
            var r = s.get(TestServer.browser(), "/dashboard");
            assertFalse(r.statusCode() == 200, "status " + r.statusCode());
            assertFalse(r.body().contains("id=\"kpis\""));
        }
    }

    @Test
    void healthAnswersTheSchemaVersionAndNoPath() {
        try (TestServer s = TestServer.start(dir)) {
            var r = s.get(TestServer.browser(), "/health");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"schema_version\":" + s.engine.schemaVersion()), r.body());
            assertFalse(r.body().contains(dir.toString()), r.body());
        }
    }
}
