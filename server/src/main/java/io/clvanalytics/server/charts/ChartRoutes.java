package io.clvanalytics.server.charts;

import io.clvanalytics.engine.retention.KaplanMeier;
import io.clvanalytics.engine.retention.SurvivalReport;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Row;
import io.clvanalytics.server.store.Store;
import io.clvanalytics.server.web.HttpError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The data of every chart, as JSON on session routes (not the bearer API: pages never hold a token).
 * Each chart has the roles of the pages that show it.
 */
public final class ChartRoutes {

    private ChartRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        Store store = deps.store();
        get(app, "/charts/clv-distribution", ctx -> clvDistribution(store), Role.SIGNED_IN);
        get(app, "/charts/monthly-revenue", ctx -> monthlyRevenue(store), Role.SIGNED_IN);
        get(app, "/charts/segment-mix", ctx -> segmentMix(store), Role.SIGNED_IN);
        get(app, "/charts/top-products", ctx -> topProducts(store), Role.SIGNED_IN);
        get(app, "/charts/quality-history", ctx -> qualityHistory(store), Role.ANALYST, Role.ADMIN);
        get(app, "/charts/survival", ctx -> survival(store), Role.ANALYST, Role.ADMIN);
        get(app, "/charts/product-trend/{product}", ctx -> productTrend(store, ctx.pathParam("product")), Role.ANALYST, Role.ADMIN);
        get(app, "/charts/tracking", ctx -> tracking(store), Role.ANALYST, Role.ADMIN);
        get(app, "/charts/calibration", ctx -> calibration(store), Role.ANALYST, Role.ADMIN);
        // The dashboard's charts load right after its page: have them ready after every data change.
        store.warmWith(() -> {
            clvDistribution(store);
            monthlyRevenue(store);
            segmentMix(store);
            topProducts(store);
        });
    }

    private static void get(Javalin app, String path, Function<Context, ChartData> chart, Role... roles) {
        app.get(path, ctx -> ctx.json(chart.apply(ctx)), roles);
    }

    private static List<String> labels(List<Row> rows, String column) {
        return rows.stream().map(r -> r.text(column) == null ? "(none)" : r.text(column)).toList();
    }

    private static List<Double> values(List<Row> rows, String column) {
        return rows.stream().map(r -> r.num(column)).toList();
    }

    static ChartData clvDistribution(Store store) {
        List<Row> rows = store.rows("clv_distribution", Map.of());
        return new ChartData("bar", labels(rows, "band"), List.of(ChartData.Series.of("Customers", values(rows, "customers"))),
                "count", false);
    }

    static ChartData monthlyRevenue(Store store) {
        List<Row> rows = store.rows("monthly_revenue", Map.of("months", 24));
        return new ChartData("line", labels(rows, "month"), List.of(ChartData.Series.of("Net revenue", values(rows, "revenue"))),
                "money", false);
    }

    static ChartData segmentMix(Store store) {
        List<Row> rows = store.rows("clv_by_segment", Map.of());
        return new ChartData("doughnut", labels(rows, "segment"), List.of(ChartData.Series.of("Customers", values(rows, "customers"))),
                "count", false);
    }

    static ChartData topProducts(Store store) {
        List<Row> rows = store.rows("product_metrics", Map.of("limit", 10));
        List<String> names = rows.stream().map(r -> r.text("name") != null ? r.text("name") : r.text("product")).toList();
        return new ChartData("bar", names, List.of(ChartData.Series.of("Net revenue", values(rows, "revenue"))), "money", true);
    }

    static ChartData qualityHistory(Store store) {
        List<Row> rows = store.rows("quality_history", Map.of("limit", 50));
        return new ChartData("line", labels(rows, "label"), List.of(ChartData.Series.of("Quality score", values(rows, "score"))),
                "number", false);
    }

    /** The overall Kaplan-Meier curve with its 95 % band, and each segment's curve, sampled monthly over two years. */
    static ChartData survival(Store store) {
        SurvivalReport report = store.survival();
        int months = 24;
        List<String> labels = new ArrayList<>();
        for (int m = 0; m <= months; m++) {
            labels.add(m + " mo");
        }
        List<ChartData.Series> series = new ArrayList<>();
        series.add(ChartData.Series.of("All customers", sample(report.overall().curve(), months, Band.MID)));
        series.add(new ChartData.Series("95 % band, lower", sample(report.overall().curve(), months, Band.LOW), true));
        series.add(new ChartData.Series("95 % band, upper", sample(report.overall().curve(), months, Band.HIGH), false));
        for (SurvivalReport.Group g : report.groups()) {
            series.add(ChartData.Series.of(g.name(), sample(g.curve(), months, Band.MID)));
        }
        return new ChartData("line", labels, series, "pct", false);
    }

    private enum Band { LOW, MID, HIGH }

    private static List<Double> sample(KaplanMeier.Curve curve, int months, Band band) {
        List<Double> out = new ArrayList<>();
        for (int m = 0; m <= months; m++) {
            double t = m * 365.25 / 12;
            KaplanMeier.Point last = null;
            for (KaplanMeier.Point p : curve.points()) {
                if (p.time() <= t) {
                    last = p;
                } else {
                    break;
                }
            }
            out.add(last == null ? 1.0 : switch (band) {
                case LOW -> last.lower95();
                case MID -> last.survival();
                case HIGH -> last.upper95();
            });
        }
        return out;
    }

    static ChartData productTrend(Store store, String product) {
        var lifecycle = store.productLifecycle(product)
                .orElseThrow(() -> new HttpError(404, "not_found", "No product has the code " + product + ".", "product"));
        var series = lifecycle.series();
        return new ChartData("line", series.stream().map(p -> p.month().toString().substring(0, 7)).toList(), List.of(
                ChartData.Series.of("Net revenue", series.stream().map(p -> p.netRevenue()).toList()),
                ChartData.Series.of("3-month moving average", series.stream().map(p -> p.revenueMovingAverage()).toList())),
                "money", false);
    }

    static ChartData tracking(Store store) {
        List<Row> rows = store.rows("tracking", Map.of());
        return new ChartData("line", rows.stream().map(r -> String.valueOf(r.date("period_start"))).toList(), List.of(
                ChartData.Series.of("Actual repeat purchases (cumulative)", values(rows, "cumulative_actual")),
                ChartData.Series.of("Expected by the model (cumulative)", values(rows, "cumulative_expected"))), "number", false);
    }

    static ChartData calibration(Store store) {
        List<Row> rows = store.rows("calibration_holdout", Map.of());
        return new ChartData("bar", rows.stream().map(r -> r.count("frequency") + " repeat").toList(), List.of(
                ChartData.Series.of("Expected in holdout", values(rows, "expected_purchases")),
                ChartData.Series.of("Actual in holdout", values(rows, "actual_purchases"))), "number", false);
    }
}
