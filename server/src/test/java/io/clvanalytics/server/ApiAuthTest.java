package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.users.UserRole;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
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
    void aTokensLastUseIsRecordedAtMostOnceAMinuteAndShownOnTheAdminTokensPage() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("root", UserRole.ADMIN);
            s.addUser("ana", UserRole.ANALYST);
            String token = s.token("ana");
            HttpClient http = TestServer.browser();
            var admin = s.signedIn("root");
            assertTrue(s.get(admin, "/admin/tokens").body().contains("<td class=\"token-last-used\">never</td>"));
            java.time.Instant first = s.clock.instant();
            assertEquals(200, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + token)).statusCode());
            assertEquals(utc(first), lastUsed(s));
            s.clock.advance(java.time.Duration.ofSeconds(59));
            assertEquals(200, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + token)).statusCode());
            assertEquals(utc(first), lastUsed(s), "not written again within the minute");
            s.clock.advance(java.time.Duration.ofSeconds(1));
            assertEquals(200, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + token)).statusCode());
            assertEquals(utc(s.clock.instant()), lastUsed(s), "written again a minute later");
            assertTrue(s.get(admin, "/admin/tokens").body().contains("<td class=\"token-last-used\">" + utc(s.clock.instant()) + "</td>"));
        }
    }

    @Test
    void aRememberedTokenStillStopsAtItsExpiryAndWhenItsOwnerIsDisabled() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ana", UserRole.ANALYST);
            String hour = s.deps.store().apiTokens().create("ana", "an hour", java.util.Optional.of(s.clock.instant().plusSeconds(3600)))
                    .secret();
            String forever = s.token("ana");
            HttpClient http = TestServer.browser();
            for (int i = 0; i < 2; i++) {
                assertEquals(200, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + hour)).statusCode());
                assertEquals(200, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + forever)).statusCode());
            }
            s.clock.advance(java.time.Duration.ofMinutes(61));
            assertEquals(401, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + hour)).statusCode(), "expired");
            assertEquals(200, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + forever)).statusCode());
            s.deps.store().users().disable("ana");
            assertEquals(401, s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + forever)).statusCode(),
                    "owner disabled");
        }
    }

    @Test
    void concurrentFirstRequestsToAFreshServerAreAllAnswered() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ana", UserRole.ANALYST);
            String token = s.token("ana");
            HttpClient http = TestServer.browser();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                var start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return s.get(http, "/api/whoami", b -> b.header("Authorization", "Bearer " + token)).statusCode();
                    }));
                }
                start.countDown();
                for (var a : answers) {
                    assertEquals(200, a.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static java.time.LocalDateTime lastUsed(TestServer s) {
        return s.deps.store().apiTokens().list().get(0).lastUsedAt().orElseThrow();
    }

    private static java.time.LocalDateTime utc(java.time.Instant i) {
        return java.time.LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC);
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
