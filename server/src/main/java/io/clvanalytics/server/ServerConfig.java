package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the server is told from outside, read once at start from flags and environment
 * variables (flags win). README's configuration table lists each setting.
 *
 * @param db                 the store file ({@code --db}, {@code CLV_DB})
 * @param host               the address to listen on ({@code --host}, {@code CLV_HOST})
 * @param port               the port ({@code --port}, {@code CLV_PORT}); 0 picks a free one
 * @param sessionDir         where sessions are kept across restarts ({@code --session-dir}, {@code CLV_SESSION_DIR};
 *                           default {@code sessions/} beside the store)
 * @param idleTimeout        a session ends after this long without a request ({@code CLV_SESSION_IDLE_MINUTES}, 30)
 * @param absoluteTimeout    a session ends this long after sign-in whatever happens ({@code CLV_SESSION_MAX_HOURS}, 8)
 * @param cookieSecure       mark cookies {@code Secure} and send HSTS ({@code CLV_COOKIE_SECURE=true}; behind a TLS proxy)
 * @param cacheTtl           the backstop lifetime of cached query results ({@code CLV_CACHE_TTL} seconds, 300)
 * @param adminPassword      the first admin's password when the store has no user yet ({@code CLV_ADMIN_PASSWORD});
 *                           null: a random one is generated and printed once
 * @param metricsAddresses   client addresses allowed to read {@code /metrics} without a token ({@code CLV_METRICS_ALLOW},
 *                           comma-separated; default none)
 * @param heavyWorkThreads   how many heavy jobs (fit, score, import, reports) run at once ({@code CLV_HEAVY_THREADS}, 1)
 * @param requestThreads     Jetty's maximum request threads ({@code CLV_REQUEST_THREADS}, 24); each holds its own store connection
 * @param uploadMaxBytes     the largest file an admin may upload for import ({@code CLV_UPLOAD_MAX_MB} megabytes, 200)
 */
public record ServerConfig(Path db, String host, int port, Path sessionDir, Duration idleTimeout, Duration absoluteTimeout,
                           boolean cookieSecure, Duration cacheTtl, String adminPassword, Set<String> metricsAddresses,
                           int heavyWorkThreads, int requestThreads, long uploadMaxBytes) {

    public ServerConfig {
        metricsAddresses = Set.copyOf(metricsAddresses);
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("session timeouts: idle (" + idleTimeout + ") must be positive and not above"
                    + " the absolute lifetime (" + absoluteTimeout + ")");
        }
    }

    /** Reads flags ({@code --db}, {@code --host}, {@code --port}, {@code --session-dir}) and the environment. */
    public static ServerConfig from(String[] args, Map<String, String> env) {
        Map<String, String> flags = new java.util.HashMap<>();
        List<String> known = List.of("--db", "--host", "--port", "--session-dir");
        for (int i = 0; i < args.length; i++) {
            if (!known.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option '" + args[i] + "'; known options: " + known
                        + " each followed by a value");
            }
            flags.put(args[i], args[++i]);
        }
        Path db = flags.containsKey("--db") ? Path.of(flags.get("--db"))
                : Engine.resolveDbPath(blank(env.get(Engine.DB_ENV)) ? null : Path.of(env.get(Engine.DB_ENV)));
        String sessions = flags.getOrDefault("--session-dir", env.get("CLV_SESSION_DIR"));
        Path sessionDir = blank(sessions) ? defaultSessionDir(db) : Path.of(sessions);
        return new ServerConfig(db,
                flags.getOrDefault("--host", value(env, "CLV_HOST", "127.0.0.1")),
                integer("--port/CLV_PORT", flags.getOrDefault("--port", value(env, "CLV_PORT", "7070"))),
                sessionDir,
                Duration.ofMinutes(integer("CLV_SESSION_IDLE_MINUTES", value(env, "CLV_SESSION_IDLE_MINUTES", "30"))),
                Duration.ofHours(integer("CLV_SESSION_MAX_HOURS", value(env, "CLV_SESSION_MAX_HOURS", "8"))),
                Boolean.parseBoolean(value(env, "CLV_COOKIE_SECURE", "false")),
                Duration.ofSeconds(integer("CLV_CACHE_TTL", value(env, "CLV_CACHE_TTL", "300"))),
                blank(env.get("CLV_ADMIN_PASSWORD")) ? null : env.get("CLV_ADMIN_PASSWORD"),
                list(env.get("CLV_METRICS_ALLOW")),
                integer("CLV_HEAVY_THREADS", value(env, "CLV_HEAVY_THREADS", "1")),
                integer("CLV_REQUEST_THREADS", value(env, "CLV_REQUEST_THREADS", "24")),
                integer("CLV_UPLOAD_MAX_MB", value(env, "CLV_UPLOAD_MAX_MB", "200")) * MB);
    }

    /** Defaults for tests: loopback, port 0, sessions in {@code dir/sessions}. */
    public static ServerConfig forTest(Path db, Path dir) {
        return new ServerConfig(db, "127.0.0.1", 0, dir.resolve("sessions"), Duration.ofMinutes(30), Duration.ofHours(8),
                false, Duration.ofSeconds(300), null, Set.of(), 1, 16, 200 * MB);
    }

    private static final long MB = 1024L * 1024;

    /** The same settings with another upload size limit. */
    public ServerConfig withUploadMaxBytes(long bytes) {
        return new ServerConfig(db, host, port, sessionDir, idleTimeout, absoluteTimeout, cookieSecure, cacheTtl, adminPassword,
                metricsAddresses, heavyWorkThreads, requestThreads, bytes);
    }

    /** The same settings with another session folder and timeouts (tests of expiry and restarts). */
    public ServerConfig withSessions(Path dir, Duration idle, Duration absolute) {
        return new ServerConfig(db, host, port, dir, idle, absolute, cookieSecure, cacheTtl, adminPassword, metricsAddresses,
                heavyWorkThreads, requestThreads, uploadMaxBytes);
    }

    /** The same settings with another list of addresses allowed to read /metrics. */
    public ServerConfig withMetricsAddresses(Set<String> addresses) {
        return new ServerConfig(db, host, port, sessionDir, idleTimeout, absoluteTimeout, cookieSecure, cacheTtl, adminPassword,
                addresses, heavyWorkThreads, requestThreads, uploadMaxBytes);
    }

    static Path defaultSessionDir(Path db) {
        Path parent = db.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("sessions") : parent.resolve("sessions");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return blank(v) ? fallback : v.trim();
    }

    private static int integer(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number >= 0");
        }
    }

    private static Set<String> list(String csv) {
        List<String> out = new ArrayList<>();
        if (!blank(csv)) {
            for (String s : csv.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return Set.copyOf(out);
    }
}
