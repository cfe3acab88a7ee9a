package io.clvanalytics.engine.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clvanalytics.engine.DataValidationException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * What the demo-data generator draws from: sizes, the date range and the true parameters of the
 * purchase process. Time unit of the rates: weeks.
 *
 * <ul>
 *   <li>BG/NBD (Fader, Hardie and Lee 2005): each customer's purchase rate λ ~ Gamma(shape r, rate α)
 *       per week, dropout probability p ~ Beta(a, b) tossed after every repeat purchase; the first
 *       purchase is on the acquisition date.</li>
 *   <li>Gamma-Gamma (Fader, Hardie and Lee 2005, "RFM and CLV"): ν ~ Gamma(shape q, rate γ) per
 *       customer, each order's value ~ Gamma(shape p, rate ν).</li>
 *   <li>Seasonality: the purchase rate is multiplied by a year-periodic factor with mean 1 and a bump
 *       in November-December of relative height {@code seasonality} (0 gives the pure BG/NBD process).</li>
 *   <li>{@code returnRate}: the probability that an order line is returned 1-30 days later.</li>
 *   <li>{@code linesPerOrder}: mean number of lines (products) per order, at least 1.</li>
 * </ul>
 * Defaults are close to the published CDNOW estimates (BG/NBD r=0.243, α=4.414, a=0.793, b=2.426;
 * Gamma-Gamma p=6.25, q=3.74, γ=15.44).
 */
