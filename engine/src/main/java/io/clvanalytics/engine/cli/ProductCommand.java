package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.lifecycle.AssociationRule;
import io.clvanalytics.engine.lifecycle.CustomerProfile;
import io.clvanalytics.engine.lifecycle.DateWindow;
import io.clvanalytics.engine.lifecycle.ProductAnalytics;
import io.clvanalytics.engine.lifecycle.ProductLifecycle;
import io.clvanalytics.engine.lifecycle.ProductMetrics;
import io.clvanalytics.engine.lifecycle.ProductSettings;
import io.clvanalytics.engine.lifecycle.SegmentShare;
import io.clvanalytics.engine.lifecycle.StageChange;
import io.clvanalytics.engine.lifecycle.TrendPoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "product", mixinStandardHelpOptions = true,
        description = "One product: metrics, monthly trend, lifecycle stage and its history, related products, buyers against all customers.")
final class ProductCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ProductSettingsOptions thresholds;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Product code (as in the source data, e.g. a StockCode) or numeric product id.")
    String id;

    @Option(names = "--related", paramLabel = "N", defaultValue = "10", description = "How many related products to list (default ${DEFAULT-VALUE}).")
    int related;

    @Option(names = "--from", paramLabel = "DATE", description = "Metrics window start (default: first transaction date).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Metrics window end and lifecycle date (default: last transaction date).")
    LocalDate to;

    @Override
    public Integer call() {
        if (related < 0) {
            throw new DataValidationException("--related: must be 0 or more (" + related + ")");
        }
        ProductSettings settings = thresholds.settings();
        try (Engine engine = openExisting(common)) {
            ProductAnalytics pa = ProductAnalytics.of(engine, settings);
            long productId = pa.resolveProduct(id);
            DateWindow window = window(pa, from, to);
            Optional<ProductMetrics> metrics = pa.calculateProductMetrics(productId, window);
            ProductLifecycle lifecycle = pa.analyzeProductLifecycle(productId, window.to());
            List<AssociationRule> rules = related == 0 ? List.of() : pa.relatedProducts(productId, related);
            CustomerProfile buyers = pa.customerProfile(productId, window);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("productId", productId);
                doc.put("window", window);
                doc.put("metrics", metrics.orElse(null));
                doc.put("lifecycle", lifecycle);
                doc.put("trendDirection", lifecycle.trendDirection());
                doc.put("relatedProducts", rules);
                doc.put("buyers", buyers);
                Output.json(out, doc);
                return ClvCli.EXIT_OK;
            }
            out.printf("%s  %s%n", lifecycle.productCode(), lifecycle.name());
            out.printf("stage %s (confidence %.2f) as of %s; launched %s, last sale %s, age %.1f months%n",
                    lifecycle.stage(), lifecycle.confidence(), lifecycle.asOf(), lifecycle.launchDate(),
                    lifecycle.lastSaleDate(), lifecycle.ageMonths());
            out.printf("trend %s: slope %s per month (Mann-Kendall p %s) over %d months; seasonal %s%n%n",
                    lifecycle.trendDirection(), lifecycle.trendSlope() == null ? "n/a" : money(lifecycle.trendSlope()),
                    lifecycle.trendPValue() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", lifecycle.trendPValue()),
                    lifecycle.trendMonths(), lifecycle.seasonal() == null ? "unknown (under 24 months)" : lifecycle.seasonal());
            out.printf("metrics %s to %s%n", window.from(), window.to());
            if (metrics.isEmpty()) {
                out.println("  no lines in this window");
            } else {
                ProductMetrics m = metrics.get();
                Output.table(out, List.of("metric", "value"), List.of(
                        List.of("net revenue", money(m.netRevenue())),
                        List.of("rank / share / ABC", m.rank() + " / " + (m.revenueShare() == null ? "n/a" : percent(m.revenueShare())) + " / " + m.abcClass()),
                        List.of("units sold / returned", plain(m.unitsSold()) + " / " + plain(m.unitsReturned())),
                        List.of("orders / customers", m.orders() + " / " + m.customers()),
                        List.of("average selling price", m.averageSellingPrice() == null ? "n/a" : money(m.averageSellingPrice())),
                        List.of("return rate", m.returnRate() == null ? "n/a" : percent(m.returnRate())),
                        List.of("repeat-purchase rate", m.repeatPurchaseRate() == null ? "n/a" : percent(m.repeatPurchaseRate())),
                        List.of("revenue new / returning customers / guests", money(m.newCustomerRevenue()) + " / "
                                + money(m.returningCustomerRevenue()) + " / " + money(m.guestRevenue()))));
            }
            out.println();
            out.println("monthly trend");
            List<List<?>> series = new ArrayList<>();
            for (TrendPoint p : lifecycle.series()) {
                series.add(List.of(p.month().toString().substring(0, 7), money(p.netRevenue()), plain(p.unitsSold()),
                        money(p.revenueMovingAverage()), p.momGrowth() == null ? "" : percent(p.momGrowth()),
                        p.yoyGrowth() == null ? "" : percent(p.yoyGrowth()), p.stage()));
            }
            Output.table(out, List.of("month", "net revenue", "units", "3-month avg", "MoM", "YoY", "stage"), series);
            out.println();
            out.println("stage history");
            List<List<?>> history = new ArrayList<>();
            for (StageChange h : lifecycle.history()) {
                history.add(List.of(h.enteredOn(), h.stage(), plain(h.confidence())));
            }
            Output.table(out, List.of("entered on", "stage", "confidence"), history);
            out.println();
            out.println("related products (bought in the same basket)");
            List<List<?>> rel = new ArrayList<>();
            for (AssociationRule r : rules) {
                rel.add(List.of(r.consequentCode(), shorten(r.consequentName()), r.basketsBoth(),
                        String.format(Locale.ROOT, "%.4f", r.support()), String.format(Locale.ROOT, "%.3f", r.confidence()),
                        String.format(Locale.ROOT, "%.2f", r.lift())));
            }
            Output.table(out, List.of("code", "name", "baskets", "support", "confidence", "lift"), rel);
            out.println();
            out.printf("buyers: %d of %d customers in the window%n", buyers.buyers(), buyers.customers());
            if (buyers.clvRunId() != null) {
                out.printf("average CLV %s (all customers %s); average P(alive) %s (all %s)%n",
                        opt(buyers.buyersAverageClv()), opt(buyers.allAverageClv()),
                        opt(buyers.buyersAveragePAlive()), opt(buyers.allAveragePAlive()));
            }
            if (!buyers.segments().isEmpty()) {
                List<List<?>> seg = new ArrayList<>();
                for (SegmentShare s : buyers.segments()) {
                    seg.add(List.of(s.segment(), s.buyers(), percent(s.buyerShare()), percent(s.overallShare()),
                            s.index() == null ? "" : String.format(Locale.ROOT, "%.2f", s.index())));
                }
                Output.table(out, List.of("segment", "buyers", "share of buyers", "share of all", "index"), seg);
            }
            buyers.notes().forEach(n -> out.println("note: " + n));
            return ClvCli.EXIT_OK;
        }
    }

    static Engine openExisting(CommonOptions common) {
        if (!Files.exists(common.dbPath())) {
            throw new DataValidationException("--db: store " + common.dbPath()
                    + " does not exist (create it with `clv generate` or `clv import`)");
        }
        return common.openEngine();
    }

    static DateWindow window(ProductAnalytics pa, LocalDate from, LocalDate to) {
        DateWindow all = pa.fullHistory();
        return new DateWindow(from == null ? all.from() : from, to == null ? all.to() : to);
    }

    static String money(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    static String plain(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.2f", v);
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() <= 36 ? s : s.substring(0, 35) + "…";
    }

    private static String opt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
