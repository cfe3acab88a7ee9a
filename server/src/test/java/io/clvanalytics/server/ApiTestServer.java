package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.engine.users.Users;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The real app over a generated, scored store (600 customers, BG/NBD scores, a retention run, a
 * quality run) with one user and API token per role. One customer and one product are named
 * {@value #SCRIPT_NAME}. Shared by the API tests of one JVM.
 */
public final class ApiTestServer {

    public static final String SCRIPT_NAME = "<script>alert(1)</script>";

    private static ApiTestServer shared;

    public final Engine engine;
    public final ServerDeps deps;
    public final Javalin app;
    /** The source id of the customer named {@link #SCRIPT_NAME} (high or critical risk). */
    public final String scriptCustomer;
    private final HttpClient http = HttpClient.newHttpClient();
    /** An API token per role name (manager, analyst, admin). */
    private final Map<String, String> tokens = new HashMap<>();

    private ApiTestServer(Path dir) throws Exception {
        engine = Engine.open(dir.resolve("api.duckdb"));
        DemoDataGenerator.generate(engine, GeneratorConfig.defaults(600, 11).withProducts(25), DemoDataGenerator.ProgressListener.NONE, 2);
        ClvService.on(engine).score("bgnbd", 12, 0.01);
        RetentionService.of(engine).score(RetentionSettings.defaults());
        io.clvanalytics.engine.quality.DataQuality.of(engine).run();
        try (Connection c = engine.connect()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT c.source_id FROM retention_scores r JOIN customers c ON c.id = r.customer_id
                    WHERE lower(r.risk_level) IN ('high', 'critical') ORDER BY r.value_at_risk DESC NULLS LAST LIMIT 1""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                scriptCustomer = rs.getString(1);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET name = ? WHERE source_id = ?")) {
                ps.setString(1, SCRIPT_NAME);
                ps.setString(2, scriptCustomer);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE products SET name = ? WHERE id = (SELECT min(id) FROM products WHERE is_product)")) {
                ps.setString(1, SCRIPT_NAME);
                ps.executeUpdate();
            }
        }
        deps = ServerDeps.forTest(engine, dir);
        app = ServerApp.create(deps).start("127.0.0.1", 0);
        for (UserRole role : UserRole.values()) {
            String user = "api-" + role.id();
            new Users(engine).add(user, role, TestServer.PASSWORD);
            tokens.put(role.id(), new ApiTokens(engine).create(user, "api tests", Optional.empty()).secret());
        }
    }

    /** The server shared by this JVM's API tests (built on first use, stopped at exit). */
    public static synchronized ApiTestServer shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("clv-api-test");
                shared = new ApiTestServer(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    shared.app.stop();
                    shared.engine.close();
                }));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + app.port() + pathAndQuery;
    }

    /** GET {@code pathAndQuery} in a browser session signed in through the sign-in form as the user of {@code role}. */
    public HttpResponse<String> signedInGet(String pathAndQuery, String role) {
        HttpClient browser = TestServer.browser();
        try {
            String login = browser.send(HttpRequest.newBuilder(URI.create(url("/login"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String form = "username=api-" + role + "&password=" + java.net.URLEncoder.encode(TestServer.PASSWORD,
                    java.nio.charset.StandardCharsets.UTF_8) + "&pac4jCsrfToken=" + java.net.URLEncoder.encode(
                    TestServer.csrfToken(login), java.nio.charset.StandardCharsets.UTF_8);
            HttpResponse<String> signIn = browser.send(HttpRequest.newBuilder(URI.create(url("/callback?client_name=FormClient")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", url(""))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (signIn.statusCode() != 303) {
                throw new AssertionError("sign-in as api-" + role + " failed: " + signIn.statusCode());
            }
            return browser.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET {@code pathAndQuery} with the API token of {@code role} (manager, analyst, admin; {@code null}: none). */
    public HttpResponse<String> get(String pathAndQuery, String role) {
        return send("GET", pathAndQuery, null, role);
    }

    /** {@code method} {@code pathAndQuery} with a JSON body (or none) and the API token of {@code role} ({@code null}: none). */
    public HttpResponse<String> send(String method, String pathAndQuery, String jsonBody, String role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (role != null) {
            b.header("Authorization", "Bearer " + tokens.get(role));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
