package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.FitResult;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.TimeUnit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit a CLV model by maximum likelihood and store the run (parameters with standard errors and 95%% intervals,"
                + " log-likelihood, diagnostics).",
            "With no options: BG/NBD on the whole history, in weeks."})
final class FitCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "bgnbd", paramLabel = "MODEL",
            description = "bgnbd (BG/NBD), pnbd (Pareto/NBD), mbgnbd (MBG/NBD), gg (Gamma-Gamma spend), or auto: fit the three"
                    + " purchase models on a calibration period, pick the lowest holdout error (mean absolute per-customer error of"
                    + " holdout purchases; default holdout: the last third of the history), fit it on the whole history and store"
                    + " it as the choice `clv score` uses. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--calibration-end", paramLabel = "DATE",
            description = "Last day (yyyy-MM-dd) of the calibration period. Default: the last purchase day in the store.")
    LocalDate calibrationEnd;

    @Option(names = "--holdout-end", paramLabel = "DATE",
            description = "Last day of the holdout period (after --calibration-end); the JSON then compares expected and actual holdout purchases."
                    + " Default: no holdout.")
    LocalDate holdoutEnd;

    @Option(names = "--time-unit", defaultValue = "week", paramLabel = "UNIT",
            description = "day, week (days/7) or month (days/30.4375). Default: ${DEFAULT-VALUE}.")
    String timeUnit;

    @Option(names = "--penalizer", defaultValue = "0", paramLabel = "X",
            description = "L2 penalty on the parameters, as lifetimes' penalizer_coef. Default: ${DEFAULT-VALUE} (none).")
    double penalizer;

    @Option(names = "--returns", defaultValue = "exclude", paramLabel = "HOW",
            description = "exclude returns, or net them against the period's spend. Default: ${DEFAULT-VALUE}.")
    String returns;

    @Option(names = "--purchases", defaultValue = "day", paramLabel = "HOW",
            description = "What one purchase is: day (a customer's lines on one day, times in days; the published convention),"
                    + " order (each order, times in days) or timestamp (each order at its exact ts). Default: ${DEFAULT-VALUE}.")
    String purchases;

    @Option(names = "--no-diagnostics", description = "Skip the diagnostics tables (tracking, histogram, frequency-recency).")
    boolean noDiagnostics;

    @Override
    public Integer call() {
        RfmSummary.Returns how = switch (returns.toLowerCase(Locale.ROOT)) {
            case "exclude" -> RfmSummary.Returns.EXCLUDE;
            case "net" -> RfmSummary.Returns.NET;
            default -> throw new io.clvanalytics.engine.DataValidationException("--returns: must be exclude or net (" + returns + ")");
        };
        RfmSummary.Options options = new RfmSummary.Options(calibrationEnd, holdoutEnd, TimeUnit.parse(timeUnit), how,
                RfmSummary.Timing.parse(purchases));
        try (Engine engine = common.openEngine()) {
            var out = spec.commandLine().getOut();
            if (ClvService.AUTO.equals(model)) {
                ClvService.AutoReport auto = ClvService.on(engine).fitAuto(options, penalizer, !noDiagnostics);
                if (common.json()) {
                    Output.json(out, json(auto));
                } else {
                    List<List<?>> rows = new ArrayList<>();
                    for (ClvService.Candidate k : auto.candidates()) {
                        ClvService.FitReport r = k.run();
                        rows.add(r == null ? List.of(k.model(), "", "", "", "not fitted: " + k.failure())
                                : List.of(k.model(), r.runId(), r.holdout().meanAbsoluteError(), r.holdout().expected() - r.holdout().actual(),
                                        r.warning() == null ? "" : "no drop-out (reduces to NBD)"));
                    }
                    ClvService.FitReport first = auto.candidates().stream().map(ClvService.Candidate::run)
                            .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
                    out.printf("candidates fitted on %s to %s, holdout to %s:%n", first.window().firstDate(),
                            first.window().calibrationEnd(), first.window().holdoutEnd());
                    Output.table(out, List.of("model", "run", "holdout MAE", "holdout error", "note"), rows);
                    out.println("chosen: " + auto.reason());
                    print(out, auto.chosen());
                }
                return ClvCli.EXIT_OK;
            }
            ClvService.FitReport report = ClvService.on(engine).fit(model, options, penalizer, !noDiagnostics);
            if (common.json()) {
                Output.json(out, json(report));
            } else {
                print(out, report);
            }
            return ClvCli.EXIT_OK;
        }
    }

    static void print(java.io.PrintWriter out, ClvService.FitReport report) {
        List<List<?>> rows = new ArrayList<>();
        for (FitResult.Parameter p : report.fit().parameters()) {
            if (Double.isNaN(p.value())) {
                rows.add(List.of(p.name(), "not identified", "", "", ""));
            } else if (Double.isNaN(p.standardError())) {
                rows.add(List.of(p.name(), "0 (boundary)", "", "", ""));
            } else {
                rows.add(List.of(p.name(), p.value(), p.standardError(), p.lower95(), p.upper95()));
            }
        }
        out.printf("run %d: %s on %,d customers (%s to %s, unit %s), log-likelihood %.2f, converged after %d evaluations%n",
                report.runId(), report.model(), report.fit().customers(), report.window().firstDate(),
                report.window().calibrationEnd(), report.window().unit().label(), report.fit().logLikelihood(),
                report.fit().iterations());
        Output.table(out, List.of("parameter", "estimate", "std error", "95% low", "95% high"), rows);
        if (report.holdout() != null) {
            out.printf("holdout to %s: %,d customers, expected %.2f, actual %.2f, mean absolute error %.4f%n",
                    report.window().holdoutEnd(), report.holdout().customers(), report.holdout().expected(),
                    report.holdout().actual(), report.holdout().meanAbsoluteError());
        }
        if (report.warning() != null) {
            out.println("WARNING: " + report.warning());
        }
    }

    static Map<String, Object> json(ClvService.AutoReport a) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (ClvService.Candidate k : a.candidates()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("model", k.model());
            if (k.run() == null) {
                c.put("failure", k.failure());
            } else {
                c.put("run", json(k.run()));
            }
            candidates.add(c);
        }
        m.put("selection_measure", "holdout_mae");
        m.put("candidates", candidates);
        m.put("chosen", json(a.chosen()));
        m.put("reason", a.reason());
        return m;
    }

    static Map<String, Object> json(ClvService.FitReport r) {
        return ClvJson.fit(r);
    }
}
