package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.engine.users.Users;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void withNoConfigurationTheServerUsesTheDocumentedDefaults() {
        ServerConfig c = ServerConfig.from(new String[0], Map.of());
        assertEquals(Path.of("data", "clv.duckdb"), c.db());
        assertEquals("127.0.0.1", c.host());
        assertEquals(7070, c.port());
        assertEquals(Path.of("data", "sessions").toAbsolutePath(), c.sessionDir());
        assertEquals(Duration.ofMinutes(30), c.idleTimeout());
        assertEquals(Duration.ofHours(8), c.absoluteTimeout());
        assertEquals(false, c.cookieSecure());
        assertEquals(Duration.ofSeconds(300), c.cacheTtl());
        assertNull(c.adminPassword());
        assertEquals(Set.of(), c.metricsAddresses());
        assertEquals(200L * 1024 * 1024, c.uploadMaxBytes());
        assertEquals(5L * 1024 * 1024, ServerConfig.from(new String[0], Map.of("CLV_UPLOAD_MAX_MB", "5")).uploadMaxBytes());
    }

    @Test
    void flagsWinOverTheEnvironment() {
        ServerConfig c = ServerConfig.from(new String[] {"--db", "/srv/a.duckdb", "--port", "9000", "--host", "0.0.0.0",
                "--session-dir", "/srv/s"}, Map.of("CLV_DB", "/x.duckdb", "CLV_PORT", "1", "CLV_HOST", "h",
                "CLV_SESSION_IDLE_MINUTES", "10", "CLV_SESSION_MAX_HOURS", "2", "CLV_COOKIE_SECURE", "true",
                "CLV_CACHE_TTL", "60", "CLV_ADMIN_PASSWORD", "p", "CLV_METRICS_ALLOW", "10.0.0.1, 10.0.0.2"));
        assertEquals(Path.of("/srv/a.duckdb"), c.db());
        assertEquals(9000, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals(Path.of("/srv/s"), c.sessionDir());
        assertEquals(Duration.ofMinutes(10), c.idleTimeout());
        assertEquals(Duration.ofHours(2), c.absoluteTimeout());
        assertTrue(c.cookieSecure());
        assertEquals(Duration.ofSeconds(60), c.cacheTtl());
        assertEquals(Set.of("10.0.0.1", "10.0.0.2"), c.metricsAddresses());
        assertEquals(Path.of("/x/sessions"), ServerConfig.from(new String[0], Map.of("CLV_DB", "/x/y.duckdb")).sessionDir());
    }

    @Test
    void badSettingsNameTheSettingAndTheRule() {
        var e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(new String[] {"--port", "http"}, Map.of()));
        assertTrue(e.getMessage().contains("--port/CLV_PORT: 'http' is not a whole number"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(new String[] {"--verbose"}, Map.of()));
        assertTrue(u.getMessage().contains("unknown or incomplete option '--verbose'"), u.getMessage());
        var t = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(new String[0],
                Map.of("CLV_SESSION_IDLE_MINUTES", "600", "CLV_SESSION_MAX_HOURS", "1")));
        assertTrue(t.getMessage().contains("session timeouts"), t.getMessage());
    }

    @Test
    void theFirstAdminGetsARandomPasswordPrintedOnceOrTheConfiguredOne() {
        try (Engine engine = Engine.open(dir.resolve("a.duckdb"))) {
            ServerDeps deps = ServerDeps.forTest(engine, dir);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FirstAdmin.ensure(deps.store(), null, new PrintStream(out, true, StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("with the password (\\S{20})").matcher(out.toString(StandardCharsets.UTF_8));
            assertTrue(m.find(), out.toString(StandardCharsets.UTF_8));
            Users users = new Users(engine);
            assertEquals(UserRole.ADMIN, users.verify("admin", m.group(1)).orElseThrow().role());
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            FirstAdmin.ensure(deps.store(), null, new PrintStream(again, true, StandardCharsets.UTF_8));
            assertEquals("", again.toString(StandardCharsets.UTF_8), "printed only on the first start");
        }
        try (Engine engine = Engine.open(dir.resolve("b.duckdb"))) {
            ServerDeps deps = ServerDeps.forTest(engine, dir);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FirstAdmin.ensure(deps.store(), "configured admin secret", new PrintStream(out, true, StandardCharsets.UTF_8));
            assertTrue(new Users(engine).verify("admin", "configured admin secret").isPresent());
            assertTrue(!out.toString(StandardCharsets.UTF_8).contains("configured admin secret"));
        }
    }
}
