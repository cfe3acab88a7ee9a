package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.lifecycle.DateWindow;
import io.clvanalytics.engine.lifecycle.Period;
import io.clvanalytics.engine.lifecycle.ProductAnalytics;
import io.clvanalytics.engine.lifecycle.ProductLifecycle;
import io.clvanalytics.engine.lifecycle.ProductMetrics;
import io.clvanalytics.engine.lifecycle.ProductSettings;
import io.clvanalytics.engine.lifecycle.Stage;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "products", mixinStandardHelpOptions = true,
        description = {"The product catalogue: net revenue, units, orders, customers, share, ABC class, lifecycle stage and trend.",
            "Recomputes and stores every product's lifecycle stage as of --to (default: the last transaction date)."})
final class ProductsCommand implements Callable<Integer> {

    /** The sort keys users may pick; nothing else reaches the ordering. */
    enum Sort {
        revenue(Comparator.comparingDouble((Row r) -> r.metrics == null ? 0 : r.metrics.netRevenue()).reversed()),
        units(Comparator.comparingDouble((Row r) -> r.metrics == null ? 0 : r.metrics.netUnits()).reversed()),
        orders(Comparator.comparingLong((Row r) -> r.metrics == null ? 0 : r.metrics.orders()).reversed()),
        customers(Comparator.comparingLong((Row r) -> r.metrics == null ? 0 : r.metrics.customers()).reversed()),
        growth(Comparator.comparingDouble((Row r) -> r.lifecycle.growth() == null ? Double.NEGATIVE_INFINITY : r.lifecycle.growth()).reversed()),
        confidence(Comparator.comparingDouble((Row r) -> r.lifecycle.confidence()).reversed()),
        code(Comparator.comparing((Row r) -> String.valueOf(r.lifecycle.productCode())));

        final Comparator<Row> order;

        Sort(Comparator<Row> order) {
            this.order = order;
        }
    }

    record Row(ProductLifecycle lifecycle, ProductMetrics metrics) {}

    @Mixin
    CommonOptions common;

    @Mixin
    ProductSettingsOptions thresholds;

    @Spec
    CommandSpec spec;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Show the first N products (0 = all; default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--stage", paramLabel = "STAGE", description = "Only products in this stage: introduction, growth, maturity, decline, discontinued.")
    String stage;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "revenue",
            description = "Order by one of: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Sort sort;

    @Option(names = "--from", paramLabel = "DATE", description = "Metrics window start (default: first transaction date).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Metrics window end and lifecycle date (default: last transaction date).")
    LocalDate to;

    @Override
    public Integer call() {
        if (top < 0) {
            throw new io.clvanalytics.engine.DataValidationException("--top: must be 0 or more (" + top + ")");
        }
        Stage wanted = stage == null ? null : Stage.parse(stage, "--stage");
        ProductSettings settings = thresholds.settings();
        try (Engine engine = ProductCommand.openExisting(common)) {
            ProductAnalytics pa = ProductAnalytics.of(engine, settings);
            DateWindow window = ProductCommand.window(pa, from, to);
            Map<Long, ProductMetrics> metrics = pa.calculateCatalogueMetrics(window, Period.WINDOW).stream()
                    .collect(Collectors.toMap(ProductMetrics::productId, Function.identity()));
            List<Row> rows = new ArrayList<>();
            for (ProductLifecycle l : pa.analyzeCatalogueLifecycle(window.to())) {
                if (wanted == null || wanted.label().equals(l.stage())) {
                    rows.add(new Row(l, metrics.get(l.productId())));
                }
            }
            rows.sort(sort.order.thenComparing(r -> r.lifecycle.productId()));
            List<Row> shown = top == 0 ? rows : rows.subList(0, Math.min(top, rows.size()));
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("window", window);
                doc.put("storeRevenue", pa.storeRevenue(window));
                doc.put("productsMatching", rows.size());
                doc.put("products", shown.stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("metrics", r.metrics);
                    m.put("lifecycle", r.lifecycle);
                    m.put("trendDirection", r.lifecycle.trendDirection());
                    return m;
                }).toList());
                doc.put("nonProductLines", pa.nonProductLines(window));
                Output.json(out, doc);
            } else {
                List<List<?>> table = new ArrayList<>();
                for (Row r : shown) {
                    ProductMetrics m = r.metrics;
                    ProductLifecycle l = r.lifecycle;
                    table.add(List.of(m == null ? "" : m.rank(), l.productCode(), ProductCommand.shorten(l.name()),
                            m == null ? "" : ProductCommand.money(m.netRevenue()), m == null ? "" : ProductCommand.plain(m.netUnits()),
                            m == null ? "" : m.orders(), m == null ? "" : m.customers(),
                            m == null || m.revenueShare() == null ? "" : ProductCommand.percent(m.revenueShare()),
                            m == null ? "" : m.abcClass(), l.stage(), ProductCommand.plain(l.confidence()),
                            l.growth() == null ? "" : ProductCommand.percent(l.growth()), l.trendDirection()));
                }
                out.printf("products %s to %s: %d of %d shown%n", window.from(), window.to(), shown.size(), rows.size());
                Output.table(out, List.of("rank", "code", "name", "net revenue", "units", "orders", "customers", "share",
                        "abc", "stage", "confidence", "growth", "trend"), table);
            }
            return ClvCli.EXIT_OK;
        }
    }
}
