package io.clvanalytics.server.api;

import static io.clvanalytics.server.auth.Role.ADMIN;
import static io.clvanalytics.server.auth.Role.ANALYST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.StoreInfo;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.customers.CustomerFilter;
import io.clvanalytics.engine.customers.CustomerList;
import io.clvanalytics.engine.customers.CustomerPage;
import io.clvanalytics.engine.customers.CustomerSort;
import io.clvanalytics.engine.lifecycle.Stage;
import io.clvanalytics.engine.retention.ActionRules;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Store;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JSON API for machine clients, under {@code /api} (bearer tokens, JSON errors; see
 * {@link io.clvanalytics.server.auth.RequestKind}). Every answer comes from the engine (the
 * {@code clv} named queries reports use, {@link CustomerList}) through the cached {@link Store};
 * list answers are paged ({@link Paged}); field names are snake_case and dates ISO. The hand-kept
 * {@code /api/openapi.json} describes every route; a test checks it against the routes registered here.
 *
 * <p>Roles: managers read the dashboard data, this description and who they are; analysts and admins read all analytics.
 */
public final class ApiRoutes {

    private static final Role[] ANALYTICS = {ANALYST, ADMIN};
    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> PRODUCT_SORTS = List.of("revenue", "units", "customers", "orders", "growth", "last_sale", "name");
    private static final Set<String> STAGES = Stream.concat(Arrays.stream(Stage.values()).map(Stage::label), Stream.of("unclassified"))
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> SORT_NAMES = Arrays.stream(CustomerSort.values()).map(CustomerSort::param)
            .collect(Collectors.toUnmodifiableSet());

