package io.clvanalytics.server.products;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Row;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The product catalogue and one product's lifecycle page. */
public final class ProductRoutes {

    private static final int SPARK_MONTHS = 12;

    /** Related products shown on a product's page. */
    static final int RELATED = 10;

    private ProductRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/products", ctx -> list(ctx, deps), Role.ANALYST, Role.ADMIN);
        app.get("/products/{code}", ctx -> detail(ctx, deps), Role.ANALYST, Role.ADMIN);
        // The catalogue as it opens, and the page of its best seller (the product people open first).
        deps.store().warmWith(() -> {
            ProductsPage catalogue = catalogue(deps, "", "");
            if (!catalogue.rows().isEmpty()) {
                deps.store().productPage(catalogue.rows().get(0).text("product"), RELATED);
            }
        });
    }

    private static String choice(Context ctx, String name, List<String> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return "";
        }
        if (!allowed.contains(v.trim())) {
            throw HttpError.badField(name, name + " must be one of " + allowed);
        }
        return v.trim();
    }

    private static void list(Context ctx, ServerDeps deps) {
        ProductsPage view = catalogue(deps, choice(ctx, "abc", ProductsPage.CLASSES), choice(ctx, "stage", ProductsPage.STAGES));
        deps.views().send(ctx, "products/list.jte", Map.of("page", PageContext.of(ctx, deps.store()), "view", view));
    }

    /** The catalogue with sparklines, filtered by ABC class and stage ("" for all). */
    private static ProductsPage catalogue(ServerDeps deps, String abc, String stage) {
        List<Row> rows = deps.store().rows("product_metrics", Map.of("abc", abc, "stage", stage, "limit", ProductsPage.LIMIT));
        Map<String, double[]> months = new HashMap<>();
        for (Row r : deps.store().rows("product_monthly", Map.of("months", SPARK_MONTHS))) {
            int ago = r.count("months_ago").intValue();
            if (ago >= 0 && ago < SPARK_MONTHS) {
                months.computeIfAbsent(r.text("product"), k -> new double[SPARK_MONTHS])[SPARK_MONTHS - 1 - ago] = r.num("revenue");
            }
        }
        Map<String, String> sparks = new HashMap<>();
        for (Row r : rows) {
            double[] m = months.getOrDefault(r.text("product"), new double[SPARK_MONTHS]);
            sparks.put(r.text("product"), java.util.Arrays.stream(m).mapToObj(v -> Long.toString(Math.round(v)))
                    .collect(Collectors.joining(",")));
        }
        return new ProductsPage(abc, stage, rows, sparks);
    }

    private static void detail(Context ctx, ServerDeps deps) {
        String code = ctx.pathParam("code");
        var reads = deps.store().productPage(code, RELATED)
                .orElseThrow(() -> HttpError.notFound("No product has the code " + code + "."));
        deps.views().send(ctx, "products/detail.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                "view", new ProductDetail(reads.lifecycle(), reads.related(), reads.buyers())));
    }
}
