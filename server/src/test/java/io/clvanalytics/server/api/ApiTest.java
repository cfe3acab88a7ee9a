package io.clvanalytics.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import io.clvanalytics.server.ApiTestServer;
import io.clvanalytics.server.store.Store;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON API over a real scored store and real HTTP: answers, paging, validation, escaping, cache. */
class ApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiTestServer s = ApiTestServer.shared();

    private JsonNode ok(String pathAndQuery) {
        HttpResponse<String> r = s.get(pathAndQuery, "analyst");
        assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), pathAndQuery);
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(pathAndQuery + " is not JSON: " + r.body(), e);
        }
    }

    private JsonNode refused(String pathAndQuery, int status, String field) throws Exception {
        HttpResponse<String> r = s.get(pathAndQuery, "analyst");
        assertEquals(status, r.statusCode(), pathAndQuery + ": " + r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(field, error.path("field").isNull() ? null : error.path("field").asText(), r.body());
        return error;
    }

    @Test
    void theCustomerListIsPagedWithMetadataAndLinksThatKeepTheFilters() {
        JsonNode page = ok("/api/clients?page=2&size=7&sort=p_alive&order=asc&min_clv=0");
        assertEquals(2, page.path("page").asInt());
        assertEquals(7, page.path("size").asInt());
        long total = page.path("total").asLong();
        assertTrue(total > 100 && total <= 600, "total " + total);
        assertEquals((total + 6) / 7, page.path("total_pages").asLong());
        assertEquals(7, page.path("items").size());
        assertEquals("/api/clients?min_clv=0&order=asc&page=3&size=7&sort=p_alive", page.path("links").path("next").asText());
        assertEquals("/api/clients?min_clv=0&order=asc&page=1&size=7&sort=p_alive", page.path("links").path("prev").asText());
        double last = -1;
        for (JsonNode c : page.path("items")) {
            assertTrue(c.path("p_alive").asDouble() >= last, "ascending p_alive");
            last = c.path("p_alive").asDouble();
            assertTrue(c.path("last_purchase").asText().matches("\\d{4}-\\d{2}-\\d{2}"), c.toString());
            assertTrue(c.has("value_at_risk") && c.has("risk_level") && c.has("acquisition_date"), c.toString());
        }
        JsonNode first = ok("/api/clients?size=500");
        assertTrue(first.path("links").path("prev").isNull());
        JsonNode next = ok(first.path("links").path("next").asText());
        assertEquals(first.path("total").asLong(), first.path("items").size() + next.path("items").size());
        assertTrue(next.path("links").path("next").isNull());
    }

    @Test
    void filtersAndSearchKeepOnlyMatchingCustomers() {
        for (JsonNode c : ok("/api/clients?risk_level=HIGH&size=500&sort=value_at_risk").path("items")) {
            assertEquals("high", c.path("risk_level").asText());
        }
        for (JsonNode c : ok("/api/clients?min_clv=20&max_clv=80&size=500").path("items")) {
            assertTrue(c.path("clv").asDouble() >= 20 && c.path("clv").asDouble() <= 80, c.toString());
        }
        JsonNode any = ok("/api/clients?size=1").path("items").get(0);
        String segment = any.path("segment").asText();
        JsonNode seg = ok("/api/clients?size=500&segment=" + java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(seg.path("total").asLong() > 0);
        seg.path("items").forEach(c -> assertEquals(segment, c.path("segment").asText()));
        JsonNode byId = ok("/api/clients?q=" + any.path("customer").asText());
        assertEquals(any.path("customer").asText(), byId.path("items").get(0).path("customer").asText());
        assertEquals(0, ok("/api/clients?q=zzzz-no-such-name").path("total").asLong());
    }

    @Test
    void oneCustomerComesWithProfileScoresRecommendationAndLatestTransactions() throws Exception {
        String id = ok("/api/clients?size=1").path("items").get(0).path("customer").asText();
        JsonNode body = ok("/api/client/" + id + "?transactions=3");
        JsonNode c = body.path("customer");
        assertEquals(id, c.path("customer").asText());
        for (String field : List.of("orders", "revenue", "p_alive", "clv", "churn_probability", "risk_level", "action", "model")) {
            assertTrue(c.has(field), field + " in " + c);
        }
        JsonNode tx = body.path("transactions");
        assertTrue(tx.size() >= 1 && tx.size() <= 3, tx.toString());
        assertTrue(tx.get(0).path("date").asText().compareTo(tx.get(tx.size() - 1).path("date").asText()) >= 0, "newest first");
        refused("/api/client/C9999999", 404, null);
        refused("/api/client/%27%20OR%201=1--", 400, "id");
        refused("/api/client/" + id + "?transactions=501", 400, "transactions");
    }

    @Test
    void productsLifecycleRetentionQualityModelsStoreAndDashboardAnswer() {
        JsonNode products = ok("/api/products?sort=units&size=5");
        assertEquals(5, products.path("items").size());
        assertTrue(products.path("items").get(0).path("abc_class").asText().matches("[ABC]"));
        assertTrue(products.path("items").get(0).path("units").asDouble() >= products.path("items").get(4).path("units").asDouble());
        for (JsonNode p : ok("/api/products?abc=b&size=500").path("items")) {
            assertEquals("B", p.path("abc_class").asText());
        }
        JsonNode life = ok("/api/product-lifecycle");
        assertTrue(life.path("stages").size() > 0 && life.path("stage_counts").size() > 0, life.toString());
        String product = life.path("stages").get(0).path("product").asText();
        assertEquals(1, ok("/api/product-lifecycle?product=" + product).path("stages").size());

        JsonNode retention = ok("/api/retention?limit=5&months=6");
        assertTrue(retention.path("summary").path("customers").asLong() > 0);
        assertTrue(retention.path("at_risk").size() > 0 && retention.path("at_risk").size() <= 5);
        assertTrue(retention.path("cohorts").size() > 0 && retention.path("survival").size() == 7, retention.path("survival").toString());

        JsonNode quality = ok("/api/quality");
        assertTrue(quality.path("latest").path("score").isNumber() && quality.path("results").size() > 0, quality.toString());

        JsonNode models = ok("/api/models?model=bgnbd");
        JsonNode run = models.path("runs").get(0);
        assertEquals("bgnbd", run.path("model").asText());
        assertTrue(run.path("parameters").isObject() || run.path("parameters").isArray(), run.toString());
        assertFalse(run.has("parameters_json"));

        JsonNode store = ok("/api/store");
        assertEquals(600, store.path("customers").asLong());
        assertFalse(store.toString().contains(s.engine.file().getFileName().toString()), "no file path");

        JsonNode dash = ok("/api/dashboard");
        assertEquals(600, dash.path("kpis").path("customers").asLong());
        assertTrue(dash.path("clv_distribution").size() > 0 && dash.path("at_risk").size() > 0, dash.toString());
        // The dashboard page's figures come from the same composition.
        assertEquals(2, dash.path("period_kpis").size(), dash.toString());
        assertTrue(dash.path("cohort_retention").size() > 0 && dash.has("quality_history"), dash.toString());
    }

    @Test
    void badParametersAre400NamingTheFieldAndTheRule() throws Exception {
        JsonNode e = refused("/api/clients?sort=name", 400, "sort");
        assertTrue(e.path("message").asText().contains("clv, p_alive, last_purchase, value_at_risk")
                || e.path("message").asText().contains("clv"), e.toString());
        assertTrue(refused("/api/clients?size=501", 400, "size").path("message").asText().contains("1 to 500"));
        refused("/api/clients?page=0", 400, "page");
        refused("/api/clients?min_clv=abc", 400, "min_clv");
        refused("/api/clients?min_clv=NaN", 400, "min_clv");
        refused("/api/clients?min_clv=10&max_clv=5", 400, "min_clv");
        refused("/api/clients?risk_level=extreme", 400, "risk_level");
        refused("/api/clients?order=sideways", 400, "order");
        refused("/api/clients?color=red", 400, "color");
        refused("/api/clients?page=1&page=2", 400, "page");
        refused("/api/products?sort=price", 400, "sort");
        refused("/api/products?abc=d", 400, "abc");
        refused("/api/models?model=lstm", 400, "model");
        refused("/api/product-lifecycle?product=%3Cx%3E", 400, "product");
        refused("/api/retention?months=0", 400, "months");
        refused("/api/quality?history=-1", 400, "history");
        refused("/api/store?x=1", 400, "x");
    }

    @Test
    void aCustomerNamedScriptComesBackJsonEncodedFromEveryAnswerShowingNames() throws Exception {
        String id = s.scriptCustomer;
        List<String> paths = List.of("/api/clients?q=" + id, "/api/client/" + id, "/api/dashboard", "/api/retention?limit=500",
                "/api/clients?risk_level=high&size=500&sort=value_at_risk", "/api/products?size=500", "/api/product-lifecycle");
        for (String path : paths) {
            HttpResponse<String> r = s.get(path, "analyst");
            assertEquals(200, r.statusCode(), path);
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], path);
            assertFalse(r.body().contains("<script"), path + " sends raw markup");
            assertTrue(r.body().contains("\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"), path + ": " + r.body());
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            List<String> names = new ArrayList<>();
            JSON.readTree(r.body()).findValues("name").forEach(n -> names.add(n.asText()));
            assertTrue(names.contains(ApiTestServer.SCRIPT_NAME), path + " decodes to the stored name");
        }
    }

    @Test
    void answersAreCachedUntilTheDataChanges() throws Exception {
        double hits = s.deps.store().cache().hits();
        double misses = s.deps.store().cache().misses();
        String first = s.get("/api/retention?limit=7", "analyst").body();
        double missesAfterFirst = s.deps.store().cache().misses();
        assertTrue(missesAfterFirst > misses, "the first request reads the store");
        String again = s.get("/api/retention?limit=7", "analyst").body();
        assertEquals(first, again);
        assertEquals(missesAfterFirst, s.deps.store().cache().misses(), "the same request again reads nothing");
        assertTrue(s.deps.store().cache().hits() > hits);
        assertTrue(s.deps.meters().scrape().contains("clv_cache_gets_total{result=\"hit\"}"), "hit counter in the registry");

        String versionBefore = ok("/api/store").path("data_version").asText();
        long qualityBefore = ok("/api/quality").path("latest").path("id").asLong();
        s.deps.store().runQualityChecks(); // as "run checks now" does, through the store
        assertNotEquals(versionBefore, ok("/api/store").path("data_version").asText());
        assertTrue(ok("/api/quality").path("latest").path("id").asLong() > qualityBefore, "the new run shows on the next request");
        double missesBeforeDashboard = s.deps.store().cache().misses();
        JsonNode dashboard = ok("/api/dashboard");
        ok("/api/client/" + s.scriptCustomer);
        assertEquals(missesBeforeDashboard, s.deps.store().cache().misses(),
                "the write loaded the dashboard and the customers for the new data before it returned");
        assertEquals(dashboard.path("quality").path("id").asLong(), ok("/api/quality").path("latest").path("id").asLong(),
                "the warmed dashboard shows the new quality run");
        double missesBefore = s.deps.store().cache().misses();
        s.get("/api/retention?limit=7", "analyst");
        assertTrue(s.deps.store().cache().misses() > missesBefore, "the old entries are not used after the data changed");
    }

    @Test
    void aWriteMadeAroundTheStoreIsSeenWithinTheRecheckInterval() throws Exception {
        long runBefore = ok("/api/retention").path("summary").path("retention_run_id").asLong();
        RetentionService.of(s.engine).score(RetentionSettings.defaults()); // not through the server's store
        long deadline = System.nanoTime() + Store.RECHECK_AFTER.multipliedBy(5).toNanos();
        long run = runBefore;
        while (run == runBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
            run = ok("/api/retention").path("summary").path("retention_run_id").asLong();
        }
        assertEquals(runBefore + 1, run, "the new retention run shows within " + Store.RECHECK_AFTER);
    }
}
