package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.TimeUnit;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score every customer with the latest run of a purchase model and of Gamma-Gamma (fitting them on the whole"
                + " history when missing, or always with --refit): P(alive), expected purchases and spend, discounted CLV, historic CLV.",
            "Writes customer_scores and customers.clv in one transaction with any fit it makes. CLV = sum over months k=1..H of"
                + " expected spend x expected purchases in month k / (1+d)^k (lifetimes' definition)."})
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "bgnbd, pnbd or mbgnbd. Default: the model `clv fit --model auto` chose last, else bgnbd.")
    String model;

    @Option(names = "--horizon", defaultValue = "" + ClvService.DEFAULT_HORIZON_MONTHS, paramLabel = "MONTHS",
            description = "CLV horizon in whole months. Default: ${DEFAULT-VALUE}.")
    int horizon;

    @Option(names = "--discount-rate", defaultValue = "" + ClvService.DEFAULT_DISCOUNT_RATE, paramLabel = "R",
            description = "Monthly discount rate. Default: ${DEFAULT-VALUE}.")
    double discountRate;

    @Option(names = "--refit", description = "Fit the purchase model and Gamma-Gamma on the whole history first (one summary for"
            + " both fits and the scores), as `clv fit` + `clv fit --model gg` + `clv score` in one command.")
    boolean refit;

    @Option(names = "--time-unit", defaultValue = "week", paramLabel = "UNIT",
            description = "With --refit: day, week or month. Default: ${DEFAULT-VALUE}.")
    String timeUnit;

    @Option(names = "--penalizer", defaultValue = "0", paramLabel = "X",
            description = "With --refit: L2 penalty on the parameters of both fits. Default: ${DEFAULT-VALUE} (none).")
    double penalizer;

    @Option(names = "--no-diagnostics", description = "With --refit: skip the purchase model's diagnostics tables.")
    boolean noDiagnostics;

    @Override
    public Integer call() {
        try (Engine engine = common.openEngine()) {
            var out = spec.commandLine().getOut();
            ClvService service = ClvService.on(engine);
            if (refit) {
                String m = model != null ? model : service.chosenModel().orElse("bgnbd");
                ClvService.PipelineReport p = service.fitAndScore(m, TimeUnit.parse(timeUnit), penalizer, horizon, discountRate,
                        !noDiagnostics);
                if (common.json()) {
                    Output.json(out, ClvJson.pipeline(p.purchases(), p.spend(), p.score()));
                } else {
                    FitCommand.print(out, p.purchases());
                    if (p.spend() != null) {
                        FitCommand.print(out, p.spend());
                    }
                    print(out, p.score());
                }
                return ClvCli.EXIT_OK;
            }
            ClvService.ScoreReport r = service.score(model, horizon, discountRate);
            if (common.json()) {
                Output.json(out, r);
            } else {
                print(out, r);
            }
            return ClvCli.EXIT_OK;
        }
    }

    private static void print(PrintWriter out, ClvService.ScoreReport r) {
        List<List<?>> rows = new ArrayList<>(List.of(
                List.of("model run", r.runId() + " (" + r.model() + ")"),
                List.of("spend model run", r.spendRunId() == null ? "none (spend from history)" : r.spendRunId().toString()),
                List.of("history up to", r.asOf().toString()),
                List.of("customers scored", r.customers()),
                List.of("horizon (months)", r.horizonMonths()),
                List.of("monthly discount rate", r.discountRate()),
                List.of("total CLV", r.totalClv()),
                List.of("total historic CLV", r.totalHistoricClv()),
                List.of("expected purchases in horizon", r.expectedPurchases()),
                List.of("mean P(alive)", r.meanProbabilityAlive()),
                List.of("monthly churn (historic)", r.monthlyChurn())));
        Output.table(out, List.of("what", "value"), rows);
        if (r.warning() != null) {
            out.println("WARNING: " + r.warning());
        }
    }
}
