package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.server.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the server against every kind of caller: anonymous, a manager, an analyst and an
 * admin signed in by session, and an analyst's API token. The test fails when the server has a
 * route without a row here (or a row without a route).
 *
 * <p><b>Adding a route?</b> Add one row to {@link #ROWS}, stating who may use it:
 * <ul>
 *   <li>{@code page("/clients", MANAGER, ANALYST, ADMIN)}: a browser page (GET); others get 403,
 *       anonymous callers and tokens are sent to /login.</li>
 *   <li>{@code form("/quality/runs", Map.of("field", "value"), ANALYST, ADMIN)}: a browser POST; it is
 *       sent with the caller's valid CSRF token (and also checked with bad tokens by {@code CsrfTest}).</li>
 *   <li>{@code api("/api/clients", MANAGER, ANALYST, ADMIN)}: a JSON API route (GET under /api/):
 *       sessions get 401, the analyst's token 200 or 403. Other methods:
 *       {@code api("POST", "/api/x/{id}/run", "/api/x/1/run", Map.of(), ANALYST, ADMIN)}.</li>
 *   <li>{@code form("PUT", "/x/{id}", "/x/1", Map.of(...), ADMIN)}: a browser PUT/PATCH/DELETE.</li>
 *   <li>{@code open("GET", "/health")}: public.</li>
 *   <li>Paths with parameters give the template and a concrete path: {@code page("/client/{id}", "/client/1", ...)}.</li>
 * </ul>
 * "OK" means the request reached the route's handler (any status but 401, 403 or a redirect to
 * /login: a 400 or 404 from the handler still proves the gate let the caller in).
 */
class RouteRoleMatrixTest {

    /** Who calls. */
    enum Who { ANONYMOUS, MANAGER, ANALYST, ADMIN, ANALYST_TOKEN }

    /** What the caller gets. */
    enum Outcome { OK, TO_LOGIN, UNAUTHENTICATED, FORBIDDEN }

    /**
     * One route and what each caller gets.
     *
     * @param method   HTTP method
     * @param template the path as registered
     * @param path     a concrete path to call
     * @param form     form fields for POSTs (the CSRF token is added)
     * @param expected per caller
     */
    record Row(String method, String template, String path, Map<String, String> form, Map<Who, Outcome> expected) {}

    static final Role MANAGER = Role.MANAGER;
    static final Role ANALYST = Role.ANALYST;
    static final Role ADMIN = Role.ADMIN;

