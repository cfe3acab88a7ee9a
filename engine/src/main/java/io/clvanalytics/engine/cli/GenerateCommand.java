package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Fill a new store with realistic demo data drawn from a known process (BG/NBD purchases",
            "and dropout, Gamma-Gamma spend, product lifecycles, seasonality, returns). Deterministic for a seed;",
            "the true parameters are stored with the data (store_meta 'generator', generated_*_truth tables)."})
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--customers", paramLabel = "N", defaultValue = "20000", description = "Customers (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--products", paramLabel = "N", defaultValue = "300", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2021-01-01", description = "First date, yyyy-MM-dd (default ${DEFAULT-VALUE}).")
    LocalDate start;

    @Option(names = "--end", paramLabel = "DATE", description = "Last date, yyyy-MM-dd (default: today, so the demo store is fresh).")
    LocalDate end;

    @Option(names = "--r", defaultValue = "0.25", description = "BG/NBD: shape r of the purchase-rate Gamma (default ${DEFAULT-VALUE}).")
    double r;

    @Option(names = "--alpha", defaultValue = "4.0", description = "BG/NBD: rate α of the purchase-rate Gamma, per week (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--a", defaultValue = "0.8", description = "BG/NBD: Beta a of the dropout probability (default ${DEFAULT-VALUE}).")
    double a;

    @Option(names = "--b", defaultValue = "2.5", description = "BG/NBD: Beta b of the dropout probability (default ${DEFAULT-VALUE}).")
    double b;

    @Option(names = "--p", defaultValue = "6.0", description = "Gamma-Gamma: shape p of an order's value (default ${DEFAULT-VALUE}).")
    double p;

    @Option(names = "--q", defaultValue = "4.0", description = "Gamma-Gamma: shape q of ν (default ${DEFAULT-VALUE}).")
    double q;

    @Option(names = "--gamma", defaultValue = "15.0", description = "Gamma-Gamma: rate γ of ν (default ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--seasonality", defaultValue = "1.0",
            description = "Relative height of the November-December bump in the purchase rate; 0 = none (default ${DEFAULT-VALUE}).")
    double seasonality;

    @Option(names = "--return-rate", defaultValue = "0.03", description = "Probability that an order line is returned (default ${DEFAULT-VALUE}).")
    double returnRate;

    @Option(names = "--lines-per-order", defaultValue = "2.5", description = "Mean lines (products) per order (default ${DEFAULT-VALUE}).")
    double linesPerOrder;

    @Option(names = "--currency", defaultValue = "USD", description = "Currency code of the amounts (default ${DEFAULT-VALUE}).")
    String currency;

    @Option(names = "--threads", paramLabel = "N", description = "Simulation threads (default: processors). Results do not depend on it.")
    Integer threads;

    @Override
    public Integer call() {
        Progress progress = Progress.onTerminal();
        DemoDataGenerator.Summary s;
        try (Engine engine = common.openEngine()) {
            GeneratorConfig cfg = new GeneratorConfig(seed, customers, products, start,
                    end == null ? LocalDate.now(engine.clock()) : end,
                    new GeneratorConfig.BgNbd(r, alpha, a, b), new GeneratorConfig.GammaGamma(p, q, gamma),
                    seasonality, returnRate, linesPerOrder, currency);
            s = DemoDataGenerator.generate(engine, cfg, (done, total) -> progress.update("customers", done, total),
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        } finally {
            progress.done();
        }
        var out = spec.commandLine().getOut();
        if (common.json()) {
            Output.json(out, s);
        } else {
            Output.table(out, List.of("what", "value"), List.of(
                    List.of("store", s.store()),
                    List.of("seed", s.seed()),
                    List.of("customers", s.customers()),
                    List.of("products", s.products()),
                    List.of("orders", s.orders()),
                    List.of("transactions", s.transactions()),
                    List.of("returns", s.returns()),
                    List.of("date range", s.firstDate() + " to " + s.lastDate()),
                    List.of("import batch", s.batchId()),
                    List.of("seconds", String.format("%.1f", s.seconds()))));
        }
        return ClvCli.EXIT_OK;
    }
}
