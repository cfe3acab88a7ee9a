package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.CalculationException;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The retention manager over one store: who is about to leave, what they are worth and what to do.
 *
 * <p>Definitions (all as of the run's as-of date; a purchase day is a day with at least one
 * non-return line):
 * <ul>
 *   <li><b>Churn probability</b> = 1 − P(alive) of the latest CLV model run that scored the customer
 *       ({@code churn_source = model}). Without one (no model run, or the customer was not scored)
 *       the recency fallback {@code 1 − exp(−recency / g)} is used, g = tenure days / purchase days
 *       being the customer's mean gap between purchases ({@code churn_source = recency_fallback}).
 *       The fallback also serves every customer when the model run's fit found no measurable
 *       drop-out ({@code model_runs.dropout_boundary}: P(alive) ≈ 1 says nothing about churn); the
 *       run's {@link RetentionRun#note()} then says so.</li>
 *   <li><b>CLV</b> from the same model run, else one year of historical spend
 *       ({@code net revenue × 365 / max(tenure days, 365)}). <b>Value at risk</b> = CLV × churn.</li>
 *   <li><b>Risk level</b>: critical when churn ≥ churnHigh and value at risk ≥ the value-at-risk
 *       threshold; high when churn ≥ churnHigh, or churn ≥ churnMedium with value at risk over the
 *       threshold; medium when churn ≥ churnMedium, or when the customer has been silent for
 *       inactivityDays or more (status churned) whatever the churn probability: status and risk never
 *       contradict (no churned customer at low risk; a model may still call a silent customer a
 *       slow buyer, which keeps them at medium rather than high).</li>
 *   <li><b>Value tier</b>: high when CLV ≥ its valueTierHighQuantile, low below valueTierLowQuantile.</li>
 *   <li><b>Engagement score</b> = 100 × (0.35·max(0, 1 − recency/inactivityDays) + 0.20·F + 0.15·M
 *       + 0.10·T + 0.20·(recent + 1)/(recent + prior + 2)), rounded to 0.1, where F, M and T are the
 *       cumulative distribution (share of customers at or below) of purchase days, net revenue and
 *       tenure, and recent/prior count purchase days in the last and previous trendDays. It rises with
 *       recency, frequency, spend, tenure and recent activity, and falls with activity only in the past.</li>
 *   <li><b>R, F, M scores</b> 1–5: quintiles ({@code ntile(5)}) of last purchase date, purchase days and
 *       net revenue, ties broken by customer id (5 = most recent, most frequent, highest spend).
 *       The <b>segment</b> is the {@link SegmentMap} cell of (R, F).</li>
 *   <li><b>Status</b>: churned when silent for inactivityDays or more; at risk when the risk level is
 *       high or critical; else active. Written to {@code customers.status} with the segment.</li>
 *   <li><b>Action</b>: the first {@link ActionRules} rule matching (segment, risk level, value tier).</li>
 * </ul>
 * Thread-safe: each call uses its own connection.
 */
public final class RetentionService {

    /** More periods than any store spans: the cohort table without a limit. */
    private static final int ALL_PERIODS = 100_000;

    private final Engine engine;

    private RetentionService(Engine engine) {
        this.engine = engine;
    }

    /** The retention manager of {@code engine}'s store. */
    public static RetentionService of(Engine engine) {
        return new RetentionService(engine);
    }

    /** Scores every customer with a purchase, writes retention_scores and customers.segment/status. */
    public RetentionRun score(RetentionSettings settings) {
        return engine.inTransaction(c -> RetentionScoring.run(c, settings, engine.clock().instant()));
    }

    /**
     * Scores with {@code settings} (writing scores, segments and statuses) and assembles the full
     * report of that run.
     */
    public RetentionReport report(RetentionSettings settings, RetentionReport.Options options) {
        RetentionRun run = score(settings);
        // One pass over the transactions serves both the cohort table and the sBG survivor counts.
        CohortReport allPeriods = cohorts(options.cohortUnit(), run.asOf(), ALL_PERIODS);
        CohortReport shown = new CohortReport(allPeriods.unit(), allPeriods.asOf(), allPeriods.cells().stream()
                .filter(c -> c.period() <= options.maxPeriods()).toList());
        return new RetentionReport(summary(run.id()), atRisk(run.id(), options.atRiskLimit()), shown,
                survival(run.asOf(), settings.inactivityDays(), options.survivalBy(), options.cohortUnit(),
                        options.compareA(), options.compareB()),
                contractual(allPeriods, settings.inactivityDays(), options.sbgMinCohortSize(),
                        options.sbgHorizon(), options.annualDiscountRate()));
    }

