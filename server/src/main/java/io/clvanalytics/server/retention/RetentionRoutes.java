package io.clvanalytics.server.retention;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.dashboard.CohortMatrix;
import io.clvanalytics.server.store.Row;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Retention: the at-risk list with actions (sortable, exportable), cohorts, survival and segment × risk. */
public final class RetentionRoutes {

    /** The dashboard reads the same rows (one cached query for both pages). */
    static final int AT_RISK_SHOWN = io.clvanalytics.server.store.DashboardData.AT_RISK_READ;
    /** Sort keys of the at-risk list and their columns. */
    public static final Map<String, String> SORTS = Map.of("value_at_risk", "value_at_risk", "churn", "churn_probability", "clv", "clv");

    private RetentionRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/retention", ctx -> page(ctx, deps), Role.ANALYST, Role.ADMIN);
        app.get("/retention/at-risk.csv", ctx -> csv(ctx, deps), Role.ANALYST, Role.ADMIN);
    }

    /**
     * What the retention page shows.
     *
     * @param summary  the latest retention run's totals (empty run id: not scored yet)
     * @param atRisk   the customers most at risk, sorted as asked
     * @param sort     the sort key
     * @param segments segment × risk rows
     * @param cohorts  the cohort matrix
     */
    public record RetentionPage(Row summary, List<Row> atRisk, String sort, List<Row> segments, CohortMatrix cohorts) {
        public boolean scored() {
            return summary.count("retention_run_id") != null;
        }
    }

    private static String sort(Context ctx) {
        String s = ctx.queryParam("sort");
        if (s == null || s.isBlank()) {
            return "value_at_risk";
        }
        if (!SORTS.containsKey(s)) {
            throw HttpError.badField("sort", "sort must be one of " + SORTS.keySet().stream().sorted().toList());
        }
        return s;
    }

    private static void page(Context ctx, ServerDeps deps) {
        String sort = sort(ctx);
        String column = SORTS.get(sort);
        List<Row> atRisk = deps.store().rows("at_risk", Map.of("limit", AT_RISK_SHOWN)).stream()
                .sorted(Comparator.comparing((Row r) -> r.num(column), Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
        RetentionPage view = new RetentionPage(deps.store().row("retention_summary", Map.of()).orElse(new Row(Map.of())), atRisk,
                sort, deps.store().rows("segment_risk", Map.of()),
                CohortMatrix.of(deps.store().rows("cohort_retention", Map.of("cohorts", 12, "months", 12))));
        deps.views().send(ctx, "retention/retention.jte", Map.of("page", PageContext.of(ctx, deps.store()), "view", view));
    }

    /** Every at-risk customer as CSV; cells a spreadsheet would run as formulas are made text. */
    private static void csv(Context ctx, ServerDeps deps) {
        List<Row> rows = deps.store().rows("at_risk", Map.of());
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"at-risk-" + LocalDate.now(deps.clock()) + ".csv\"");
        List<String> cols = List.of("customer", "name", "segment", "risk_level", "churn_probability", "value_at_risk", "clv", "action",
                "action_reason");
        try (Writer w = new java.io.OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            w.write(String.join(",", cols) + "\n");
            for (Row r : rows) {
                StringBuilder b = new StringBuilder();
                for (String c : cols) {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(cell(r.get(c)));
                }
                w.write(b.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 quoting; text starting with = + - @ tab or CR gets a leading apostrophe (OWASP CSV injection). */
    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        String s = v.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        return s.matches(".*[\",\\n\\r].*") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
