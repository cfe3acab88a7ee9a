package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import io.javalin.Javalin;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A real server on a random loopback port over a real DuckDB file, for tests. Close it to stop the
 * server and the store.
 */
public final class TestServer implements AutoCloseable {

    public final Engine engine;
    public final ServerDeps deps;
    public final Javalin app;

    private TestServer(Engine engine, ServerDeps deps) {
        this.engine = engine;
        this.deps = deps;
        this.app = ServerApp.create(deps).start("127.0.0.1", 0);
    }

    /** A new store in {@code dir} and a server over it with test settings. */
    public static TestServer start(Path dir) {
        Engine engine = Engine.open(dir.resolve("store.duckdb"));
        return new TestServer(engine, ServerDeps.forTest(engine, dir));
    }

    /** A server over {@code engine} with {@code deps}, e.g. after changing the configuration. */
    public static TestServer start(Engine engine, ServerDeps deps) {
        return new TestServer(engine, deps);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    /** An HTTP client that keeps cookies (a browser session) and does not follow redirects. */
    public static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpResponse<String> get(HttpClient http, String path) {
        return send(http, HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    public HttpResponse<String> get(HttpClient http, String path, UnaryOperator<HttpRequest.Builder> more) {
        return send(http, more.apply(HttpRequest.newBuilder(URI.create(url(path))).GET()));
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

    @Override
    public void close() {
        app.stop();
        engine.close();
    }
}
