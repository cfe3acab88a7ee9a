package io.clvanalytics.server.auth;

/**
 * How the server tells API clients from browsers: by path. Everything under {@code /api/} (and
 * {@code /metrics}) is the machine API: bearer tokens only, JSON errors, no session and no CSRF.
 * Every other path is a browser page or form: session login, CSRF, HTML errors.
 */
public final class RequestKind {

    private RequestKind() {}

    /** True for paths of the machine API. */
    public static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics");
    }
}
