package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.retention.ActionRules;
import io.clvanalytics.engine.retention.CohortReport;
import io.clvanalytics.engine.retention.CohortUnit;
import io.clvanalytics.engine.retention.ContractualCohort;
import io.clvanalytics.engine.retention.CustomerRetention;
import io.clvanalytics.engine.retention.KaplanMeier;
import io.clvanalytics.engine.retention.LogRankTest;
import io.clvanalytics.engine.retention.RetentionReport;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import io.clvanalytics.engine.retention.RetentionSummary;
import io.clvanalytics.engine.retention.SegmentMap;
import io.clvanalytics.engine.retention.SurvivalReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Score churn risk, engagement, RFM segments and recommended actions for every customer",
            "(written to retention_scores and customers.segment/status), then print the summary, the at-risk",
            "list with actions, cohort retention, Kaplan-Meier survival and sBG fits per cohort."})
final class RetentionCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--as-of", paramLabel = "DATE", description = "Analysis date (default: the last purchase date in the store).")
    String asOf;

    @Option(names = "--model-run", paramLabel = "ID", description = "CLV model run for P(alive) and CLV (default: the latest one with scores).")
    Long modelRun;

    @Option(names = "--inactivity-days", paramLabel = "N", defaultValue = "180",
            description = "Silence after which a customer is churned (default: ${DEFAULT-VALUE}).")
    int inactivityDays;

    @Option(names = "--trend-days", paramLabel = "N", defaultValue = "90",
            description = "Window of the activity trend in the engagement score (default: ${DEFAULT-VALUE}).")
    int trendDays;

    @Option(names = "--churn-medium", paramLabel = "P", defaultValue = "0.30",
            description = "Churn probability from which risk is medium (default: ${DEFAULT-VALUE}).")
    double churnMedium;

    @Option(names = "--churn-high", paramLabel = "P", defaultValue = "0.60",
            description = "Churn probability from which risk is high (default: ${DEFAULT-VALUE}).")
    double churnHigh;

    @Option(names = "--value-at-risk-high", paramLabel = "AMOUNT",
            description = "Value at risk that makes risk critical (default: the 80th percentile of this run).")
    Double valueAtRiskHigh;

    @Option(names = "--segment-map", paramLabel = "FILE", description = "Segment names per R×F cell, lines like [1-2][1-2]=hibernating.")
    Path segmentMap;

    @Option(names = "--actions", paramLabel = "FILE",
            description = "Action rules, lines segment,risk_level,value_tier,action,priority,reason (first match wins).")
    Path actions;

    @Option(names = "--cohort-unit", paramLabel = "UNIT", defaultValue = "month", description = "month or week (default: ${DEFAULT-VALUE}).")
    String cohortUnit;

    @Option(names = "--max-periods", paramLabel = "N", defaultValue = "12",
            description = "Periods after acquisition in the cohort table (default: ${DEFAULT-VALUE}).")
    int maxPeriods;

    @Option(names = "--max-cohorts", paramLabel = "N", defaultValue = "24",
            description = "Latest cohorts shown in the cohort and sBG tables; --json has all (default: ${DEFAULT-VALUE}).")
    int maxCohorts;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Customers in the at-risk list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--survival-by", paramLabel = "GROUPING", defaultValue = "segment",
            description = "none, segment or cohort (default: ${DEFAULT-VALUE}).")
    String survivalBy;

    @Option(names = "--compare", paramLabel = "A,B", description = "Two groups for the log-rank test (default: the two largest).")
    String compare;

    @Option(names = "--sbg-min-cohort", paramLabel = "N", defaultValue = "50",
            description = "Smallest cohort the sBG model is fitted to (default: ${DEFAULT-VALUE}).")
    int sbgMinCohort;

    @Option(names = "--horizon", paramLabel = "N", defaultValue = "12", description = "Periods projected by sBG (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--discount-rate", paramLabel = "R", defaultValue = "0.10",
            description = "Annual discount rate of the DERL (default: ${DEFAULT-VALUE}).")
    double discountRate;

    @Override
    public Integer call() {
        if (!Files.exists(common.dbPath())) {
            throw new DataValidationException("--db: store " + common.dbPath()
                    + " does not exist (create it with `clv generate` or `clv import`)");
        }
        SegmentMap map = segmentMap == null ? SegmentMap.standard() : SegmentMap.parse(read(segmentMap, "--segment-map"), segmentMap.toString());
        ActionRules rules = actions == null ? ActionRules.defaults() : ActionRules.parse(read(actions, "--actions"), actions.toString(), map);
        RetentionSettings settings = new RetentionSettings(date(), modelRun, inactivityDays, trendDays, churnMedium, churnHigh,
                valueAtRiskHigh, 0.80, 0.40, 0.80, map, rules, 10);
        String[] pair = compare == null ? new String[] {null, null} : compare.split(",", 2);
        if (pair.length != 2) {
            throw new DataValidationException("--compare: name two groups separated by a comma (" + compare + ")");
        }
        RetentionReport.Options options = new RetentionReport.Options(CohortUnit.parse(cohortUnit), maxPeriods, limit,
                grouping(), pair[0] == null ? null : pair[0].strip(), pair[1] == null ? null : pair[1].strip(),
                sbgMinCohort, horizon, discountRate);
        try (Engine engine = common.openEngine()) {
            RetentionReport report = RetentionService.of(engine).report(settings, options);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                Output.json(out, report);
            } else {
                print(out, report, maxCohorts);
            }
            return ClvCli.EXIT_OK;
        }
    }

    private LocalDate date() {
        if (asOf == null) {
            return null;
        }
        try {
            return LocalDate.parse(asOf);
        } catch (DateTimeParseException e) {
            throw new DataValidationException("--as-of: must be a date like 2024-06-30 (" + asOf + ")");
        }
    }

    private RetentionService.SurvivalGrouping grouping() {
        try {
            return RetentionService.SurvivalGrouping.valueOf(survivalBy.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataValidationException("--survival-by: must be none, segment or cohort (" + survivalBy + ")");
        }
    }

    private static String read(Path file, String option) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new DataValidationException(option + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static void print(PrintWriter out, RetentionReport r, int maxCohorts) {
        RetentionSummary s = r.summary();
        var run = s.run();
        out.printf("Retention run %d as of %s: %,d customers, churn from %s (%,d by model, %,d by recency fallback)%n",
                run.id(), run.asOf(), run.customers(), run.modelRunId() == null ? "the recency fallback (no CLV model run)"
                        : "model run " + run.modelRunId(), run.scoredByModel(), run.scoredByFallback());
        if (run.note() != null) {
            out.println("NOTE: " + run.note());
        }
        out.printf("Value at risk, all customers %,.2f; mean churn probability %.3f; mean engagement %.1f; critical from value at risk %,.2f%n%n",
                s.totalValueAtRisk(), s.meanChurnProbability(), s.meanEngagementScore(), run.valueAtRiskThreshold());
        groups(out, "segment", s.bySegment());
        groups(out, "risk level", s.byRiskLevel());
        groups(out, "status", s.byStatus());
        groups(out, "action", s.byAction());

        out.println("At risk (high and critical), most urgent first:");
        List<List<?>> rows = new ArrayList<>();
        for (CustomerRetention c : r.atRisk()) {
            rows.add(List.of(c.sourceId() == null ? String.valueOf(c.customerId()) : c.sourceId(), c.riskLevel(),
                    fmt(c.churnProbability()), money(c.clv()), money(c.valueAtRisk()), c.segment(), c.action(),
                    c.actionPriority(), c.actionReason()));
        }
        Output.table(out, List.of("customer", "risk", "churn", "clv", "value at risk", "segment", "action", "priority", "why"), rows);
        out.println();

        CohortReport cohorts = r.cohorts();
        TreeMap<LocalDate, List<CohortReport.Cell>> byCohort = new TreeMap<>();
        for (CohortReport.Cell c : cohorts.cells()) {
            byCohort.computeIfAbsent(c.cohort(), k -> new ArrayList<>()).add(c);
        }
        int total = byCohort.size();
        while (byCohort.size() > Math.max(0, maxCohorts)) {
            byCohort.pollFirstEntry();
        }
        LocalDate firstShown = byCohort.isEmpty() ? LocalDate.MAX : byCohort.firstKey();
        out.printf("Cohort retention by %s, latest %d of %d cohorts (share of the cohort buying in period n; * = period not over yet):%n",
                cohorts.unit().name().toLowerCase(Locale.ROOT), byCohort.size(), total);
        int periods = 0;
        for (List<CohortReport.Cell> cells : byCohort.values()) {
            periods = Math.max(periods, cells.size());
        }
        List<String> header = new ArrayList<>(List.of("cohort", "size"));
        for (int p = 0; p < periods; p++) {
            header.add("p" + p);
        }
        rows = new ArrayList<>();
        for (var e : byCohort.entrySet()) {
            List<Object> row = new ArrayList<>(List.of(e.getKey(), e.getValue().get(0).cohortSize()));
            for (CohortReport.Cell c : e.getValue()) {
                row.add(String.format(Locale.ROOT, "%.1f%%%s", 100 * c.retentionRate(), c.incomplete() ? "*" : ""));
            }
            rows.add(row);
        }
        Output.table(out, header, rows);
        out.println();

        SurvivalReport sv = r.survival();
        out.printf("Survival (Kaplan-Meier; churn = %d days without a purchase; days from first to last purchase):%n",
                sv.inactivityDays());
        rows = new ArrayList<>();
        rows.add(survivalRow(sv.overall()));
        for (SurvivalReport.Group g : sv.groups()) {
            rows.add(survivalRow(g));
        }
        Output.table(out, List.of("group", "customers", "churned", "median days", "S(30)", "S(90)", "S(180)", "S(365)"), rows);
        LogRankTest.Result lr = sv.comparison();
        if (lr != null) {
            out.printf("Log-rank %s vs %s: chi-square %.2f, p = %.3g (observed/expected churned %d/%.1f vs %d/%.1f)%n",
                    lr.groupA(), lr.groupB(), lr.chiSquare(), lr.pValue(), lr.observedA(), lr.expectedA(), lr.observedB(), lr.expectedB());
        }
        out.println();

        out.println("Contractual view: sBG per cohort (survivors = bought in period n or later):");
        rows = new ArrayList<>();
        for (ContractualCohort c : r.contractual()) {
            if (c.cohort().isBefore(firstShown)) {
                continue;
            }
            if (c.fit() == null) {
                rows.add(List.of(c.cohort(), c.size(), "", "", "", "", "", c.note()));
            } else {
                int last = c.projectedSurvival().size() - 1;
                rows.add(List.of(c.cohort(), c.size(), fmt(c.fit().alpha()), fmt(c.fit().beta()), fmt(c.fit().meanChurn()),
                        fmt(c.projectedSurvival().get(last)), fmt(c.derlNewCustomer()), c.note()));
            }
        }
        Output.table(out, List.of("cohort", "size", "alpha", "beta", "mean churn", "S(horizon)", "DERL", "note"), rows);
    }

    private static List<?> survivalRow(SurvivalReport.Group g) {
        KaplanMeier.Curve c = g.curve();
        return List.of(g.name(), c.subjects(), c.events(), c.median() == null ? "not reached" : String.valueOf(c.median().longValue()),
                fmt(c.survivalAt(30)), fmt(c.survivalAt(90)), fmt(c.survivalAt(180)), fmt(c.survivalAt(365)));
    }

    private static void groups(PrintWriter out, String what, List<RetentionSummary.Group> groups) {
        List<List<?>> rows = new ArrayList<>();
        for (RetentionSummary.Group g : groups) {
            rows.add(List.of(g.name(), g.customers(), String.format(Locale.ROOT, "%.1f%%", 100 * g.share()),
                    money(g.valueAtRisk()), fmt(g.meanChurnProbability())));
        }
        Output.table(out, List.of(what, "customers", "share", "value at risk", "mean churn"), rows);
        out.println();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }
}
