package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.retention.CohortUnit;
import io.clvanalytics.engine.retention.RetentionReport;
import io.clvanalytics.engine.retention.RetentionRun;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every retention output for the shared store's customers (default 1,000,000), each step and the whole
 * {@code clv retention} report, compared in the same run with the CLV scoring step that feeds it
 * ({@code ClvService.score("bgnbd", ...)}: BG/NBD and Gamma-Gamma fits plus P(alive) and CLV for every
 * customer), run first on a private copy of the store.
 */
final class RetentionBench implements Benchmark {

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public String description() {
        return "retention scoring, cohorts, survival, sBG and the full report for N customers vs the CLV scoring step (BG/NBD + Gamma-Gamma)";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Path store = ctx.copyOfSharedStore("retention");
        List<BenchResult> out = new ArrayList<>();
        try (Engine engine = Engine.open(store)) {
            Measurement clv = ctx.measure("CLV scoring (bgnbd + gg)", () -> ClvService.on(engine).score("bgnbd", 12, 0.01).customers());
            String baseline = "CLV scoring step (BG/NBD + Gamma-Gamma fit and score)";
            RetentionService service = RetentionService.of(engine);
            RetentionSettings settings = RetentionSettings.defaults();
            RetentionReport.Options options = RetentionReport.Options.defaults();
            long[] runId = new long[1];
            Measurement score = ctx.measure("retention scoring", () -> {
                RetentionRun run = service.score(settings);
                runId[0] = run.id();
                return run.customers();
            });
            Measurement lists = ctx.measure("summary and at-risk list", () -> {
                service.summary(runId[0]);
                return service.atRisk(runId[0], options.atRiskLimit()).size();
            });
            Measurement cohorts = ctx.measure("monthly cohorts", () -> service.cohorts(CohortUnit.MONTH, null, 12).cells().size());
            Measurement survival = ctx.measure("Kaplan-Meier by segment + log-rank", () -> service.survival(null,
                    settings.inactivityDays(), RetentionService.SurvivalGrouping.SEGMENT, CohortUnit.MONTH, null, null)
                    .overall().curve().subjects());
            Measurement sbg = ctx.measure("sBG per monthly cohort", () -> service.contractual(CohortUnit.MONTH, null,
                    settings.inactivityDays(), 50, 12, 0.10).size());
            Measurement all = ctx.measure("all retention outputs (clv retention report)", () ->
                    service.report(settings, options).summary().run().customers());
            String n = String.format(Locale.ROOT, "%,d customers", ctx.customers());
            out.add(BenchResult.timed(name(), "all retention outputs, " + n, all, baseline, clv));
            out.add(BenchResult.timed(name(), "  scoring: churn, risk, engagement, RFM, segments, actions, write-back", score, baseline, clv));
            out.add(BenchResult.timed(name(), "  summary and at-risk list", lists, baseline, clv));
            out.add(BenchResult.timed(name(), "  monthly cohort table", cohorts, baseline, clv));
            out.add(BenchResult.timed(name(), "  Kaplan-Meier by segment + log-rank", survival, baseline, clv));
            out.add(BenchResult.timed(name(), "  sBG fit per monthly cohort", sbg, baseline, clv));
        } finally {
            Files.deleteIfExists(store);
        }
        return out;
    }
}
