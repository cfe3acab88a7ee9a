package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.server.RouteRoleMatrixTest.Row;
import io.clvanalytics.server.RouteRoleMatrixTest.Who;
import io.clvanalytics.server.auth.RequestKind;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state-changing browser route (each POST/PUT/PATCH/DELETE row of {@link RouteRoleMatrixTest}
 * that is not public) refuses a missing, wrong, other session's, empty or hash-colliding CSRF token
 * with 403 and changes nothing; one page's token keeps working across tabs and parallel requests.
 */
class CsrfTest {

    @TempDir
    Path dir;

    /** A token with the same {@code String.hashCode()} as {@code t} but other characters (pac4j 6.3.1 accepted it). */
    static String hashCollision(String t) {
        for (int i = 0; i + 1 < t.length(); i++) {
            for (int d : new int[] {1, -1}) {
                char a = (char) (t.charAt(i) + d);
                char b = (char) (t.charAt(i + 1) - 31 * d);
                if (a > ' ' && a < 127 && b > ' ' && b < 127) {
                    String collided = t.substring(0, i) + a + b + t.substring(i + 2);
                    assertEquals(t.hashCode(), collided.hashCode());
                    assertNotEquals(t, collided);
                    return collided;
                }
            }
        }
        throw new AssertionError("no printable hash collision for " + t);
    }

    /** What a refused request must leave untouched: users, tokens (with revocations), and the session. */
    private static String state(TestServer s, HttpClient http) {
        return s.deps.store().users().list() + "|" + s.deps.store().apiTokens().list() + "|" + s.get(http, "/dashboard").statusCode();
    }

    @Test
    void everyStateChangingRouteRefusesBadTokensAndChangesNothing() {
        try (TestServer s = TestServer.start(dir)) {
            RouteRoleMatrixTest.addCallers(s);
            HttpClient other = s.signedIn("admin");
            String othersToken = TestServer.csrfToken(s.get(other, "/dashboard").body());
            int checked = 0;
            List<String> wrong = new ArrayList<>();
            for (Row row : RouteRoleMatrixTest.ROWS) {
                if (row.method().equals("GET") || RequestKind.isApi(row.path())
                        || row.expected().values().stream().allMatch(o -> o == RouteRoleMatrixTest.Outcome.OK)) {
                    continue;
                }
                Who who = row.expected().get(Who.ADMIN) == RouteRoleMatrixTest.Outcome.OK ? Who.ADMIN
                        : row.expected().get(Who.ANALYST) == RouteRoleMatrixTest.Outcome.OK ? Who.ANALYST : Who.MANAGER;
                HttpClient http = s.signedIn(who.name().toLowerCase(java.util.Locale.ROOT));
                String good = TestServer.csrfToken(s.get(http, "/dashboard").body());
                Map<String, String> variants = new LinkedHashMap<>();
                variants.put("missing", null);
                variants.put("wrong", "x".repeat(good.length()));
                variants.put("other session's", othersToken);
                variants.put("empty", "");
                variants.put("hash-colliding", hashCollision(good));
                for (var v : variants.entrySet()) {
                    String before = state(s, http);
                    Map<String, String> form = new LinkedHashMap<>(row.form());
                    if (v.getValue() != null) {
                        form.put("pac4jCsrfToken", v.getValue());
                    }
                    int status = s.sendForm(http, row.method(), row.path(), form, b -> b).statusCode();
                    // The same bad token as a header, the way htmx sends it.
                    int headerStatus = v.getValue() == null ? 403 : s.sendForm(http, row.method(), row.path(), row.form(),
                            b -> b.header("pac4jCsrfToken", v.getValue())).statusCode();
                    if (status != 403 || headerStatus != 403 || !before.equals(state(s, http))) {
                        wrong.add(row.method() + " " + row.path() + " with a " + v.getKey() + " token: " + status + "/" + headerStatus);
                    }
                    checked++;
                }
            }
            assertEquals(List.of(), wrong);
            assertTrue(checked >= 15, "state-changing routes checked x variants: " + checked);
        }
    }

    @Test
    void aFormWorksFromTwoTabsAndAfterParallelRequests() {
        try (TestServer s = TestServer.start(dir)) {
            RouteRoleMatrixTest.addCallers(s);
            HttpClient http = s.signedIn("admin");
            String tabA = TestServer.csrfToken(s.get(http, "/admin/tokens").body());
            String tabB = TestServer.csrfToken(s.get(http, "/admin/tokens").body());
            for (int i = 0; i < 3; i++) {
                s.get(http, "/dashboard");
            }
            var a = s.postForm(http, "/admin/tokens", Map.of("user", "admin", "label", "tab a", "pac4jCsrfToken", tabA));
            var b = s.postForm(http, "/admin/tokens", Map.of("user", "admin", "label", "tab b", "pac4jCsrfToken", tabB));
            assertEquals(200, a.statusCode(), a.body());
            assertEquals(200, b.statusCode(), b.body());
            var viaHeader = s.postForm(http, "/admin/tokens", Map.of("user", "admin", "label", "htmx"),
                    r -> r.header("pac4jCsrfToken", tabA));
            assertEquals(200, viaHeader.statusCode());
            assertEquals(5, s.deps.store().apiTokens().list().size(), "2 made by addCallers + 3 here");
        }
    }
}
