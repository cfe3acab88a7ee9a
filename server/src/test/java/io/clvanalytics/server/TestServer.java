package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.engine.users.Users;
import io.javalin.Javalin;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real server on a random loopback port over a real DuckDB file, for tests, with helpers to add
 * users, sign in over HTTP and send forms. Close it to stop the server and the store.
 */
public final class TestServer implements AutoCloseable {

    /** The password every test user gets. */
    public static final String PASSWORD = "a long test password";

    /** A clock tests move forward (lockouts, token expiry, session lifetime). */
    public static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-03-02T10:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }

        public void advance(Duration d) {
            now = now.plus(d);
        }
    }

    public final Engine engine;
    public final ServerDeps deps;
    public final Javalin app;
    public final MovableClock clock;

    private TestServer(Engine engine, ServerDeps deps, MovableClock clock, Consumer<Javalin> extraRoutes) {
        this.engine = engine;
        this.deps = deps;
        this.clock = clock;
        Javalin a = ServerApp.create(deps);
        extraRoutes.accept(a);
        this.app = a.start("127.0.0.1", 0);
    }

    /** A new store in {@code dir} and a server over it with test settings. */
    public static TestServer start(Path dir) {
        return start(dir, a -> { });
    }

    /** Like {@link #start(Path)}, with test-only routes added before the start. */
    public static TestServer start(Path dir, Consumer<Javalin> extraRoutes) {
        MovableClock clock = new MovableClock();
        Engine engine = Engine.open(dir.resolve("store.duckdb"), clock);
        return new TestServer(engine, ServerDeps.forTest(engine, dir), clock, extraRoutes);
    }

    /** A server over an open {@code engine} (opened with {@code clock}) with {@code deps}. */
    public static TestServer start(Engine engine, ServerDeps deps, MovableClock clock) {
        return new TestServer(engine, deps, clock, a -> { });
    }

    /** A server over the existing store {@code store} (e.g. a {@link DemoStore}) with test settings. */
    public static TestServer over(Path store, Path dir) {
        MovableClock clock = new MovableClock();
        Engine engine = Engine.open(store, clock);
        return new TestServer(engine, ServerDeps.forTest(engine, dir), clock, a -> { });
    }

    private final Map<io.clvanalytics.server.auth.Role, HttpClient> roleClients = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A browser signed in as a user holding {@code role} (created on first use as {@code test-ROLE});
     * null gives an anonymous browser.
     */
    public HttpClient as(io.clvanalytics.server.auth.Role role) {
        if (role == null) {
            return browser();
        }
        return roleClients.computeIfAbsent(role, r -> {
            String name = "test-" + r.name().toLowerCase(java.util.Locale.ROOT);
            addUser(name, UserRole.valueOf(r.name()));
            return signedIn(name);
        });
    }

    /** GET {@code path} signed in with {@code role} (null: anonymous). */
    public HttpResponse<String> getAs(io.clvanalytics.server.auth.Role role, String path) {
        return get(as(role), path);
    }

    /** POST {@code form} to {@code path} signed in with {@code role}, with the CSRF token of {@code page}. */
    public HttpResponse<String> postAs(io.clvanalytics.server.auth.Role role, String page, String path, Map<String, String> form,
                                       UnaryOperator<HttpRequest.Builder> more) {
        HttpClient http = as(role);
        Map<String, String> withToken = new LinkedHashMap<>(form);
        withToken.put("pac4jCsrfToken", csrfToken(get(http, page).body()));
        return postForm(http, path, withToken, more);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    // ---- users and tokens

    public void addUser(String name, UserRole role) {
        new Users(engine).add(name, role, PASSWORD);
    }

    public String token(String user) {
        return new ApiTokens(engine).create(user, "test", Optional.empty()).secret();
    }

    // ---- HTTP

    /** An HTTP client that keeps cookies (a browser session) and does not follow redirects. */
    public static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A fresh browser signed in as {@code name} with {@link #PASSWORD}. */
    public HttpClient signedIn(String name) {
        HttpClient http = browser();
        var r = login(http, name, PASSWORD);
        if (r.statusCode() != 303 || !r.headers().firstValue("Location").orElse("").endsWith("/dashboard")) {
            throw new AssertionError("sign-in of " + name + " failed: " + r.statusCode() + " " + r.headers().map());
        }
        return http;
    }

    /** Opens /login and posts its form; answers the callback's response (303 to /dashboard on success). */
    public HttpResponse<String> login(HttpClient http, String name, String password) {
        String token = csrfToken(get(http, "/login").body());
        return postForm(http, "/callback?client_name=FormClient", Map.of("username", name, "password", password,
                "pac4jCsrfToken", token));
    }

    /** The CSRF token of a page (its meta tag). */
    public static String csrfToken(String html) {
        Matcher m = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no csrf-token meta tag in " + html);
        }
        return m.group(1);
    }

    /** The session cookie's value in {@code http}'s jar, if any. */
    public static Optional<String> sessionId(HttpClient http) {
        CookieManager jar = (CookieManager) http.cookieHandler().orElseThrow();
        return jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("clv_session"))
                .map(HttpCookie::getValue).findFirst();
    }

    public HttpResponse<String> get(HttpClient http, String path) {
        return send(http, HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    public HttpResponse<String> get(HttpClient http, String path, UnaryOperator<HttpRequest.Builder> more) {
        return send(http, more.apply(HttpRequest.newBuilder(URI.create(url(path))).GET()));
    }

    public HttpResponse<String> postForm(HttpClient http, String path, Map<String, String> form) {
        return postForm(http, path, form, b -> b);
    }

    public HttpResponse<String> postForm(HttpClient http, String path, Map<String, String> form,
                                         UnaryOperator<HttpRequest.Builder> more) {
        return sendForm(http, "POST", path, form, more);
    }

    /** Sends {@code form} url-encoded with {@code method} (POST, PUT, PATCH, DELETE). */
    public HttpResponse<String> sendForm(HttpClient http, String method, String path, Map<String, String> form,
                                         UnaryOperator<HttpRequest.Builder> more) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(http, more.apply(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body))));
    }

    public HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server, keeping the store open (restart tests). */
    public void stopServer() {
        app.stop();
    }

    @Override
    public void close() {
        app.stop();
        engine.close();
    }
}
