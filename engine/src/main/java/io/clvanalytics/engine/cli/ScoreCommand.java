package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score every customer with the latest run of a purchase model and of Gamma-Gamma (fitting them on the whole"
                + " history when missing): P(alive), expected purchases and spend, discounted CLV, historic CLV.",
            "Writes customer_scores and customers.clv. CLV = sum over months k=1..H of expected spend x expected purchases in"
                + " month k / (1+d)^k (lifetimes' definition)."})
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "bgnbd", paramLabel = "MODEL",
            description = "bgnbd, pnbd or mbgnbd. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--horizon", defaultValue = "" + ClvService.DEFAULT_HORIZON_MONTHS, paramLabel = "MONTHS",
            description = "CLV horizon in whole months. Default: ${DEFAULT-VALUE}.")
    int horizon;

    @Option(names = "--discount-rate", defaultValue = "" + ClvService.DEFAULT_DISCOUNT_RATE, paramLabel = "R",
            description = "Monthly discount rate. Default: ${DEFAULT-VALUE}.")
    double discountRate;

    @Override
    public Integer call() {
        try (Engine engine = common.openEngine()) {
            ClvService.ScoreReport r = ClvService.on(engine).score(model, horizon, discountRate);
            var out = spec.commandLine().getOut();
            if (common.json()) {
                Output.json(out, r);
            } else {
                Output.table(out, List.of("what", "value"), List.of(
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
            }
            return ClvCli.EXIT_OK;
        }
    }
}