    private ApiRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        Store store = deps.store();
        app.get("/api/openapi.json", ctx -> {
            ApiParams.of(ctx, List.of());
            ctx.contentType("application/json").result(OpenApiDocument.json());
        }, Role.SIGNED_IN);
        // The API page for signed-in browsers (session, not bearer): the document rendered, and for download.
        ApiDocsPage docs = ApiDocsPage.fromDocument();
        app.get("/api-docs", ctx -> deps.views().send(ctx, "api/docs.jte",
                Map.of("page", PageContext.of(ctx, store), "api", docs)), Role.SIGNED_IN);
        app.get("/api-docs/openapi.json", ctx -> ctx.contentType("application/json")
                .header("Content-Disposition", "attachment; filename=\"openapi.json\"").result(OpenApiDocument.json()), Role.SIGNED_IN);
        // Who the token acts for: lets a client check its token and role.
        app.get("/api/whoami", ctx -> {
            ApiParams.of(ctx, List.of());
            CurrentUser user = CurrentUser.of(ctx).orElseThrow();
            ctx.json(Map.of("user", user.name(), "roles", user.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT))
                    .sorted().toList()));
        }, Role.SIGNED_IN);
        app.get("/api/dashboard", ctx -> {
            ApiParams.of(ctx, List.of());
            ctx.json(store.dashboard());
        }, Role.SIGNED_IN);
        app.get("/api/clients", ctx -> clients(ctx, store), ANALYTICS);
        app.get("/api/client/{id}", ctx -> client(ctx, store), ANALYTICS);
        app.get("/api/products", ctx -> products(ctx, store), ANALYTICS);
        app.get("/api/product-lifecycle", ctx -> lifecycle(ctx, store), ANALYTICS);
        app.get("/api/retention", ctx -> retention(ctx, store), ANALYTICS);
        app.get("/api/quality", ctx -> quality(ctx, store), ANALYTICS);
        app.get("/api/models", ctx -> models(ctx, store), ANALYTICS);
        app.get("/api/store", ctx -> storeInfo(ctx, store), ANALYTICS);
    }

    private static void clients(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("page", "size", "sort", "order", "segment", "status", "risk_level",
                "min_clv", "max_clv", "q"));
        int page = p.integer("page", 1, 1_000_000, 1);
        int size = p.integer("size", 1, CustomerList.MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
        String sort = p.oneOf("sort", SORT_NAMES);
        boolean descending = p.descending("order");
        Double min = p.number("min_clv");
        Double max = p.number("max_clv");
        if (min != null && max != null && min > max) {
            throw HttpError.badField("min_clv", "min_clv (" + min + ") must not be above max_clv (" + max + ")");
        }
        CustomerFilter filter = new CustomerFilter(p.text("segment"), p.text("status"), p.oneOf("risk_level", ActionRules.RISK_LEVELS),
                min, max, p.text("q"));
        CustomerPage rows = store.customers(filter, sort == null ? CustomerSort.CLV : CustomerSort.of(sort), descending,
                (long) (page - 1) * size, size);
        ctx.json(Paged.of(ctx, rows.rows(), page, size, rows.total()));
    }

    private static void client(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("transactions"));
        String id = ApiParams.checkId("id", ctx.pathParam("id"));
        int transactions = p.integer("transactions", 1, 500, 20);
        Map<String, Object> profile = store.customerProfile(id)
                .orElseThrow(() -> HttpError.notFound("no customer with id '" + id + "'"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer", profile);
        body.put("transactions", store.customerTransactions(id, 0, transactions));
        ctx.json(body);
    }

    private static void products(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("page", "size", "sort", "order", "abc", "stage", "category", "q"));
        int page = p.integer("page", 1, 1_000_000, 1);
        int size = p.integer("size", 1, CustomerList.MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
        String sort = p.oneOf("sort", PRODUCT_SORTS);
        boolean descending = p.descending("order");
        String abc = p.oneOf("abc", Set.of("a", "b", "c"));
        String stage = p.oneOf("stage", STAGES);
        String category = p.text("category");
        String q = p.text("q");
        List<Map<String, Object>> rows = store.named("product_metrics", Map.of()).stream()
                .filter(r -> abc == null || abc.equalsIgnoreCase((String) r.get("abc_class")))
                .filter(r -> stage == null || stage.equalsIgnoreCase((String) r.get("lifecycle_stage")))
                .filter(r -> category == null || category.equalsIgnoreCase((String) r.get("category")))
                .filter(r -> q == null || q.equals(r.get("product")) || lower(r.get("name")).contains(q.toLowerCase(Locale.ROOT)))
                .sorted(productOrder(sort == null ? "revenue" : sort, descending))
                .toList();
        int from = (int) Math.min((long) (page - 1) * size, rows.size());
        ctx.json(Paged.of(ctx, rows.subList(from, Math.min(from + size, rows.size())), page, size, rows.size()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Map<String, Object>> productOrder(String sort, boolean descending) {
        Comparator<Comparable> values = Comparator.naturalOrder();
        Comparator<Map<String, Object>> c = Comparator.comparing(r -> (Comparable) r.get(sort),
                Comparator.nullsLast(descending ? values.reversed() : values));
        return c.thenComparing(r -> (String) r.get("product"));
    }

    private static void lifecycle(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("product", "limit"));
        String product = p.id("product");
        int limit = p.integer("limit", 1, 500, 100);
        List<Map<String, Object>> stages = new ArrayList<>();
        for (Map<String, Object> r : store.named("product_metrics", Map.of())) {
            if (product == null || product.equals(r.get("product"))) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("product", r.get("product"));
                s.put("name", r.get("name"));
                s.put("category", r.get("category"));
                s.put("lifecycle_stage", r.get("lifecycle_stage"));
                stages.add(s);
            }
        }
        List<Map<String, Object>> history = store.named("lifecycle_history", params("product", product, "limit", limit));
        if (product != null && stages.isEmpty() && history.isEmpty()) {
            throw HttpError.notFound("no product with id '" + product + "' has sales or a lifecycle history");
        }
        Map<String, Long> counts = new java.util.TreeMap<>(stages.stream()
                .collect(Collectors.groupingBy(s -> String.valueOf(s.get("lifecycle_stage")), Collectors.counting())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage_counts", counts);
        body.put("stages", stages);
        body.put("history", history);
        ctx.json(body);
    }

    private static void retention(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("risk", "limit", "cohorts", "months"));
        String risk = p.oneOf("risk", ActionRules.RISK_LEVELS);
        int limit = p.integer("limit", 1, 500, 20);
        int cohorts = p.integer("cohorts", 1, 120, 12);
        int months = p.integer("months", 1, 120, 12);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("summary", store.namedRow("retention_summary", Map.of()));
        body.put("at_risk", store.named("at_risk", params("risk", risk, "limit", limit)));
        body.put("cohorts", store.named("cohort_retention", Map.of("cohorts", cohorts, "months", months)));
        body.put("survival", store.named("survival_curve", Map.of("months", months)));
        ctx.json(body);
    }

    private static void quality(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("history"));
        int history = p.integer("history", 1, 500, 50);
        Map<String, Object> latest = store.namedRow("quality_run", Map.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("latest", latest.isEmpty() ? null : latest);
        body.put("results", latest.isEmpty() ? List.of() : store.named("quality_results", Map.of("run", latest.get("id"))));
        body.put("history", store.named("quality_history", Map.of("limit", history)));
        ctx.json(body);
    }

    private static void models(Context ctx, Store store) {
        ApiParams p = ApiParams.of(ctx, List.of("model", "limit"));
        String model = p.oneOf("model", ClvService.MODELS);
        int limit = p.integer("limit", 1, 500, 50);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Map<String, Object> r : store.named("model_runs", params("model", model, "limit", limit))) {
            Map<String, Object> run = new LinkedHashMap<>(r);
            run.put("parameters", parameters((String) run.remove("parameters_json")));
            runs.add(run);
        }
        ctx.json(Map.of("runs", runs));
    }

    /** Each parameter with its value, standard error and 95 % interval, as the engine stored them. */
    private static JsonNode parameters(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("model run parameters are not JSON", e);
        }
    }

    private static void storeInfo(Context ctx, Store store) {
        ApiParams.of(ctx, List.of());
        StoreInfo info = store.info();
        // As `clv info`, without the file path: responses never show server paths.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schema_version", info.schemaVersion());
        body.put("customers", info.customers());
        body.put("products", info.products());
        body.put("transactions", info.transactions());
        body.put("returns", info.returns());
        body.put("first_date", info.firstDate());
        body.put("last_date", info.lastDate());
        body.put("import_batches", info.importBatches());
        body.put("data_version", store.dataVersion());
        ctx.json(body);
    }

    private static Map<String, Object> params(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static String lower(Object o) {
        return o == null ? "" : o.toString().toLowerCase(Locale.ROOT);
    }
}
