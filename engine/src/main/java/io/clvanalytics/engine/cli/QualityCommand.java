package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.quality.CheckResult;
import io.clvanalytics.engine.quality.CheckSettings;
import io.clvanalytics.engine.quality.DataQuality;
import io.clvanalytics.engine.quality.QualityRun;
import io.clvanalytics.engine.quality.RunComparison;
import io.clvanalytics.engine.quality.ScorePoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = {"Run the data-quality checks over the store, store the run and print the results.",
            "Exit code 0 when no check fails, 3 when any check fails or cannot be computed, 2 on bad input.",
            "Settings options (--set-threshold, --set-param, --disable, --enable, --reset) change the store's",
            "check settings and print them instead of running."})
final class QualityCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--check", paramLabel = "NAME", description = "Run only this check (repeatable); see --list.")
    List<String> checks = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DATE", description = "Only transactions dated on or after DATE (yyyy-MM-dd).")
    LocalDate since;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "10", description = "Offending rows kept per check (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--list", description = "List the checks with this store's thresholds and parameters.")
    boolean list;

    @Option(names = "--history", paramLabel = "N", arity = "0..1", fallbackValue = "20",
            description = "Print the score of the last N runs (default 20) instead of running.")
    Integer history;

    @Option(names = "--set-threshold", paramLabel = "NAME=WARN:FAIL",
            description = "Set warn and fail levels of a check (empty keeps the default), e.g. validity.unit_price=0:2.")
    List<String> setThreshold = new ArrayList<>();

    @Option(names = "--set-param", paramLabel = "NAME.KEY=VALUE",
            description = "Set a check parameter, e.g. volume.daily_rows.k=6 or validity.date_before_start.earliest=2000-01-01.")
    List<String> setParam = new ArrayList<>();

    @Option(names = "--disable", paramLabel = "NAME", description = "Switch a check off for this store.")
    List<String> disable = new ArrayList<>();

    @Option(names = "--enable", paramLabel = "NAME", description = "Switch a check back on.")
    List<String> enable = new ArrayList<>();

    @Option(names = "--reset", paramLabel = "NAME", description = "Forget this store's settings of a check.")
    List<String> reset = new ArrayList<>();

    @Override
    public Integer call() {
        if (!Files.exists(common.dbPath())) {
            throw new DataValidationException("--db: store " + common.dbPath()
                    + " does not exist (create it with `clv generate` or `clv import`)");
        }
        if (sample < 0) {
            throw new DataValidationException("--sample: must be 0 or more (" + sample + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = common.openEngine()) {
            DataQuality dq = DataQuality.of(engine);
            if (changeSettings(dq)) {
                printSettings(out, dq.settings());
                return ClvCli.EXIT_OK;
            }
            if (list) {
                printSettings(out, dq.settings());
                return ClvCli.EXIT_OK;
            }
            if (history != null) {
                List<ScorePoint> points = dq.scoreHistory(Math.max(1, history));
                if (common.json()) {
                    Output.json(out, points);
                } else {
                    Output.table(out, List.of("run", "started", "score", "failures", "warnings"), points.stream()
                            .<List<?>>map(p -> List.of(p.runId(), p.startedAt().withNano(0), p.score(), p.failures(), p.warnings()))
                            .toList());
                }
                return ClvCli.EXIT_OK;
            }
            QualityRun run = dq.run(new DataQuality.RunOptions(new java.util.LinkedHashSet<>(checks), since, sample));
            Optional<RunComparison> cmp = dq.compareWithPrevious(run);
            if (common.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("run", run);
                doc.put("comparison", cmp.orElse(null));
                Output.json(out, doc);
            } else {
                printRun(out, run, cmp);
            }
            return run.failed() ? ClvCli.EXIT_CHECK_FAILED : ClvCli.EXIT_OK;
        }
    }

    private boolean changeSettings(DataQuality dq) {
        boolean changed = false;
        for (String spec : setThreshold) {
            int eq = spec.lastIndexOf('=');
            int colon = spec.indexOf(':', Math.max(eq, 0));
            if (eq <= 0 || colon < 0) {
                throw new DataValidationException("--set-threshold: expected NAME=WARN:FAIL (" + spec + ")");
            }
            dq.setThresholds(spec.substring(0, eq), level(spec, spec.substring(eq + 1, colon)), level(spec, spec.substring(colon + 1)));
            changed = true;
        }
        for (String spec : setParam) {
            int eq = spec.indexOf('=');
            int dot = eq < 0 ? -1 : spec.lastIndexOf('.', eq);
            if (eq < 0 || dot <= 0) {
                throw new DataValidationException("--set-param: expected NAME.KEY=VALUE (" + spec + ")");
            }
            dq.setParam(spec.substring(0, dot), spec.substring(dot + 1, eq), spec.substring(eq + 1));
            changed = true;
        }
        for (String name : disable) {
            dq.setEnabled(name, false);
            changed = true;
        }
        for (String name : enable) {
            dq.setEnabled(name, true);
            changed = true;
        }
        for (String name : reset) {
            dq.reset(name);
            changed = true;
        }
        return changed;
    }

    private static Double level(String spec, String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new DataValidationException("--set-threshold: level must be a number or empty (" + text + " in " + spec + ")");
        }
    }

    private void printSettings(PrintWriter out, List<CheckSettings> settings) {
        if (common.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CheckSettings s : settings) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", s.name());
                r.put("category", s.check().category().label());
                r.put("severity", s.check().severity().name().toLowerCase(java.util.Locale.ROOT));
                r.put("enabled", s.enabled());
                r.put("unit", s.check().unit());
                r.put("warn_above", s.thresholds().warnAbove());
                r.put("fail_above", s.thresholds().failAbove());
                r.put("params", s.params());
                r.put("description", s.check().description());
                rows.add(r);
            }
            Output.json(out, rows);
            return;
        }
        Output.table(out, List.of("check", "severity", "enabled", "threshold", "parameters", "description"), settings.stream()
                .<List<?>>map(s -> List.of(s.name(), s.check().severity().name().toLowerCase(java.util.Locale.ROOT),
                        s.enabled() ? "yes" : "no", s.thresholds().describe(s.check().unit()),
                        s.params().isEmpty() ? "" : String.valueOf(new java.util.TreeMap<>(s.params())), s.check().description()))
                .toList());
    }

    private static void printRun(PrintWriter out, QualityRun run, Optional<RunComparison> cmp) {
        List<List<?>> rows = new ArrayList<>();
        for (CheckResult r : run.results()) {
            rows.add(List.of(r.name(), r.severity().name().toLowerCase(java.util.Locale.ROOT), r.status().label(),
                    r.metric() == null ? "" : fmt(r.metric()) + " " + r.unit(), r.threshold(), r.offendingRows(),
                    r.message() == null ? "" : r.message()));
        }
        Output.table(out, List.of("check", "severity", "status", "metric", "threshold", "offending", "message"), rows);
        out.println();
        out.printf("run %d at %s, transactions %s .. %s%s: score %.1f / 100, %d checks, %d failed, %d warnings, %d errors%n",
                run.id(), run.startedAt().withNano(0), run.windowStart(), run.windowEnd(),
                run.since() == null ? "" : " (since " + run.since() + ")", run.score(), run.checksRun(), run.failures(),
                run.warnings(), run.errors());
        cmp.ifPresent(c -> out.println(c.summary()));
        for (CheckResult r : run.results()) {
            if (r.status() == io.clvanalytics.engine.quality.Status.FAIL && !r.sample().isEmpty()) {
                out.println(r.name() + " sample: " + r.sample().get(0));
            }
        }
        out.flush();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