public record GeneratorConfig(
        long seed,
        int customers,
        int products,
        LocalDate start,
        LocalDate end,
        BgNbd bgnbd,
        GammaGamma gammaGamma,
        double seasonality,
        double returnRate,
        double linesPerOrder,
        String currency) {

    /** BG/NBD parameters: λ ~ Gamma(r, α) (rate α, per week), p ~ Beta(a, b). */
    public record BgNbd(double r, double alpha, double a, double b) {}

    /** Gamma-Gamma parameters: ν ~ Gamma(q, γ) (rate γ), order value ~ Gamma(p, ν) (rate ν). */
    public record GammaGamma(double p, double q, double gamma) {}

    public static final BgNbd DEFAULT_BGNBD = new BgNbd(0.25, 4.0, 0.8, 2.5);
    public static final GammaGamma DEFAULT_GAMMA_GAMMA = new GammaGamma(6.0, 4.0, 15.0);
    public static final LocalDate DEFAULT_START = LocalDate.of(2021, 1, 1);
    public static final LocalDate DEFAULT_END = LocalDate.of(2025, 12, 31);
    public static final int DEFAULT_PRODUCTS = 300;
    public static final double DEFAULT_SEASONALITY = 1.0;
    public static final double DEFAULT_RETURN_RATE = 0.03;
    public static final double DEFAULT_LINES_PER_ORDER = 2.5;
    /** Key of the generator's parameters (JSON) in {@code store_meta}. */
    public static final String STORE_META_KEY = "generator";

    /** The defaults for {@code customers} customers and {@code seed}. */
    public static GeneratorConfig defaults(int customers, long seed) {
        return new GeneratorConfig(seed, customers, DEFAULT_PRODUCTS, DEFAULT_START, DEFAULT_END, DEFAULT_BGNBD,
                DEFAULT_GAMMA_GAMMA, DEFAULT_SEASONALITY, DEFAULT_RETURN_RATE, DEFAULT_LINES_PER_ORDER, "USD");
    }

    public GeneratorConfig withProducts(int n) {
        return new GeneratorConfig(seed, customers, n, start, end, bgnbd, gammaGamma, seasonality, returnRate,
                linesPerOrder, currency);
    }

    public GeneratorConfig withDates(LocalDate from, LocalDate to) {
        return new GeneratorConfig(seed, customers, products, from, to, bgnbd, gammaGamma, seasonality, returnRate,
                linesPerOrder, currency);
    }

    public GeneratorConfig withBgNbd(BgNbd params) {
        return new GeneratorConfig(seed, customers, products, start, end, params, gammaGamma, seasonality, returnRate,
                linesPerOrder, currency);
    }

    public GeneratorConfig withGammaGamma(GammaGamma params) {
        return new GeneratorConfig(seed, customers, products, start, end, bgnbd, params, seasonality, returnRate,
                linesPerOrder, currency);
    }

    public GeneratorConfig withSeasonality(double amplitude) {
        return new GeneratorConfig(seed, customers, products, start, end, bgnbd, gammaGamma, amplitude, returnRate,
                linesPerOrder, currency);
    }

    public GeneratorConfig withReturnRate(double rate) {
        return new GeneratorConfig(seed, customers, products, start, end, bgnbd, gammaGamma, seasonality, rate,
                linesPerOrder, currency);
    }

    public GeneratorConfig withLinesPerOrder(double mean) {
        return new GeneratorConfig(seed, customers, products, start, end, bgnbd, gammaGamma, seasonality, returnRate,
                mean, currency);
    }

    /** Weeks from {@link #start} to {@link #end}. */
    public double spanWeeks() {
        return ChronoUnit.DAYS.between(start, end) / 7.0;
    }

    /**
     * Checks every value once, at the edge; {@code today} is the latest allowed end date (generated
     * data never lies in the future).
     */
    public GeneratorConfig validate(LocalDate today) {
        require(customers >= 1 && customers <= 10_000_000, "--customers", "must be between 1 and 10,000,000", customers);
        require(products >= 5 && products <= 100_000, "--products",
                "must be between 5 and 100,000 (at least one product per lifecycle stage)", products);
        require(start != null && end != null, "--start/--end", "both dates are required", start + ".." + end);
        require(ChronoUnit.DAYS.between(start, end) >= 364, "--start/--end",
                "the range must cover at least one year so lifecycles and repeat purchases show", start + ".." + end);
        require(!end.isAfter(today), "--end", "must not be in the future (today is " + today + ")", end);
        positive(bgnbd.r(), "--r");
        positive(bgnbd.alpha(), "--alpha");
        positive(bgnbd.a(), "--a");
        positive(bgnbd.b(), "--b");
        positive(gammaGamma.p(), "--p");
        positive(gammaGamma.q(), "--q");
        positive(gammaGamma.gamma(), "--gamma");
        require(seasonality >= 0 && seasonality <= 10, "--seasonality", "must be between 0 and 10", seasonality);
        require(returnRate >= 0 && returnRate <= 0.5, "--return-rate", "must be between 0 and 0.5", returnRate);
        require(linesPerOrder >= 1 && linesPerOrder <= 20, "--lines-per-order", "must be between 1 and 20", linesPerOrder);
        require(currency != null && currency.matches("[A-Z]{3}"), "--currency", "must be an ISO 4217 code such as USD", currency);
        return this;
    }

    private static void positive(double v, String field) {
        require(v > 0 && Double.isFinite(v), field, "must be a positive number", v);
    }

    private static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new DataValidationException(field + ": " + rule + " (" + value + ")");
        }
    }

    /** The JSON stored under {@link #STORE_META_KEY}. */
    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("generator_version", 1);
        root.put("seed", seed);
        root.put("customers", customers);
        root.put("products", products);
        root.put("start", start.toString());
        root.put("end", end.toString());
        root.put("time_unit", "week");
        root.put("purchase_unit", "order");
        ObjectNode bg = root.putObject("bgnbd");
        bg.put("r", bgnbd.r());
        bg.put("alpha", bgnbd.alpha());
        bg.put("a", bgnbd.a());
        bg.put("b", bgnbd.b());
        ObjectNode gg = root.putObject("gammagamma");
        gg.put("p", gammaGamma.p());
        gg.put("q", gammaGamma.q());
        gg.put("gamma", gammaGamma.gamma());
        root.put("seasonality", seasonality);
        root.put("return_rate", returnRate);
        root.put("lines_per_order", linesPerOrder);
        root.put("currency", currency);
        return root.toString();
    }

    /** Parses what {@link #toJson()} wrote. */
    public static GeneratorConfig fromJson(String json) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            JsonNode bg = n.get("bgnbd");
            JsonNode gg = n.get("gammagamma");
            return new GeneratorConfig(n.get("seed").asLong(), n.get("customers").asInt(), n.get("products").asInt(),
                    LocalDate.parse(n.get("start").asText()), LocalDate.parse(n.get("end").asText()),
                    new BgNbd(bg.get("r").asDouble(), bg.get("alpha").asDouble(), bg.get("a").asDouble(),
                            bg.get("b").asDouble()),
                    new GammaGamma(gg.get("p").asDouble(), gg.get("q").asDouble(), gg.get("gamma").asDouble()),
                    n.get("seasonality").asDouble(), n.get("return_rate").asDouble(),
                    n.get("lines_per_order").asDouble(), n.get("currency").asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NullPointerException e) {
            throw new DataValidationException("store_meta." + STORE_META_KEY + ": not generator parameters (" + e.getMessage() + ")");
        }
    }
}
