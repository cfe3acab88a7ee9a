package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.users.UserRole;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens: the API's only key; never a key to pages or forms; sessions never open the API. */
class ApiAuthTest {

    @TempDir
    Path dir;

    @Test
    void aTokenActsWithItsUsersRoleUntilRevoked() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ana", UserRole.ANALYST);
            String token = s.token("ana");
            HttpClient http = TestServer.browser();
            var r = s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + token));
            assertEquals(200, r.statusCode());
            assertEquals("{\"user\":\"ana\",\"roles\":[\"analyst\"]}".length(), r.body().length(), r.body());
            assertTrue(r.body().contains("\"user\":\"ana\"") && r.body().contains("[\"analyst\"]"), r.body());
            assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "the API makes no session");
            long id = s.deps.store().apiTokens().list().get(0).id();
            s.deps.store().apiTokens().revoke(id);
            var revoked = s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + token));
            assertEquals(401, revoked.statusCode());
            assertEquals("{\"error\":{\"code\":\"unauthenticated\",\"message\":\"Sign in first, or send a valid API token"
                    + " (Authorization: Bearer ...).\",\"field\":null}}", revoked.body());
            assertEquals(401, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer clv_1_nonsense")).statusCode());
        }
    }

    @Test
    void aSignedInBrowsersSessionDoesNotOpenTheApi() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("root", UserRole.ADMIN);
            HttpClient http = s.signedIn("root");
            assertEquals(401, s.get(http, "/api/whoami").statusCode());
            assertEquals(401, s.get(http, "/metrics").statusCode());
        }
    }

    @Test
    void aTokenNeverOpensAPageNorSubmitsAForm() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("root", UserRole.ADMIN);
            String token = s.token("root");
            HttpClient http = TestServer.browser();
            var page = s.get(http, "/admin/tokens", b -> b.header("Authorization", "Bearer " + token));
            assertEquals(302, page.statusCode());
            var form = s.postForm(http, "/admin/tokens", Map.of("user", "root", "label", "via token"),
                    b -> b.header("Authorization", "Bearer " + token));
            assertTrue(form.statusCode() == 303 && form.headers().firstValue("Location").orElse("").endsWith("/login"),
                    "sent to sign in: " + form.statusCode());
            assertEquals(1, s.deps.store().apiTokens().list().size(), "no token was made");
        }
    }

    @Test
    void metricsAreForAdminTokensOrAllowedAddressesAndHaveLatencyHistogramsByRoute() {
        var clock = new TestServer.MovableClock();
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("root", UserRole.ADMIN);
            s.addUser("ana", UserRole.ANALYST);
            String admin = s.token("root");
            HttpClient http = TestServer.browser();
            s.get(http, "/health");
            var r = s.get(http, "/metrics", b -> b.header("Authorization", "Bearer " + admin));
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(r.body().contains("jetty_server_requests_seconds_bucket{") && r.body().contains("uri=\"/health\""), r.body());
            assertTrue(r.body().contains("jvm_memory_used_bytes"));
            assertEquals(403, s.get(http, "/metrics", b -> b.header("Authorization", "Bearer " + s.token("ana"))).statusCode());
            assertEquals(401, s.get(http, "/metrics").statusCode());
        }
        try (var engine = io.clvanalytics.engine.Engine.open(dir.resolve("m.duckdb"), clock)) {
            ServerDeps deps = ServerDeps.forTest(engine, dir.resolve("m"));
            TestServer s = TestServer.start(engine, deps.withConfig(deps.config().withMetricsAddresses(Set.of("127.0.0.1"))), clock);
            try {
                assertEquals(200, s.get(TestServer.browser(), "/metrics").statusCode(), "a configured scraper address");
            } finally {
                s.stopServer();
            }
        }
    }
}
