package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.users.UserRole;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in, sign-out, lockout and session lifetime over real HTTP. */
class AuthFlowTest {

    @TempDir
    Path dir;

    private static boolean toLogin(HttpResponse<String> r) {
        return r.statusCode() == 302 && r.headers().firstValue("Location").orElse("").endsWith("/login");
    }

    @Test
    void signingInGivesANewSessionIdAndOpensTheDashboard() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ann", UserRole.MANAGER);
            HttpClient http = TestServer.browser();
            assertTrue(toLogin(s.get(http, "/dashboard")));
            String before = TestServer.sessionId(http).orElseThrow();
            var r = s.login(http, "ann", TestServer.PASSWORD);
            assertEquals(303, r.statusCode());
            String after = TestServer.sessionId(http).orElseThrow();
            assertNotEquals(before, after, "the session id changes at sign-in");
            var dash = s.get(http, "/dashboard");
            assertEquals(200, dash.statusCode());
            assertTrue(dash.body().contains("id=\"signed-in-user\">ann<"), dash.body());
            String cookie = dash.headers().allValues("Set-Cookie").toString() + r.headers().allValues("Set-Cookie");
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
            assertFalse(cookie.contains("Secure"), "plain HTTP without CLV_COOKIE_SECURE: no Secure flag");
        }
    }

    @Test
    void theCsrfTokenOfTheAnonymousSessionDiesAtSignIn() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("root", UserRole.ADMIN);
            HttpClient http = TestServer.browser();
            String planted = TestServer.csrfToken(s.get(http, "/login").body());
            s.login(http, "root", TestServer.PASSWORD);
            var r = s.postForm(http, "/admin/tokens", Map.of("user", "root", "label", "x", "pac4jCsrfToken", planted));
            assertEquals(403, r.statusCode());
            assertTrue(s.deps.store().apiTokens().list().isEmpty());
        }
    }

    @Test
    void aWrongPasswordShowsOneGenericErrorWhetherOrNotTheUserExists() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ann", UserRole.MANAGER);
            HttpClient http = TestServer.browser();
            var wrong = s.login(http, "ann", "not the password");
            var ghost = s.login(http, "ghost", "not the password");
            assertEquals(303, wrong.statusCode());
            String a = wrong.headers().firstValue("Location").orElseThrow();
            String b = ghost.headers().firstValue("Location").orElseThrow();
            assertTrue(a.contains("/login?") && a.contains("error="), a);
            assertEquals(a.replace("ann", "X"), b.replace("ghost", "X"), "the same answer for both");
            var page = s.get(http, "/login?error=x");
            assertTrue(page.body().contains("wrong user name or password, or too many attempts"), page.body());
        }
    }

    @Test
    void elevenWrongPasswordsLockTheAccountEvenForTheRightPasswordUntilTheWindowPasses() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ann", UserRole.MANAGER);
            HttpClient http = TestServer.browser();
            for (int i = 0; i < 11; i++) {
                assertEquals(303, s.login(http, "ann", "wrong password " + i).statusCode());
            }
            var locked = s.login(http, "ann", TestServer.PASSWORD);
            assertEquals(303, locked.statusCode());
            assertTrue(locked.headers().firstValue("Location").orElse("").contains("error="), "refused while locked");
            assertTrue(toLogin(s.get(http, "/dashboard")));
            s.clock.advance(Duration.ofMinutes(16));
            assertEquals(303, s.login(http, "ann", TestServer.PASSWORD).statusCode(), "the lock lifts after 15 minutes");
        }
    }

    @Test
    void signingOutKillsTheSessionOnTheServerSoTheOldCookieIsDead() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ann", UserRole.MANAGER);
            HttpClient http = s.signedIn("ann");
            String cookie = TestServer.sessionId(http).orElseThrow();
            String token = TestServer.csrfToken(s.get(http, "/dashboard").body());
            var noToken = s.postForm(http, "/logout", Map.of());
            assertEquals(403, noToken.statusCode(), "sign-out needs the CSRF token");
            assertEquals(200, s.get(http, "/dashboard").statusCode(), "a refused sign-out leaves the session alone");
            var out = s.postForm(http, "/logout", Map.of("pac4jCsrfToken", token));
            assertEquals(303, out.statusCode());
            assertTrue(out.headers().firstValue("Location").orElse("").endsWith("/login?bye"));
            HttpClient replay = TestServer.browser();
            var r = s.get(replay, "/dashboard", b -> b.header("Cookie", "clv_session=" + cookie));
            assertTrue(toLogin(r), "the old session cookie no longer signs in: " + r.statusCode());
        }
    }

    @Test
    void anHtmxCallWithoutASessionGets401NotTheLoginPageSwappedIn() {
        try (TestServer s = TestServer.start(dir)) {
            var r = s.get(TestServer.browser(), "/dashboard", b -> b.header("HX-Request", "true"));
            assertEquals(401, r.statusCode());
        }
    }

    @Test
    void aSessionEndsAfterTheIdleTimeout() throws Exception {
        var clock = new TestServer.MovableClock();
        try (var engine = io.clvanalytics.engine.Engine.open(dir.resolve("i.duckdb"), clock)) {
            new io.clvanalytics.engine.users.Users(engine).add("ann", UserRole.MANAGER, TestServer.PASSWORD);
            ServerDeps deps = ServerDeps.forTest(engine, dir);
            ServerConfig c = deps.config().withSessions(dir.resolve("idle"), Duration.ofSeconds(2), Duration.ofHours(8));
            TestServer s = TestServer.start(engine, deps.withConfig(c), clock);
            try {
                HttpClient http = s.signedIn("ann");
                assertEquals(200, s.get(http, "/dashboard").statusCode());
                // Jetty measures idleness in real time (the engine clock cannot drive it).
                Thread.sleep(3_500);
                assertTrue(toLogin(s.get(http, "/dashboard")));
            } finally {
                s.stopServer();
            }
        }
    }

    @Test
    void aSessionEndsAfterItsAbsoluteLifetimeWhateverTheActivity() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ann", UserRole.MANAGER);
            HttpClient http = s.signedIn("ann");
            s.clock.advance(Duration.ofHours(7).plusMinutes(59));
            assertEquals(200, s.get(http, "/dashboard").statusCode());
            s.clock.advance(Duration.ofMinutes(2));
            assertTrue(toLogin(s.get(http, "/dashboard")));
        }
    }

    @Test
    void sessionsSurviveARestartAndTheirFolderIsPrivate() throws Exception {
        TestServer.MovableClock clock = new TestServer.MovableClock();
        try (var engine = io.clvanalytics.engine.Engine.open(dir.resolve("r.duckdb"), clock)) {
            new io.clvanalytics.engine.users.Users(engine).add("ann", UserRole.MANAGER, TestServer.PASSWORD);
            ServerDeps deps = ServerDeps.forTest(engine, dir);
            TestServer first = TestServer.start(engine, deps, clock);
            HttpClient http = first.signedIn("ann");
            assertEquals(200, first.get(http, "/dashboard").statusCode());
            first.stopServer();
            TestServer second = TestServer.start(engine, ServerDeps.forTest(engine, dir), clock);
            try {
                var r = second.get(http, "/dashboard");
                assertEquals(200, r.statusCode(), "still signed in after the restart");
                assertTrue(r.body().contains("id=\"signed-in-user\">ann<"));
            } finally {
                second.stopServer();
            }
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(deps.config().sessionDir())));
        }
    }

    @Test
    void aSignInPostedFromAnotherSiteOrWithoutTheFormTokenIsRefused() {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ann", UserRole.MANAGER);
            HttpClient http = TestServer.browser();
            String token = TestServer.csrfToken(s.get(http, "/login").body());
            Map<String, String> form = Map.of("username", "ann", "password", TestServer.PASSWORD, "pac4jCsrfToken", token);
            assertEquals(403, s.postForm(http, "/callback", form, b -> b.header("Sec-Fetch-Site", "cross-site")).statusCode());
            assertEquals(403, s.postForm(http, "/callback", form, b -> b.header("Origin", "https://evil.example")).statusCode());
            assertEquals(403, s.postForm(TestServer.browser(), "/callback", form).statusCode(), "another browser's token");
            assertEquals(403, s.postForm(http, "/callback", Map.of("username", "ann", "password", TestServer.PASSWORD))
                    .statusCode());
            assertEquals(303, s.postForm(http, "/callback", form, b -> b.header("Sec-Fetch-Site", "same-origin")).statusCode());
        }
    }
}
