package io.clvanalytics.server.dashboard;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.DashboardData;
import io.clvanalytics.server.store.Row;
import io.clvanalytics.server.web.Fmt;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard: every signed-in role's start page. Its charts come from {@code /charts/*}. */
public final class DashboardRoutes {

    /** Days in each compared period. */
    static final int PERIOD_DAYS = DashboardData.PERIOD_DAYS;

    private DashboardRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/dashboard", ctx -> show(ctx, deps), Role.SIGNED_IN);
        deps.store().warmWith(deps.store()::dashboard);
    }

    private static void show(Context ctx, ServerDeps deps) {
        DashboardPage view = build(deps.store().dashboard());
        deps.views().send(ctx, "dashboard/dashboard.jte", Map.of("page", PageContext.of(ctx, deps.store()), "view", view));
    }

    /** The page's view of the dashboard data {@code /api/dashboard} answers too (one composition, one cache entry). */
    static DashboardPage build(DashboardData data) {
        Row k = new Row(data.kpis());
        List<Row> periods = data.periodKpis().stream().map(Row::new).toList();
        Row cur = periods.stream().filter(r -> "current".equals(r.text("period"))).findFirst().orElse(new Row(Map.of()));
        Row prev = periods.stream().filter(r -> "previous".equals(r.text("period"))).findFirst().orElse(new Row(Map.of()));
        Row retention = new Row(data.retentionSummary());
        List<Row> quality = data.qualityHistory().stream().map(Row::new).toList();
        Double qNow = quality.isEmpty() ? null : quality.get(quality.size() - 1).num("score");
        Double qBefore = quality.size() < 2 ? null : quality.get(0).num("score");

        List<Kpi> kpis = new ArrayList<>();
        kpis.add(new Kpi("kpi-customers", "Customers", Fmt.count(k.count("customers")),
                "+" + Fmt.count(cur.count("new_customers")) + " new", "flat",
                "All customers in the store; new: first purchase in the last " + PERIOD_DAYS + " days"));
        Double activeNow = ratio(cur.count("active_customers"), k.count("customers"));
        Double activeBefore = ratio(prev.count("active_customers"), k.count("customers"));
        kpis.add(new Kpi("kpi-active", "Active share", Fmt.pct(activeNow), Fmt.change(activeNow, activeBefore),
                Fmt.direction(activeNow, activeBefore), "Share of customers who bought in the last " + PERIOD_DAYS
                + " days, against the " + PERIOD_DAYS + " days before"));
        kpis.add(new Kpi("kpi-revenue", "Revenue, last " + PERIOD_DAYS + " days", Fmt.money(cur.num("revenue")),
                Fmt.change(cur.num("revenue"), prev.num("revenue")), Fmt.direction(cur.num("revenue"), prev.num("revenue")),
                "Net revenue (returns deducted) of the last " + PERIOD_DAYS + " days against the " + PERIOD_DAYS + " days before"));
        kpis.add(new Kpi("kpi-total-clv", "Total CLV", Fmt.money(k.num("total_clv")), Fmt.NONE, "flat",
                "Sum of the customers' predicted value over the model's horizon (discounted)"));
        kpis.add(new Kpi("kpi-average-clv", "Average CLV", Fmt.money(k.num("average_clv")), Fmt.NONE, "flat",
                "Mean predicted value per scored customer"));
        kpis.add(new Kpi("kpi-value-at-risk", "Value at risk", Fmt.money(retention.num("value_at_risk")),
                Fmt.count(retention.count("at_risk_customers")) + " customers", "flat",
                "CLV × churn probability of customers at high or critical risk in the latest retention run"));
        kpis.add(new Kpi("kpi-quality", "Data quality score", Fmt.num(qNow, 1), Fmt.change(qNow, qBefore),
                Fmt.direction(qNow, qBefore), "Score of the latest data-quality run (100 = every check passed), against the run before"));
        kpis.add(new Kpi("kpi-orders", "Orders, last " + PERIOD_DAYS + " days", Fmt.count(cur.count("orders")),
                Fmt.change(cur.num("orders"), prev.num("orders")), Fmt.direction(cur.num("orders"), prev.num("orders")),
                "Orders of the last " + PERIOD_DAYS + " days against the " + PERIOD_DAYS + " days before"));

        String period = cur.date("period_end") == null ? "No transactions yet"
                : "Last " + PERIOD_DAYS + " days (" + cur.date("period_start") + " to " + cur.date("period_end") + ") compared with the "
                        + PERIOD_DAYS + " days before (" + prev.date("period_start") + " to " + prev.date("period_end") + ")";
        Optional<Row> model = k.count("model_run_id") == null ? Optional.empty() : Optional.of(k);
        Optional<String> dataEnd = Optional.ofNullable(k.date("last_date")).map(Object::toString);
        boolean scored = k.count("scored_customers") != null && k.count("scored_customers") > 0;
        CohortMatrix cohorts = CohortMatrix.of(data.cohortRetention().stream().map(Row::new).toList());
        return new DashboardPage(List.copyOf(kpis), period, model, dataEnd, scored, cohorts);
    }

    private static Double ratio(Long part, Long whole) {
        return part == null || whole == null || whole == 0 ? null : part / (double) whole;
    }
}
