package io.clvanalytics.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.server.ApiTestServer;
import io.clvanalytics.server.TestServer;
import io.clvanalytics.server.auth.Role;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What holds for every API route at once: the OpenAPI document matches the registered routes and
 * their parameters, SQL-injection payloads in any parameter never cause a 500, roles are declared
 * as intended, and the real sign-in gate refuses anonymous API calls with the JSON error.
 */
class ApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PAYLOADS = List.of("' OR '1'='1", "1; DROP TABLE customers; --", "\" OR 1=1 --",
            "1 UNION SELECT name, sql FROM sqlite_master", "') OR ('a'='a", "%27%20OR%201%3D1", "clv DESC; --", "0x7FFFFFFF",
            "-1", "99999999999999999999", "1e309", "${jndi:ldap://x}", "<script>alert(1)</script>", "../../etc/passwd",
            "'; COPY customers TO '/tmp/x.csv'; --", "\\", "%", "_", "NULL");

    private final ApiTestServer s = ApiTestServer.shared();

    /** Registered routes under /api ("GET /api/clients") and their declared roles. */
    private Map<String, Set<Role>> apiOperations() {
        Map<String, Set<Role>> out = new TreeMap<>();
        for (var e : s.app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            String path = e.getEndpoint().getPath();
            if (!e.getEndpoint().getMethod().isHttpMethod()) {
                continue; // before/after handlers (the query API's version header) are not routes
            }
            if (path.startsWith("/api/") || path.equals("/api")) {
                HandlerType method = e.getEndpoint().getMethod();
                assertTrue(method == HandlerType.GET || path.startsWith("/api/schedules"),
                        method + " " + path + ": the API only reads, but for the schedules it manages");
                out.put(method + " " + path, e.getEndpoint().getRoles().stream().map(r -> (Role) r).collect(Collectors.toSet()));
            }
        }
        return out;
    }

    /** Registered GET routes under /api and their declared roles. */
    private Map<String, Set<Role>> apiRoutes() {
        Map<String, Set<Role>> out = new TreeMap<>();
        apiOperations().forEach((op, roles) -> {
            if (op.startsWith("GET ")) {
                out.put(op.substring(4), roles);
            }
        });
        return out;
    }

    private static String[] scheduleIds;

    /**
     * A value for path parameter {@code name} of {@code route} that finds something: for the schedule
     * routes a schedule of the shared server with one run and its file (made on first use), else the
     * customer named {@link ApiTestServer#SCRIPT_NAME}.
     */
    private String pathValue(String route, String name) throws Exception {
        if (!route.startsWith("/api/schedules/")) {
            return s.scriptCustomer;
        }
        synchronized (ApiContractTest.class) {
            if (scheduleIds == null) {
                HttpResponse<String> created = s.send("POST", "/api/schedules", "{\"name\": \"Contract\", \"template\": \"customer-list\","
                        + " \"cron\": \"0 7 * * 1\", \"zone\": \"UTC\", \"formats\": [\"csv\"], \"roles\": [\"manager\"]}", "analyst");
                assertEquals(201, created.statusCode(), created.body());
                String id = JSON.readTree(created.body()).path("id").asText();
                HttpResponse<String> run = s.send("POST", "/api/schedules/" + id + "/run", null, "analyst");
                assertEquals(200, run.statusCode(), run.body());
                JsonNode runs = JSON.readTree(s.get("/api/schedules/" + id + "/runs", "analyst").body());
                scheduleIds = new String[] {id, runs.get(0).path("id").asText(), runs.get(0).path("files").get(0).path("id").asText()};
            }
        }
        return switch (name) {
            case "id" -> scheduleIds[0];
            case "runId" -> scheduleIds[1];
            case "fileId" -> scheduleIds[2];
            default -> throw new AssertionError(route + ": no value for {" + name + "}");
        };
    }

    /** {@code route} with every path parameter but {@code except} filled by {@link #pathValue}. */
    private String filled(String route, String except) throws Exception {
        var m = java.util.regex.Pattern.compile("\\{([A-Za-z_]+)}").matcher(route);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group(1).equals(except) ? m.group() : pathValue(route, m.group(1)));
        }
        return m.appendTail(out).toString();
    }


    private JsonNode doc() throws Exception {
        HttpResponse<String> r = s.get("/api/openapi.json", "manager");
        assertEquals(200, r.statusCode());
        return JSON.readTree(r.body());
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRegisteredApiRoutesAndMethods() throws Exception {
        Set<String> documented = new TreeSet<>();
        doc().path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        assertEquals(apiOperations().keySet(), documented);
    }

    @Test
    void everyDocumentedParameterIsAcceptedWithItsExampleAndOthersAreRefused() throws Exception {
        JsonNode paths = doc().path("paths");
        for (var it = paths.fields(); it.hasNext(); ) {
            var path = it.next();
            if (!path.getValue().has("get")) {
                continue;
            }
            JsonNode params = path.getValue().path("get").path("parameters");
            String route = path.getKey();
            List<String> query = new ArrayList<>();
            for (JsonNode p : params) {
                String example = p.path("example").asText();
                assertFalse(example.isEmpty(), route + " " + p.path("name") + " has an example");
                if (p.path("in").asText().equals("path")) {
                    route = route.replace("{" + p.path("name").asText() + "}", pathValue(path.getKey(), p.path("name").asText()));
                } else {
                    query.add(p.path("name").asText() + "=" + URLEncoder.encode(example, StandardCharsets.UTF_8));
                }
            }
            for (String q : query) {
                HttpResponse<String> r = s.get(route + "?" + q, "admin");
                assertEquals(200, r.statusCode(), route + "?" + q + ": " + r.body());
            }
            HttpResponse<String> all = s.get(route + (query.isEmpty() ? "" : "?" + String.join("&", query)), "admin");
            assertEquals(200, all.statusCode(), route + " with every parameter: " + all.body());
            HttpResponse<String> unknown = s.get(route + "?undocumented=1", "admin");
            assertEquals(400, unknown.statusCode(), route);
            assertEquals("undocumented", JSON.readTree(unknown.body()).path("error").path("field").asText());
        }
    }

    @Test
    void injectionPayloadsInEveryParameterOfEveryRouteGive400OrAnEmptyResultNever500() throws Exception {
        long customersBefore = s.deps.store().info().customers();
        JsonNode paths = doc().path("paths");
        int requests = 0;
        for (var it = paths.fields(); it.hasNext(); ) {
            var path = it.next();
            for (JsonNode p : path.getValue().path("get").path("parameters")) {
                for (String payload : PAYLOADS) {
                    String enc = URLEncoder.encode(payload, StandardCharsets.UTF_8).replace("+", "%20");
                    String name = p.path("name").asText();
                    String url = p.path("in").asText().equals("path")
                            ? filled(path.getKey(), name).replace("{" + name + "}", enc)
                            : filled(path.getKey(), null) + "?" + name + "=" + enc;
                    HttpResponse<String> r = s.get(url, "admin");
                    requests++;
                    assertTrue(r.statusCode() == 400 || r.statusCode() == 200 || r.statusCode() == 404,
                            url + " -> " + r.statusCode() + " " + r.body());
                    String shown = r.statusCode() == 200 ? r.body()
                            // the refusal may quote the value it refused; look at the rest of the message
                            : JSON.readTree(r.body()).path("error").path("message").asText().replaceAll("\\(got '.*", "");
                    // (a 200 list repeats the request's parameters in its links, so only markers no payload holds)
                    List<String> markers = r.statusCode() == 200 ? List.of("duckdb", "exception", "java.", "binder error")
                            : List.of("select ", "duckdb", "exception", "sql", "java.", "/tmp", "binder error");
                    for (String internal : markers) {
                        assertFalse(shown.toLowerCase().contains(internal), url + " leaks internals: " + r.body());
                    }
                    if (r.statusCode() == 200 && payload.contains("'") && JSON.readTree(r.body()).has("items")) {
                        assertEquals(0, JSON.readTree(r.body()).path("total").asLong(), url + ": a payload matches nothing");
                    }
                }
            }
        }
        assertTrue(requests > 300, "requests " + requests);
        assertEquals(customersBefore, s.deps.store().info().customers());
    }

    @Test
    void managersReadDashboardDataAndTheDescriptionAnalystsAndAdminsAllAnalytics() throws Exception {
        Set<Role> signedIn = Set.of(Role.MANAGER, Role.ANALYST, Role.ADMIN);
        Set<Role> analytics = Set.of(Role.ANALYST, Role.ADMIN);
        Map<String, Set<Role>> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("/api/openapi.json", signedIn), Map.entry("/api/dashboard", signedIn), Map.entry("/api/whoami", signedIn),
                Map.entry("/api/clients", analytics), Map.entry("/api/client/{id}", analytics),
                Map.entry("/api/products", analytics), Map.entry("/api/product-lifecycle", analytics),
                Map.entry("/api/retention", analytics), Map.entry("/api/quality", analytics),
                Map.entry("/api/models", analytics), Map.entry("/api/store", analytics)));
        apiRoutes().keySet().stream().filter(r -> r.startsWith("/api/schedules"))
                .forEach(r -> expected.put(r, signedIn)); // what each role sees there: ScheduleRoutesTest
        // The query API: managers run the queries of the reports they may view and of the dashboard; three
        // queries only pages for analysts show are analysts' and admins'.
        Set<String> analystsOnly = Set.of("segment_risk", "product_monthly", "lifecycle_history");
        for (var q : io.clvanalytics.engine.jasper.NamedQueries.all()) {
            expected.put("/api/query/" + q.name(), analystsOnly.contains(q.name()) ? analytics : signedIn);
        }
        assertEquals(expected, apiRoutes(), "a new API route needs a row here");
        for (var e : expected.entrySet()) {
            String url = filled(e.getKey(), null);
            assertEquals(401, s.get(url, null).statusCode(), url + " anonymous");
            for (Role role : signedIn) {
                int status = s.get(url, role.name().toLowerCase()).statusCode();
                assertEquals(e.getValue().contains(role) ? 200 : 403, status, url + " as " + role);
            }
        }
    }

    @Test
    void theRealGateRefusesAnonymousApiCallsWithTheJsonError(@TempDir Path dir) {
        try (TestServer real = TestServer.start(dir)) {
            for (String route : apiRoutes().keySet()) {
                var r = real.get(TestServer.browser(), route.replaceAll("\\{[A-Za-z_]+}", "C0000001"));
                assertEquals(401, r.statusCode(), route);
                assertTrue(r.body().startsWith("{\"error\":{\"code\":\"unauthenticated\""), route + ": " + r.body());
            }
        }
    }

    @Test
    void theApiPageShowsEveryEndpointToSignedInUsers() throws Exception {
        HttpResponse<String> page = s.signedInGet("/api-docs", "manager");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (String op : apiOperations().keySet()) {
            assertTrue(page.body().contains(op), op);
        }
        assertTrue(page.body().contains("risk_level"));
        HttpResponse<String> download = s.signedInGet("/api-docs/openapi.json", "manager");
        assertEquals(200, download.statusCode());
        assertEquals(doc(), JSON.readTree(download.body()));
        assertEquals(302, s.get("/api-docs", null).statusCode(), "browsers without a session go to the sign-in page");
        HttpResponse<String> withToken = s.get("/api-docs", "manager");
        assertEquals(302, withToken.statusCode(), "an API token does not open pages");
        assertTrue(withToken.headers().firstValue("Location").orElse("").contains("/login"), withToken.headers().map().toString());
    }
}