    /** The latest retention run, if any. */
    public Optional<RetentionRun> latestRun() {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM retention_runs ORDER BY id DESC LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(c, rs.getLong(1))) : Optional.<RetentionRun>empty();
            }
        });
    }

    /** The run {@code id}. */
    public RetentionRun run(long id) {
        return query(c -> run(c, id));
    }

    private static RetentionRun run(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.run_id, r.as_of, r.started_at, r.customers,
                       (SELECT count(*) FROM retention_scores s WHERE s.retention_run_id = r.id AND s.churn_source = 'model'),
                       CAST(json_extract(r.settings_json, '$.inactivityDays') AS INTEGER),
                       CAST(json_extract(r.settings_json, '$.valueAtRiskThreshold') AS DOUBLE),
                       CAST(json_extract(r.settings_json, '$.clvLowThreshold') AS DOUBLE),
                       CAST(json_extract(r.settings_json, '$.clvHighThreshold') AS DOUBLE),
                       json_extract_string(r.settings_json, '$.note')
                FROM retention_runs r WHERE r.id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DataValidationException("retention run " + id + " does not exist");
                }
                long model = rs.getLong(5);
                Long modelRun = rs.getObject(1) == null ? null : rs.getLong(1);
                return new RetentionRun(id, modelRun, rs.getDate(2).toLocalDate(), rs.getTimestamp(3).toInstant(),
                        rs.getLong(4), model, rs.getLong(4) - model, rs.getInt(6), rs.getDouble(7), rs.getDouble(8),
                        rs.getDouble(9), rs.getString(10));
            }
        }
    }

    /** Totals per segment, risk level, status and action of run {@code runId}. */
    public RetentionSummary summary(long runId) {
        return query(c -> {
            RetentionRun run = run(c, runId);
            double[] totals = new double[3];
            try (PreparedStatement ps = c.prepareStatement("SELECT sum(value_at_risk), avg(churn_probability),"
                    + " avg(engagement_score) FROM retention_scores WHERE retention_run_id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    totals = new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)};
                }
            }
            return new RetentionSummary(run, totals[0], totals[1], totals[2], groups(c, runId, "segment", run.customers()),
                    groups(c, runId, "risk_level", run.customers()), groups(c, runId, "status", run.customers()),
                    groups(c, runId, "action", run.customers()));
        });
    }

    private static List<RetentionSummary.Group> groups(Connection c, long runId, String column, long total) throws SQLException {
        // column comes from the fixed list in summary(), never from input.
        String sql = "SELECT " + column + ", count(*), sum(value_at_risk), avg(churn_probability) FROM retention_scores"
                + " WHERE retention_run_id = ? GROUP BY 1 ORDER BY 2 DESC, 1";
        List<RetentionSummary.Group> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RetentionSummary.Group(rs.getString(1), rs.getLong(2), (double) rs.getLong(2) / total,
                            rs.getDouble(3), rs.getDouble(4)));
                }
            }
        }
        return out;
    }

    /**
     * Customers of run {@code runId} at high or critical risk, most urgent action first, then by
     * value at risk (largest first); at most {@code limit}.
     */
    public List<CustomerRetention> atRisk(long runId, int limit) {
        return customers(runId, "s.risk_level IN ('high', 'critical')", limit);
    }

    /** Customers of run {@code runId} by value at risk (largest first); at most {@code limit}. */
    public List<CustomerRetention> topByValueAtRisk(long runId, int limit) {
        return customers(runId, "TRUE", limit);
    }

    private List<CustomerRetention> customers(long runId, String fixedFilter, int limit) {
        if (limit < 0) {
            throw new DataValidationException("--limit: must be >= 0 (" + limit + ")");
        }
        String sql = """
                SELECT s.customer_id, c.source_id, c.name, s.churn_probability, s.churn_source, s.clv, s.value_at_risk,
                       s.risk_level, s.value_tier, s.engagement_score, s.r_score, s.f_score, s.m_score, s.segment,
                       s.status, s.action, s.action_priority, s.action_reason, s.recency_days, s.frequency, s.monetary
                FROM retention_scores s LEFT JOIN customers c ON c.id = s.customer_id
                WHERE s.retention_run_id = ? AND %s
                ORDER BY s.action_priority, s.value_at_risk DESC, s.customer_id LIMIT ?""".formatted(fixedFilter);
        return query(c -> {
            List<CustomerRetention> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, runId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CustomerRetention(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                                rs.getString(5), rs.getDouble(6), rs.getDouble(7), rs.getString(8), rs.getString(9),
                                rs.getDouble(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getString(14),
                                rs.getString(15), rs.getString(16), rs.getInt(17), rs.getString(18), rs.getInt(19),
                                rs.getInt(20), rs.getDouble(21)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Cohort retention as of {@code asOf} (null: the last purchase date), periods 0..maxPeriods.
     * See {@link CohortReport} for the definitions.
     */
    public CohortReport cohorts(CohortUnit unit, LocalDate asOf, int maxPeriods) {
        if (maxPeriods < 0) {
            throw new DataValidationException("--max-periods: must be >= 0 (" + maxPeriods + ")");
        }
        return query(c -> {
            LocalDate date = asOf != null ? asOf : RetentionScoring.lastPurchaseDate(c);
            String u = unit.sqlPart();
            String iv = unit.sqlInterval();
            // u and iv come from the CohortUnit enum, never from input.
            String sql = """
                    WITH days AS (
                        SELECT customer_id, date, sum(amount)::DOUBLE AS amount, bool_or(NOT is_return) AS purchase
                        FROM transactions WHERE date <= ?::DATE AND customer_id IS NOT NULL GROUP BY customer_id, date),
                    firsts AS (
                        SELECT customer_id, date_trunc('%1$s', min(date) FILTER (WHERE purchase))::DATE AS cohort
                        FROM days GROUP BY customer_id HAVING min(date) FILTER (WHERE purchase) IS NOT NULL),
                    a AS (
                        SELECT d.customer_id, f.cohort, d.amount, d.purchase,
                               date_diff('%1$s', f.cohort, date_trunc('%1$s', d.date)::DATE)::INTEGER AS period
                        FROM days d JOIN firsts f USING (customer_id) WHERE d.date >= f.cohort),
                    sizes AS (SELECT cohort, count(*) AS size FROM firsts GROUP BY cohort),
                    per AS (
                        SELECT cohort, period, count(DISTINCT customer_id) FILTER (WHERE purchase) AS active, sum(amount) AS revenue
                        FROM a GROUP BY cohort, period),
                    lastp AS (
                        SELECT cohort, max(period) FILTER (WHERE purchase) AS last_period FROM a GROUP BY customer_id, cohort),
                    lastc AS (SELECT cohort, last_period, count(*) AS n FROM lastp GROUP BY cohort, last_period),
                    grid AS (
                        SELECT cohort, size, unnest(range(0, least(?, date_diff('%1$s', cohort, date_trunc('%1$s', ?::DATE)::DATE)) + 1))::INTEGER AS period
                        FROM sizes),
                    later AS (
                        SELECT g.cohort, g.period, coalesce(sum(l.n), 0) AS retained
                        FROM grid g LEFT JOIN lastc l ON l.cohort = g.cohort AND l.last_period >= g.period
                        GROUP BY g.cohort, g.period)
                    SELECT g.cohort, g.size, g.period, (g.cohort + %2$s(g.period))::DATE AS period_start,
                           coalesce(p.active, 0), coalesce(p.revenue, 0), l.retained,
                           (g.cohort + %2$s(g.period + 1))::DATE > ?::DATE + 1 AS incomplete
                    FROM grid g JOIN later l USING (cohort, period) LEFT JOIN per p USING (cohort, period)
                    ORDER BY g.cohort, g.period""".formatted(u, iv);
            List<CohortReport.Cell> cells = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Date d = Date.valueOf(date);
                ps.setDate(1, d);
                ps.setInt(2, maxPeriods);
                ps.setDate(3, d);
                ps.setDate(4, d);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long size = rs.getLong(2);
                        long active = rs.getLong(5);
                        double revenue = rs.getDouble(6);
                        long retained = rs.getLong(7);
                        cells.add(new CohortReport.Cell(rs.getDate(1).toLocalDate(), size, rs.getInt(3),
                                rs.getDate(4).toLocalDate(), active, (double) active / size, retained,
                                (double) retained / size, revenue, revenue / size, rs.getBoolean(8)));
                    }
                }
            }
            return new CohortReport(unit, date, List.copyOf(cells));
        });
    }

    /** How {@link #survival} groups customers. */
    public enum SurvivalGrouping {
        /** One curve for everybody. */
        NONE,
        /** By segment of the latest retention run (run {@link #score} first). */
        SEGMENT,
        /** By acquisition cohort (month or week of first purchase). */
        COHORT
    }

    /**
     * Kaplan-Meier survival as of {@code asOf} (null: the last purchase date) with churn after
     * {@code inactivityDays} of silence, overall and per group. The log-rank test compares
     * {@code compareA} with {@code compareB}, or the two largest groups when those are null.
     * See {@link SurvivalReport} for the definitions.
     */
    public SurvivalReport survival(LocalDate asOf, int inactivityDays, SurvivalGrouping grouping, CohortUnit unit,
                                   String compareA, String compareB) {
        if (inactivityDays < 1) {
            throw new DataValidationException("--inactivity-days: must be >= 1 (" + inactivityDays + ")");
        }
        return query(c -> {
            LocalDate date = asOf != null ? asOf : RetentionScoring.lastPurchaseDate(c);
            String group = switch (grouping) {
                case NONE -> "'all'";
                case SEGMENT -> "coalesce(s.segment, 'not scored')";
                case COHORT -> "strftime(date_trunc('" + unit.sqlPart() + "', l.first_date), '%Y-%m-%d')";
            };
            String sql = """
                    WITH l AS (
                        SELECT customer_id, min(date) AS first_date, max(date) AS last_date
                        FROM transactions WHERE NOT is_return AND date <= ?::DATE AND customer_id IS NOT NULL GROUP BY customer_id),
                    s AS (
                        SELECT customer_id, segment FROM retention_scores
                        WHERE retention_run_id = (SELECT max(id) FROM retention_runs))
                    SELECT %s AS grp, date_diff('day', l.first_date, l.last_date) AS t,
                           count(*) FILTER (WHERE date_diff('day', l.last_date, ?::DATE) >= ?) AS events,
                           count(*) FILTER (WHERE date_diff('day', l.last_date, ?::DATE) < ?) AS censored
                    FROM l LEFT JOIN s USING (customer_id)
                    GROUP BY grp, t ORDER BY grp, t""".formatted(group);
            Map<String, List<KaplanMeier.Counts>> byGroup = new LinkedHashMap<>();
            List<KaplanMeier.Counts> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Date d = Date.valueOf(date);
                ps.setDate(1, d);
                ps.setDate(2, d);
                ps.setInt(3, inactivityDays);
                ps.setDate(4, d);
                ps.setInt(5, inactivityDays);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        KaplanMeier.Counts k = new KaplanMeier.Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4));
                        byGroup.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(k);
                        all.add(k);
                    }
                }
            }
            if (all.isEmpty()) {
                throw new DataValidationException("survival: no customer has a purchase on or before " + date);
            }
            if (grouping == SurvivalGrouping.SEGMENT && byGroup.keySet().equals(java.util.Set.of("not scored"))) {
                throw new DataValidationException("survival by segment: no retention run yet; run `clv retention` (score) first");
            }
            SurvivalReport.Group overall = new SurvivalReport.Group("all", KaplanMeier.fromCounts(all), List.copyOf(all));
            List<SurvivalReport.Group> groups = new ArrayList<>();
            if (grouping != SurvivalGrouping.NONE) {
                byGroup.forEach((name, counts) -> groups.add(
                        new SurvivalReport.Group(name, KaplanMeier.fromCounts(counts), List.copyOf(counts))));
                groups.sort(Comparator.comparingLong((SurvivalReport.Group g) -> g.curve().subjects()).reversed()
                        .thenComparing(SurvivalReport.Group::name));
            }
            LogRankTest.Result comparison = compare(groups, compareA, compareB);
            return new SurvivalReport(date, inactivityDays, grouping.name().toLowerCase(java.util.Locale.ROOT), overall,
                    List.copyOf(groups), comparison);
        });
    }

    private static LogRankTest.Result compare(List<SurvivalReport.Group> groups, String a, String b) {
        if ((a == null) != (b == null)) {
            throw new DataValidationException("--compare: name two groups separated by a comma");
        }
        SurvivalReport.Group ga;
        SurvivalReport.Group gb;
        if (a == null) {
            if (groups.size() < 2) {
                return null;
            }
            ga = groups.get(0);
            gb = groups.get(1);
        } else {
            ga = find(groups, a);
            gb = find(groups, b);
        }
        try {
            return LogRankTest.compare(ga.name(), ga.counts(), gb.name(), gb.counts());
        } catch (CalculationException e) {
            if (a != null) {
                throw e;
            }
            return null;
        }
    }

    private static SurvivalReport.Group find(List<SurvivalReport.Group> groups, String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow(() -> new DataValidationException(
                "--compare: no group named '" + name + "'; groups are " + groups.stream().map(SurvivalReport.Group::name).toList()));
    }

    /**
     * The sBG model per acquisition cohort (see {@link ContractualCohort}): survivors of periods
     * that ended at least {@code inactivityDays} before the as-of date, fitted when the cohort has
     * at least {@code minCohortSize} customers and two such periods after period 0; projections
     * for periods 0..horizon and DERL at {@code annualDiscountRate} converted to the period.
     */
    public List<ContractualCohort> contractual(CohortUnit unit, LocalDate asOf, int inactivityDays, int minCohortSize,
                                               int horizon, double annualDiscountRate) {
        if (!(annualDiscountRate > 0)) {
            throw new DataValidationException("--discount-rate: must be > 0 (" + annualDiscountRate + ")");
        }
        if (horizon < 1) {
            throw new DataValidationException("--horizon: must be >= 1 (" + horizon + ")");
        }
        return contractual(cohorts(unit, asOf, ALL_PERIODS), inactivityDays, minCohortSize, horizon, annualDiscountRate);
    }

    private static List<ContractualCohort> contractual(CohortReport report, int inactivityDays, int minCohortSize,
                                                       int horizon, double annualDiscountRate) {
        CohortUnit unit = report.unit();
        LocalDate lastObservable = report.asOf().minusDays(inactivityDays);
        double rate = Math.pow(1 + annualDiscountRate, 1 / unit.perYear()) - 1;
        Map<LocalDate, List<CohortReport.Cell>> byCohort = new LinkedHashMap<>();
        for (CohortReport.Cell cell : report.cells()) {
            byCohort.computeIfAbsent(cell.cohort(), k -> new ArrayList<>()).add(cell);
        }
        List<ContractualCohort> out = new ArrayList<>();
        for (Map.Entry<LocalDate, List<CohortReport.Cell>> e : byCohort.entrySet()) {
            List<Long> survivors = new ArrayList<>();
            long size = e.getValue().get(0).cohortSize();
            for (CohortReport.Cell cell : e.getValue()) {
                LocalDate periodEnd = unit == CohortUnit.MONTH ? cell.periodStart().plusMonths(1) : cell.periodStart().plusWeeks(1);
                if (periodEnd.minusDays(1).isAfter(lastObservable)) {
                    break;
                }
                survivors.add(cell.retainedOrLater());
            }
            if (size < minCohortSize) {
                out.add(notFitted(e.getKey(), size, survivors, rate, "cohort smaller than " + minCohortSize));
            } else if (survivors.size() < 3) {
                out.add(notFitted(e.getKey(), size, survivors, rate,
                        "fewer than 2 periods after period 0 ended " + inactivityDays + " days before " + report.asOf()));
            } else {
                try {
                    ShiftedBetaGeometric.Fit fit = ShiftedBetaGeometric.fit(survivors.stream().mapToLong(Long::longValue).toArray());
                    List<Double> s = new ArrayList<>();
                    List<Double> r = new ArrayList<>();
                    for (int t = 0; t <= horizon; t++) {
                        s.add(fit.survival(t));
                        if (t >= 1) {
                            r.add(fit.retentionRate(t));
                        }
                    }
                    out.add(new ContractualCohort(e.getKey(), size, List.copyOf(survivors), fit, List.copyOf(s), List.copyOf(r),
                            rate, fit.derl(rate, 0), "fitted on periods 0.." + (survivors.size() - 1)));
                } catch (CalculationException ex) {
                    out.add(notFitted(e.getKey(), size, survivors, rate, ex.getMessage()));
                }
            }
        }
        return out;
    }

    private static ContractualCohort notFitted(LocalDate cohort, long size, List<Long> survivors, double rate, String why) {
        return new ContractualCohort(cohort, size, List.copyOf(survivors), null, List.of(), List.of(), rate, null, why);
    }

    private <T> T query(Engine.SqlWork<T> work) {
        try (Connection c = engine.connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("retention query on " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }
}
