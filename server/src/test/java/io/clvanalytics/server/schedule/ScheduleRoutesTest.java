package io.clvanalytics.server.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.server.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules over real HTTP: who sees and downloads what, CSRF on the forms, the server running due slots. */
class ScheduleRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static HttpResponse<String> api(TestServer s, String token, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url(path))).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return s.send(HttpClient.newHttpClient(), b);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static HttpResponse<byte[]> bytes(TestServer s, HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.url(path))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aManagerDownloadsTheFilesOfSchedulesSharedWithThemAndGets404ForAnythingElse() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ana", UserRole.ANALYST);
            s.addUser("maria", UserRole.MANAGER);
            s.addUser("root", UserRole.ADMIN);
            String ana = s.token("ana");
            String root = s.token("root");
            var shared = api(s, ana, "POST", "/api/schedules", "{\"name\": \"Customers for Maria\", \"template\": \"customer-list\","
                    + " \"cron\": \"* * * * *\", \"zone\": \"Europe/Berlin\", \"users\": [\"maria\"]}");
            assertEquals(201, shared.statusCode(), shared.body());
            String a = json(shared).get("id").asText();
            var other = api(s, ana, "POST", "/api/schedules", "{\"name\": \"Internal\", \"template\": \"customer-list\","
                    + " \"cron\": \"* * * * *\", \"zone\": \"UTC\", \"formats\": [\"csv\"]}");
            String b = json(other).get("id").asText();

            // The server runs due slots itself, on its scheduler thread (asked for now instead of waiting for a tick).
            s.clock.advance(Duration.ofMinutes(1));
            var due = api(s, root, "POST", "/api/schedules/run-due", null);
            assertEquals(200, due.statusCode(), due.body());
            for (String id : List.of(a, b)) {
                JsonNode runs = json(api(s, ana, "GET", "/api/schedules/" + id + "/runs", null));
                assertEquals(1, runs.size(), runs.toString());
                assertEquals("succeeded", runs.get(0).get("status").asText());
            }

            String maria = s.token("maria");
            JsonNode visible = json(api(s, maria, "GET", "/api/schedules", null));
            assertEquals(1, visible.size());
            assertEquals(a, visible.get(0).get("id").asText());
            JsonNode fileA = json(api(s, maria, "GET", "/api/schedules/" + a + "/files", null)).get(0);
            String runB = json(api(s, ana, "GET", "/api/schedules/" + b + "/runs", null)).get(0).get("id").asText();
            String fileB = json(api(s, ana, "GET", "/api/schedules/" + b + "/files", null)).get(0).get("id").asText();
            assertTrue(fileA.get("file_name").asText().startsWith("customer-list_2026-03-02T1101+0100"), fileA.toString());

            HttpClient browser = s.signedIn("maria");
            var page = s.get(browser, "/schedules");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Customers for Maria") && !page.body().contains("Internal"), page.body());
            String download = "/schedules/" + a + "/files/" + fileA.get("id").asText();
            assertTrue(s.get(browser, "/schedules/" + a).body().contains("href=\"" + download + "\""));
            HttpResponse<byte[]> file = bytes(s, browser, download);
            assertEquals(200, file.statusCode());
            assertTrue(file.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
            Path archived = dir.resolve("reports").resolve(a).resolve(fileA.get("file_name").asText());
            assertArrayEquals(Files.readAllBytes(archived), file.body());
            try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(file.body()))) {
                assertTrue(wb.getSheetAt(0).getPhysicalNumberOfRows() > 0);
            }
            assertEquals(200, api(s, maria, "GET", "/api/schedules/" + a + "/files/" + fileA.get("id").asText(), null).statusCode());

            for (String path : List.of("/schedules/" + b, "/schedules/" + b + "/files/" + fileB, "/schedules/" + a + "/files/" + fileB,
                    "/schedules/" + a + "/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/schedules/..%2F..%2Fetc%2Fpasswd/files/x",
                    "/schedules/" + a + "/files/" + forged(fileA.get("id").asText()))) {
                var r = s.get(browser, path);
                // Jetty refuses an encoded '/' in a path with 400 before any route; other ids find nothing.
                assertTrue(r.statusCode() == 404 || (path.contains("%2F") && r.statusCode() == 400), path + ": " + r.statusCode());
                assertFalse(r.body().contains("root:"), path);
            }
            for (String path : List.of("/api/schedules/" + b, "/api/schedules/" + b + "/files/" + fileB,
                    "/api/schedules/" + a + "/files/" + fileB, "/api/schedules/" + a + "/runs/" + runB,
                    "/api/schedules/" + a + "/files/..%2F..%2Fetc%2Fpasswd")) {
                int status = api(s, maria, "GET", path, null).statusCode();
                assertTrue(status == 404 || (path.contains("%2F") && status == 400), path + ": " + status);
            }
            // Managers do not create or run schedules.
            assertEquals(403, api(s, maria, "POST", "/api/schedules", "{\"template\": \"customer-list\", \"cron\": \"0 7 * * 1\"}").statusCode());
            assertEquals(403, api(s, maria, "POST", "/api/schedules/" + a + "/run", null).statusCode());
            String csrf = TestServer.csrfToken(s.get(browser, "/schedules").body());
            assertEquals(403, s.postForm(browser, "/schedules", Map.of("template", "retention", "cron", "0 7 * * 1",
                    "pac4jCsrfToken", csrf)).statusCode());
            assertEquals(2, json(api(s, ana, "GET", "/api/schedules", null)).size());
        }
    }

    @Test
    void theServerStartsItsSchedulerWhichRecoversWhatAKilledProcessLeft() throws Exception {
        // A half-written file a killed process left in the archive: the scheduler's first tick at start removes it.
        Path part = dir.resolve("reports").resolve("0123456789abcdef0123456789abcdef").resolve(".customer-list_x.xlsx.1.part");
        Files.createDirectories(part.getParent());
        Files.writeString(part, "half");
        try (TestServer s = TestServer.start(dir)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Files.exists(part) && System.nanoTime() < deadline) {
                Thread.sleep(50); // waiting for the server's own thread, not for schedule time
            }
            assertFalse(Files.exists(part), "the scheduler thread ran its first tick when the server started");
        }
    }

    @Test
    void analystsCreateRunAndPauseFromThePagesWithTheCsrfTokenOnly() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ana", UserRole.ANALYST);
            s.addUser("max", UserRole.MANAGER);
            HttpClient browser = s.signedIn("ana");
            Map<String, String> form = Map.of("name", "Weekly retention", "template", "retention", "formats", "pdf",
                    "cron", "every monday at 07:00", "zone", "Europe/Berlin", "roles", "manager", "keep", "4");
            assertEquals(403, s.postForm(browser, "/schedules", form).statusCode(), "no CSRF token, no schedule");
            assertTrue(json(api(s, s.token("ana"), "GET", "/api/schedules", null)).isEmpty());

            String csrf = TestServer.csrfToken(s.get(browser, "/schedules").body());
            var created = s.postForm(browser, "/schedules", withToken(form, csrf));
            assertEquals(303, created.statusCode(), created.body());
            String location = created.headers().firstValue("Location").orElseThrow();
            String id = location.substring(location.lastIndexOf('/') + 1);

            var bad = s.postForm(browser, "/schedules", withToken(Map.of("template", "retention", "cron", "every fortnight"),
                    TestServer.csrfToken(s.get(browser, "/schedules").body())));
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("is not a recurrence"), bad.body());

            var run = s.postForm(browser, "/schedules/" + id + "/run", Map.of("pac4jCsrfToken", TestServer.csrfToken(s.get(browser, location).body())));
            assertEquals(303, run.statusCode());
            var detail = s.get(browser, location);
            assertTrue(detail.body().contains("class=\"run-status\">succeeded"), detail.body());
            assertTrue(detail.body().contains("retention_2026-03-02T1100+0100.pdf"), detail.body());

            s.postForm(browser, "/schedules/" + id + "/pause", Map.of("pac4jCsrfToken", TestServer.csrfToken(detail.body())));
            assertTrue(json(api(s, s.token("ana"), "GET", "/api/schedules/" + id, null)).get("paused").asBoolean());

            // Shared with the role manager: max sees it.
            JsonNode seen = json(api(s, s.token("max"), "GET", "/api/schedules", null));
            assertEquals(1, seen.size());
            assertEquals("Weekly retention", seen.get(0).get("name").asText());
        }
    }

    @Test
    void analystsEditAScheduleOnItsPageAndItKeepsOwnerRunsAndPausedState() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            s.addUser("ana", UserRole.ANALYST);
            s.addUser("eve", UserRole.ANALYST);
            s.addUser("max", UserRole.MANAGER);
            String ana = s.token("ana");
            var created = api(s, ana, "POST", "/api/schedules", "{\"name\": \"<b>Weekly</b> list\", \"template\": \"customer-list\","
                    + " \"cron\": \"* * * * *\", \"zone\": \"UTC\", \"formats\": [\"csv\"], \"parameters\": {\"risk\": \"high\"}}");
            assertEquals(201, created.statusCode(), created.body());
            String id = json(created).get("id").asText();
            assertEquals(200, api(s, ana, "POST", "/api/schedules/" + id + "/run", null).statusCode());
            api(s, ana, "POST", "/api/schedules/" + id + "/pause", null);

            HttpClient eve = s.signedIn("eve");
            var page = s.get(eve, "/schedules/" + id + "/edit");
            assertEquals(200, page.statusCode());
            // The form shows the stored settings, the name escaped.
            assertTrue(page.body().contains("value=\"&lt;b>Weekly&lt;/b> list\""), page.body());
            assertFalse(page.body().contains("<b>Weekly"), page.body());
            assertTrue(page.body().contains("risk=high"), page.body());
            assertTrue(page.body().contains("value=\"* * * * *\""), page.body());
            Map<String, String> form = Map.of("name", "Monday list", "template", "customer-list", "formats", "xlsx",
                    "cron", "every monday at 07:00", "zone", "Europe/Berlin", "roles", "manager", "keep", "5", "attempts", "2",
                    "parameters", "risk=medium", "missed", "skip");

            assertEquals(403, s.postForm(eve, "/schedules/" + id, form).statusCode(), "no CSRF token");
            var bad = s.postForm(eve, "/schedules/" + id, withToken(Map.of("template", "customer-list", "cron", "every fortnight",
                    "zone", "UTC", "name", "Kept typing"), TestServer.csrfToken(page.body())));
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("is not a recurrence"), bad.body());
            assertTrue(bad.body().contains("value=\"Kept typing\""), "the form keeps what was sent: " + bad.body());
            JsonNode unchanged = json(api(s, ana, "GET", "/api/schedules/" + id, null));
            assertEquals("<b>Weekly</b> list", unchanged.get("name").asText());
            assertEquals("* * * * *", unchanged.get("cron").asText());

            var saved = s.postForm(eve, "/schedules/" + id, withToken(form, TestServer.csrfToken(page.body())));
            assertEquals(303, saved.statusCode(), saved.body());
            assertEquals("/schedules/" + id, saved.headers().firstValue("Location").orElseThrow());
            JsonNode after = json(api(s, ana, "GET", "/api/schedules/" + id, null));
            assertEquals("Monday list", after.get("name").asText());
            assertEquals("0 7 * * 1", after.get("cron").asText(), "stored as the cron it means");
            assertEquals("Europe/Berlin", after.get("zone").asText());
            assertEquals("xlsx", after.get("formats").get(0).asText());
            assertEquals("medium", after.get("parameters").get("risk").asText());
            assertEquals("manager", after.get("roles").get(0).asText());
            assertEquals(5, after.get("keep").asInt());
            assertEquals(2, after.get("attempts").asInt());
            assertEquals("skip", after.get("missed").asText());
            assertEquals("ana", after.get("owner").asText(), "an edit does not take the schedule over");
            assertTrue(after.get("paused").asBoolean(), "an edit does not resume a paused schedule");
            assertEquals(1, json(api(s, ana, "GET", "/api/schedules/" + id + "/runs", null)).size(), "the runs stay");

            assertEquals(403, s.get(s.signedIn("max"), "/schedules/" + id + "/edit").statusCode(), "managers do not edit");
        }
    }

    /** Another id of the same shape: the last hex digit changed (always a different id, unlike a replace of one letter). */
    private static String forged(String id) {
        char last = id.charAt(id.length() - 1);
        return id.substring(0, id.length() - 1) + (last == '0' ? '1' : '0');
    }

    private static Map<String, String> withToken(Map<String, String> form, String token) {
        var m = new java.util.LinkedHashMap<>(form);
        m.put("pac4jCsrfToken", token);
        return m;
    }

    /** Every schedule route × every role: who is refused and how. */
    @Test
    void routeRoleMatrix() {
        String id = "0123456789abcdef0123456789abcdef";
        // path, method, editors only
        List<String[]> routes = List.of(
                new String[] {"GET", "/schedules", "all"}, new String[] {"POST", "/schedules", "editors"},
                new String[] {"GET", "/schedules/" + id, "all"}, new String[] {"GET", "/schedules/" + id + "/edit", "editors"},
                new String[] {"POST", "/schedules/" + id, "editors"}, new String[] {"POST", "/schedules/" + id + "/pause", "editors"},
                new String[] {"POST", "/schedules/" + id + "/resume", "editors"}, new String[] {"POST", "/schedules/" + id + "/run", "editors"},
                new String[] {"POST", "/schedules/" + id + "/delete", "editors"}, new String[] {"GET", "/schedules/" + id + "/files/" + id, "all"},
                new String[] {"GET", "/api/schedules", "all"}, new String[] {"POST", "/api/schedules", "editors"},
                new String[] {"POST", "/api/schedules/run-due", "admin"},
                new String[] {"GET", "/api/schedules/" + id, "all"}, new String[] {"PUT", "/api/schedules/" + id, "editors"},
                new String[] {"DELETE", "/api/schedules/" + id, "editors"}, new String[] {"POST", "/api/schedules/" + id + "/pause", "editors"},
                new String[] {"POST", "/api/schedules/" + id + "/resume", "editors"}, new String[] {"POST", "/api/schedules/" + id + "/run", "editors"},
                new String[] {"GET", "/api/schedules/" + id + "/runs", "all"}, new String[] {"GET", "/api/schedules/" + id + "/runs/" + id, "all"},
                new String[] {"GET", "/api/schedules/" + id + "/files", "all"}, new String[] {"GET", "/api/schedules/" + id + "/files/" + id, "all"});
        try (TestServer s = TestServer.start(dir)) {
            Map<UserRole, String> users = Map.of(UserRole.MANAGER, "m", UserRole.ANALYST, "an", UserRole.ADMIN, "ad");
            users.forEach((role, name) -> s.addUser(name, role));
            Map<String, String> tokens = new java.util.HashMap<>();
            Map<String, HttpClient> browsers = new java.util.HashMap<>();
            Map<String, String> csrf = new java.util.HashMap<>();
            for (String name : users.values()) {
                tokens.put(name, s.token(name));
                browsers.put(name, s.signedIn(name));
                csrf.put(name, TestServer.csrfToken(s.get(browsers.get(name), "/dashboard").body()));
            }
            for (String[] r : routes) {
                boolean api = r[1].startsWith("/api/");
                String body = r[0].equals("GET") || r[0].equals("DELETE") ? null : "{}";
                HttpResponse<String> anonymous = api ? api(s, "no-such-token", r[0], r[1], body)
                        : s.send(TestServer.browser(), HttpRequest.newBuilder(URI.create(s.url(r[1])))
                                .method(r[0], HttpRequest.BodyPublishers.noBody()));
                boolean toLogin = (anonymous.statusCode() == 302 || anonymous.statusCode() == 303)
                        && anonymous.headers().firstValue("Location").orElse("").endsWith("/login");
                assertTrue(api ? anonymous.statusCode() == 401 : toLogin || anonymous.statusCode() == 403,
                        r[0] + " " + r[1] + " anonymous: " + anonymous.statusCode() + " " + anonymous.headers().map());
                for (var u : users.entrySet()) {
                    boolean allowed = r[2].equals("all") || (r[2].equals("editors") && u.getKey() != UserRole.MANAGER)
                            || (r[2].equals("admin") && u.getKey() == UserRole.ADMIN);
                    int status;
                    if (api) {
                        status = api(s, tokens.get(u.getValue()), r[0], r[1], body).statusCode();
                    } else {
                        HttpClient b = browsers.get(u.getValue());
                        status = r[0].equals("GET") ? s.get(b, r[1]).statusCode()
                                : s.postForm(b, r[1], Map.of("pac4jCsrfToken", csrf.get(u.getValue()))).statusCode();
                    }
                    if (allowed) {
                        assertTrue(status != 401 && status != 403, r[0] + " " + r[1] + " as " + u.getKey() + ": " + status);
                    } else {
                        assertEquals(403, status, r[0] + " " + r[1] + " as " + u.getKey());
                    }
                }
            }
        }
    }
}
