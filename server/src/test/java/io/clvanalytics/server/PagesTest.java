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
    }

    @Test
    void anUnknownCustomerIsA404PageWithoutInternals() {
        var r = server.getAs(Role.ANALYST, "/clients/NOPE-404");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("No customer has the id NOPE-404."), r.body());
    }
}
