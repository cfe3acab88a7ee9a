package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.server.auth.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analytics pages over HTTP on a demo store: content, escaping, validation, empty states. */
class PagesTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        Path store = DemoStore.copyTo(dir, DemoStore.CUSTOMERS);
        server = TestServer.over(store, dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDashboardShowsKpisWithTheirComparisonChartsAndTheCohortHeatMap() {
        var r = server.getAs(Role.MANAGER, "/dashboard");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("id=\"kpi-revenue\""), r.body());
        assertTrue(r.body().contains("compared with the 90 days before"), r.body());
        assertTrue(r.body().contains("data-chart=\"/charts/clv-distribution\""));
        assertTrue(r.body().contains("id=\"cohort-heatmap\""));
        var chart = server.getAs(Role.MANAGER, "/charts/monthly-revenue");
        assertEquals(200, chart.statusCode());
        assertTrue(chart.body().startsWith("{\"type\":\"line\",\"labels\":[\"20"), chart.body());
    }

    @Test
    void theClientsListFiltersSortsAndRefusesAnUnknownSortKeyNamingTheField() {
        var r = server.getAs(Role.ANALYST, "/clients?sort=p_alive&dir=asc&risk=high");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("sorted by P(alive) (lowest first)"), r.body());
        var bad = server.getAs(Role.ANALYST, "/clients?sort=name;DROP");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("sort must be one of"), bad.body());
        var partial = server.get(server.as(Role.ANALYST), "/clients?q=H1", b -> b.header("HX-Request", "true"));
        assertFalse(partial.body().contains("<html"), "an htmx request gets only the results");
        assertTrue(partial.body().contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"), partial.body());
    }

    @Test
    void hostileNamesAreEscapedOnTheClientPage() {
        var r = server.getAs(Role.ANALYST, "/clients/H0");
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(r.body().contains("<script>alert(1)"), "escaped");
        assertTrue(r.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), r.body());
        assertTrue(r.body().matches("(?s).*Horizon</dt><dd class=\"col-5\">12 months</dd>.*"),
                "the CLV horizon is in months (the engine scores 12 months by default)");
    }

    @Test
    void anUnknownCustomerIsA404PageWithoutInternals() {
        var r = server.getAs(Role.ANALYST, "/clients/NOPE-404");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("No customer has the id NOPE-404."), r.body());
    }

    private java.net.http.HttpResponse<String> postAs(String role, String path, String form, boolean htmx) {
        String[] kv = form.isEmpty() ? new String[0] : form.split("=", 2);
        return server.postAs(Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)), "/dashboard", path,
                kv.length == 2 ? java.util.Map.of(kv[0], kv[1]) : java.util.Map.of(), b -> htmx ? b.header("HX-Request", "true") : b);
    }

    @Test
    void fitAndScoreNowRunsInTheBackgroundAndThePagePollsItUntilItIsDone() throws Exception {
        long runsBefore = server.deps.store().rows("model_runs", java.util.Map.of()).size();
        var started = postAs("analyst", "/models/fit", "model=bgnbd", true);
        assertEquals(200, started.statusCode(), started.body());
        var m = java.util.regex.Pattern.compile("hx-get=\"/jobs/(\\d+)\"").matcher(started.body());
        assertTrue(m.find() || started.body().contains("data-job-state=\"DONE\""), started.body());
        String id = m.find(0) ? m.group(1) : null;
        String state = "";
        for (int i = 0; i < 600 && id != null; i++) {
            var poll = server.getAs(Role.ANALYST, "/jobs/" + id);
            assertEquals(200, poll.statusCode());
            if (poll.body().contains("data-job-state=\"DONE\"") || poll.body().contains("data-job-state=\"FAILED\"")) {
                state = poll.body();
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(state.contains("data-job-state=\"DONE\"") && state.contains("customers scored"), state);
        assertFalse(state.contains("hx-trigger"), "a finished job stops polling");
        assertEquals(runsBefore + 2, server.deps.store().rows("model_runs", java.util.Map.of()).size(), "purchase and spend runs");
        var bad = postAs("analyst", "/models/fit", "model=sql", true);
        assertEquals(400, bad.statusCode());
    }

    @Test
    void runChecksNowStartsAQualityRunAndRedirectsToThePage() throws Exception {
        var r = postAs("analyst", "/quality/runs", "", false);
        assertEquals(303, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").startsWith("/quality?job="));
        var page = server.getAs(Role.ANALYST, "/quality");
        assertTrue(page.body().contains("id=\"job-status\""), page.body());
    }

    @Test
    void reportFormsValidateLikeTheBrowserAndDownloadsSayWhatAndWhen() {
        var missing = server.getAs(Role.MANAGER, "/reports/customer-profile/pdf");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("customer is required"), missing.body());
        var form = server.getAs(Role.MANAGER, "/reports/customer-profile");
        assertTrue(form.body().contains("required"), "the browser enforces the same rule");
        var csv = server.getAs(Role.MANAGER, "/reports/customer-list/csv");
        assertEquals(200, csv.statusCode());
        assertEquals("attachment; filename=\"customer-list-" + java.time.LocalDate.now(server.deps.clock()) + ".csv\"",
                csv.headers().firstValue("Content-Disposition").orElse(""));
        var html = server.getAs(Role.MANAGER, "/reports/executive-summary/html");
        assertEquals(200, html.statusCode());
        assertTrue(html.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'; style-src 'unsafe-inline'"));
        assertFalse(html.body().contains("<script"), "the report view carries no script");
    }

    @Test
    void reportDescriptionsReadAsSentences() {
        var r = server.getAs(Role.MANAGER, "/reports");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<div class=\"small text-muted\">([^<]*)</div>").matcher(r.body());
        int n = 0;
        while (m.find()) {
            String d = m.group(1);
            assertTrue(Character.isUpperCase(d.charAt(0)) && d.endsWith("."), "not a sentence: " + d);
            n++;
        }
        assertEquals(io.clvanalytics.engine.jasper.ReportTemplate.values().length, n, r.body());
        var form = server.getAs(Role.MANAGER, "/reports/customer-list").body();
        assertTrue(form.contains("Every customer with CLV, expected purchases"), form);
    }
}