    static final List<Row> ROWS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            open("GET", "/"),
            open("GET", "/login"),
            open("GET", "/health"),
            special("POST", "/callback", "/callback", Map.of("username", "nobody", "password", "wrong password!"),
                    Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK, Outcome.FORBIDDEN),
            page("/dashboard", MANAGER, ANALYST, ADMIN),
            page("/charts/clv-distribution", MANAGER, ANALYST, ADMIN),
            page("/charts/monthly-revenue", MANAGER, ANALYST, ADMIN),
            page("/charts/segment-mix", MANAGER, ANALYST, ADMIN),
            page("/charts/top-products", MANAGER, ANALYST, ADMIN),
            page("/charts/quality-history", ANALYST, ADMIN),
            page("/charts/survival", ANALYST, ADMIN),
            page("/charts/product-trend/{product}", "/charts/product-trend/P1", ANALYST, ADMIN),
            page("/charts/tracking", ANALYST, ADMIN),
            page("/charts/calibration", ANALYST, ADMIN),
            page("/clients", ANALYST, ADMIN),
            page("/clients/{id}", "/clients/C1", ANALYST, ADMIN),
            page("/products", ANALYST, ADMIN),
            page("/products/{code}", "/products/P1", ANALYST, ADMIN),
            page("/retention", ANALYST, ADMIN),
            page("/retention/at-risk.csv", ANALYST, ADMIN),
            page("/quality", ANALYST, ADMIN),
            form("/quality/runs", Map.of(), ANALYST, ADMIN),
            page("/models", ANALYST, ADMIN),
            form("/models/fit", Map.of("model", "bgnbd"), ANALYST, ADMIN),
            page("/jobs/{id}", "/jobs/1", ANALYST, ADMIN),
            page("/reports", MANAGER, ANALYST, ADMIN),
            page("/reports/{name}", "/reports/executive-summary", MANAGER, ANALYST, ADMIN),
            page("/reports/{name}/{format}", "/reports/data-quality/csv", MANAGER, ANALYST, ADMIN),
            form("/logout", Map.of(), MANAGER, ANALYST, ADMIN),
            page("/admin/tokens", ADMIN),
            form("/admin/tokens", Map.of("user", "admin", "label", "matrix"), ADMIN),
            form("/admin/tokens/{id}/revoke", "/admin/tokens/1/revoke", Map.of(), ADMIN),
            // data import by upload (imports/ImportRoutes); "x" is no upload id: the handler answers 400 or 404
            page("/admin/import", ADMIN),
            form("/admin/import", Map.of(), ADMIN),
            page("/admin/import/{id}", "/admin/import/x", ADMIN),
            form("/admin/import/{id}/preview", "/admin/import/x/preview", Map.of(), ADMIN),
            form("/admin/import/{id}/run", "/admin/import/x/run", Map.of(), ADMIN),
            page("/admin/import/{id}/result", "/admin/import/x/result", ADMIN),
            page("/admin/import/{id}/status", "/admin/import/x/status", ADMIN),
            page("/admin/import/{id}/rejects.csv", "/admin/import/x/rejects.csv", ADMIN),
            api("/api/whoami", MANAGER, ANALYST, ADMIN),
            api("/api/openapi.json", MANAGER, ANALYST, ADMIN),
            api("/api/dashboard", MANAGER, ANALYST, ADMIN),
            api("/api/clients", ANALYST, ADMIN),
            api("/api/client/{id}", "/api/client/C0000001", ANALYST, ADMIN),
            api("/api/products", ANALYST, ADMIN),
            api("/api/product-lifecycle", ANALYST, ADMIN),
            api("/api/retention", ANALYST, ADMIN),
            api("/api/quality", ANALYST, ADMIN),
            api("/api/models", ANALYST, ADMIN),
            api("/api/store", ANALYST, ADMIN),
            page("/api-docs", MANAGER, ANALYST, ADMIN),
            page("/api-docs/openapi.json", MANAGER, ANALYST, ADMIN),
            api("/metrics", ADMIN),
            // scheduled reports (schedule/ScheduleRoutes); "x" ids reach the handler, which answers 404
            page("/schedules", MANAGER, ANALYST, ADMIN),
            form("/schedules", Map.of(), ANALYST, ADMIN),
            page("/schedules/{id}", "/schedules/x", MANAGER, ANALYST, ADMIN),
            page("/schedules/{id}/edit", "/schedules/x/edit", ANALYST, ADMIN),
            form("/schedules/{id}", "/schedules/x", Map.of(), ANALYST, ADMIN),
            form("/schedules/{id}/pause", "/schedules/x/pause", Map.of(), ANALYST, ADMIN),
            form("/schedules/{id}/resume", "/schedules/x/resume", Map.of(), ANALYST, ADMIN),
            form("/schedules/{id}/run", "/schedules/x/run", Map.of(), ANALYST, ADMIN),
            form("/schedules/{id}/delete", "/schedules/x/delete", Map.of(), ANALYST, ADMIN),
            page("/schedules/{id}/files/{fileId}", "/schedules/x/files/y", MANAGER, ANALYST, ADMIN),
            api("/api/schedules", MANAGER, ANALYST, ADMIN),
            api("POST", "/api/schedules", "/api/schedules", Map.of(), ANALYST, ADMIN),
            api("POST", "/api/schedules/run-due", "/api/schedules/run-due", Map.of(), ADMIN),
            api("/api/schedules/{id}", "/api/schedules/x", MANAGER, ANALYST, ADMIN),
            api("PUT", "/api/schedules/{id}", "/api/schedules/x", Map.of(), ANALYST, ADMIN),
            api("DELETE", "/api/schedules/{id}", "/api/schedules/x", Map.of(), ANALYST, ADMIN),
            api("POST", "/api/schedules/{id}/pause", "/api/schedules/x/pause", Map.of(), ANALYST, ADMIN),
            api("POST", "/api/schedules/{id}/resume", "/api/schedules/x/resume", Map.of(), ANALYST, ADMIN),
            api("POST", "/api/schedules/{id}/run", "/api/schedules/x/run", Map.of(), ANALYST, ADMIN),
            api("/api/schedules/{id}/runs", "/api/schedules/x/runs", MANAGER, ANALYST, ADMIN),
            api("/api/schedules/{id}/runs/{runId}", "/api/schedules/x/runs/y", MANAGER, ANALYST, ADMIN),
            api("/api/schedules/{id}/files", "/api/schedules/x/files", MANAGER, ANALYST, ADMIN),
            api("/api/schedules/{id}/files/{fileId}", "/api/schedules/x/files/y", MANAGER, ANALYST, ADMIN)),
            // the query API of the JasperReports plugin (api/QueryRoutes): one route per clv named query, all open
            // to analysts (which roles exactly: ApiContractTest and LiveQueryPluginTest)
            io.clvanalytics.engine.jasper.NamedQueries.all().stream().map(q -> api("/api/query/" + q.name(), ANALYST, ADMIN)))
            .toList();

    // ---- row builders

    static Row open(String method, String path) {
        Map<Who, Outcome> m = new EnumMap<>(Who.class);
        for (Who w : Who.values()) {
            m.put(w, Outcome.OK);
        }
        return new Row(method, path, path, Map.of(), m);
    }

    static Row special(String method, String template, String path, Map<String, String> form, Outcome anonymous,
                       Outcome manager, Outcome analyst, Outcome admin, Outcome analystToken) {
        Map<Who, Outcome> m = new EnumMap<>(Who.class);
        m.put(Who.ANONYMOUS, anonymous);
        m.put(Who.MANAGER, manager);
        m.put(Who.ANALYST, analyst);
        m.put(Who.ADMIN, admin);
        m.put(Who.ANALYST_TOKEN, analystToken);
        return new Row(method, template, path, form, m);
    }

    static Row page(String path, Role... allowed) {
        return page(path, path, allowed);
    }

    static Row page(String template, String path, Role... allowed) {
        return web("GET", template, path, Map.of(), allowed);
    }

    static Row form(String path, Map<String, String> form, Role... allowed) {
        return form(path, path, form, allowed);
    }

    static Row form(String template, String path, Map<String, String> form, Role... allowed) {
        return web("POST", template, path, form, allowed);
    }

    static Row form(String method, String template, String path, Map<String, String> form, Role... allowed) {
        return web(method, template, path, form, allowed);
    }

    private static Row web(String method, String template, String path, Map<String, String> form, Role... allowed) {
        Set<Role> ok = Set.of(allowed);
        return special(method, template, path, form, Outcome.TO_LOGIN,
                ok.contains(Role.MANAGER) ? Outcome.OK : Outcome.FORBIDDEN,
                ok.contains(Role.ANALYST) ? Outcome.OK : Outcome.FORBIDDEN,
                ok.contains(Role.ADMIN) ? Outcome.OK : Outcome.FORBIDDEN,
                Outcome.TO_LOGIN);
    }

    static Row api(String path, Role... allowed) {
        return api(path, path, allowed);
    }

    static Row api(String template, String path, Role... allowed) {
        return api("GET", template, path, Map.of(), allowed);
    }

    static Row api(String method, String template, String path, Map<String, String> form, Role... allowed) {
        boolean analyst = Arrays.asList(allowed).contains(Role.ANALYST);
        return special(method, template, path, form, Outcome.UNAUTHENTICATED, Outcome.UNAUTHENTICATED,
                Outcome.UNAUTHENTICATED, Outcome.UNAUTHENTICATED, analyst ? Outcome.OK : Outcome.FORBIDDEN);
    }

    // ---- the test

    @TempDir
    Path dir;

    /** The server's HTTP routes as "METHOD template". */
    static Set<String> registeredRoutes(TestServer s) {
        return s.app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.getEndpoint().getMethod().isHttpMethod())
                .map(e -> e.getEndpoint().getMethod() + " " + e.getEndpoint().getPath())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Test users: one per role plus the analyst's token; returns the token. */
    static String addCallers(TestServer s) {
        s.addUser("manager", UserRole.MANAGER);
        s.addUser("analyst", UserRole.ANALYST);
        s.addUser("admin", UserRole.ADMIN);
        s.token("admin"); // token 1, for the revoke row
        return s.token("analyst");
    }

    @Test
    void everyRouteHasARow() {
        try (TestServer s = TestServer.start(dir)) {
            Set<String> rows = ROWS.stream().map(r -> r.method() + " " + r.template()).collect(Collectors.toCollection(TreeSet::new));
            Set<String> routes = registeredRoutes(s);
            Set<String> missing = new TreeSet<>(routes);
            missing.removeAll(rows);
            Set<String> stale = new TreeSet<>(rows);
            stale.removeAll(routes);
            assertTrue(missing.isEmpty(), "routes without a row in RouteRoleMatrixTest.ROWS (add one, see its Javadoc): " + missing);
            assertTrue(stale.isEmpty(), "rows of RouteRoleMatrixTest.ROWS without a route: " + stale);
        }
    }

    @Test
    void everyCallerGetsWhatItsRowSays() {
        try (TestServer s = TestServer.start(dir)) {
            String token = addCallers(s);
            Map<Who, HttpClient> sessions = new EnumMap<>(Who.class);
            List<String> wrong = new ArrayList<>();
            for (Row row : ROWS) {
                for (Who who : Who.values()) {
                    HttpClient http;
                    if (row.method().equals("GET") && who != Who.ANONYMOUS && who != Who.ANALYST_TOKEN) {
                        http = sessions.computeIfAbsent(who, w -> s.signedIn(w.name().toLowerCase(java.util.Locale.ROOT)));
                    } else {
                        http = freshClient(s, who);
                    }
                    HttpResponse<String> r = call(s, http, row, who == Who.ANALYST_TOKEN ? token : null);
                    Outcome got = outcome(r);
                    if (got != row.expected().get(who)) {
                        wrong.add(row.method() + " " + row.path() + " as " + who + ": expected " + row.expected().get(who)
                                + ", got " + got + " (" + r.statusCode() + " " + r.headers().firstValue("Location").orElse("") + ")");
                    }
                }
            }
            assertEquals(List.of(), wrong);
        }
    }

    /** A client for one state-changing call: signed in anew (POSTs like /logout end the session). */
    private static HttpClient freshClient(TestServer s, Who who) {
        return switch (who) {
            case ANONYMOUS, ANALYST_TOKEN -> TestServer.browser();
            default -> s.signedIn(who.name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    static HttpResponse<String> call(TestServer s, HttpClient http, Row row, String bearer) {
        if (row.method().equals("GET")) {
            return s.get(http, row.path(), b -> bearer == null ? b : b.header("Authorization", "Bearer " + bearer));
        }
        // The caller's own CSRF token: from its session's pages (the sign-in page for anonymous callers).
        String token = bearer != null ? "" : TestServer.csrfToken(s.get(http, "/login").body());
        Map<String, String> form = new LinkedHashMap<>(row.form());
        if (!token.isEmpty()) {
            form.put("pac4jCsrfToken", token);
        }
        return s.sendForm(http, row.method(), row.path(), form,
                b -> bearer == null ? b : b.header("Authorization", "Bearer " + bearer));
    }

    static Outcome outcome(HttpResponse<String> r) {
        String location = r.headers().firstValue("Location").orElse("");
        if ((r.statusCode() == 302 || r.statusCode() == 303) && (location.equals("/login") || location.endsWith(":"
                + r.uri().getPort() + "/login"))) {
            return Outcome.TO_LOGIN;
        }
        return switch (r.statusCode()) {
            case 401 -> Outcome.UNAUTHENTICATED;
            case 403 -> Outcome.FORBIDDEN;
            default -> Outcome.OK;
        };
    }

}
