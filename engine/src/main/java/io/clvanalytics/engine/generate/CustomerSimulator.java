package io.clvanalytics.engine.generate;

import org.hipparchus.random.RandomDataGenerator;

/**
 * Draws customers and their purchase histories. Customer {@code i} uses its own random stream derived
 * from the seed and {@code i}, so a chunk's content depends only on the configuration and its range.
 *
 * <p>Per customer (time in weeks since acquisition, T = weeks until the end date):
 * λ ~ Gamma(r, α), p ~ Beta(a, b), ν ~ Gamma(q, γ). The first order is on the acquisition date. Repeat
 * orders follow a Poisson process of rate λ × seasonality(t) (by thinning); after each repeat order the
 * customer drops out with probability p. Each order's value ~ Gamma(p_GG, ν) is split over
 * 1 + Poisson(linesPerOrder − 1) lines whose products are drawn by the catalog's weights on that day.
 * Each line is returned with probability returnRate 1-30 days later (if before the end date).
 */
final class CustomerSimulator {

    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
    static final double ACQUISITION_SLOPE = 0.7;

    private final GeneratorConfig cfg;
    private final ProductCatalog catalog;
    private final Seasonality seasonality;
    private final long startDay;
    private final long endDay;

    CustomerSimulator(GeneratorConfig cfg, ProductCatalog catalog) {
        this.cfg = cfg;
        this.catalog = catalog;
        this.seasonality = new Seasonality(cfg.seasonality());
        this.startDay = cfg.start().toEpochDay();
        this.endDay = cfg.end().toEpochDay();
    }

    CustomerChunk simulate(int firstCustomer, int count) {
        CustomerChunk chunk = new CustomerChunk(firstCustomer, count);
        for (int k = 0; k < count; k++) {
            simulateCustomer(chunk, k);
        }
        return chunk;
    }

    private void simulateCustomer(CustomerChunk chunk, int k) {
        RandomDataGenerator rng = RandomDataGenerator.of(
                SplittableRandomGenerator.forItem(cfg.seed(), 1, chunk.firstCustomer + (long) k));
        GeneratorConfig.BgNbd bg = cfg.bgnbd();
        GeneratorConfig.GammaGamma gg = cfg.gammaGamma();
        double lambda = rng.nextGamma(bg.r(), 1 / bg.alpha());
        double p = rng.nextBeta(bg.a(), bg.b());
        double nu = rng.nextGamma(gg.q(), 1 / gg.gamma());
        chunk.lambda[k] = lambda;
        chunk.p[k] = p;
        chunk.nu[k] = nu;
        chunk.country[k] = Names.country(rng.nextDouble());
        chunk.name[k] = Names.FIRST[rng.nextInt(Names.FIRST.length)] + " " + Names.LAST[rng.nextInt(Names.LAST.length)];
        long acquisition = startDay + (long) (acquisitionFraction(rng.nextDouble()) * (endDay - startDay + 1));
        chunk.acquisitionDay[k] = (int) acquisition;
        chunk.dropoutDay[k] = CustomerChunk.NO_DAY;

        // The process's time origin is 00:00 of the acquisition day, where the first order is; each
        // repeat order's ts is its exact simulated instant, so the ts column carries the process
        // without rounding to days (its date is the day the order falls on).
        double horizonWeeks = (endDay - acquisition + 1) / 7.0;
        double maxFactor = seasonality.max();
        long lastDay = acquisition;
        order(chunk, k, rng, acquisition, 0, nu);
        double t = 0;
        while (lambda > 0) {
            t += rng.nextExponential(1 / (lambda * maxFactor));
            if (t >= horizonWeeks) {
                break;
            }
            long day = acquisition + (long) (t * 7);
            long timeOfDay = Math.min(MICROS_PER_DAY - 1, (long) ((t * 7 - (day - acquisition)) * MICROS_PER_DAY));
            if (rng.nextDouble() * maxFactor > seasonality.factor(day)) {
                continue; // thinned: the seasonal rate is below the bound here
            }
            order(chunk, k, rng, day, timeOfDay, nu);
            lastDay = day;
            if (rng.nextDouble() < p) {
                chunk.dropoutDay[k] = (int) day;
                break;
            }
        }
        chunk.lastPurchaseDay[k] = (int) lastDay;
    }

    /**
     * Inverse CDF of the acquisition density on [0,1), falling linearly to {@code 1 - ACQUISITION_SLOPE} of its
     * start value: fewer new customers later keeps total sales roughly level while the base builds up, so
     * a product's monthly sales show its own lifecycle rather than the shop's growth.
     */
    static double acquisitionFraction(double u) {
        double c = ACQUISITION_SLOPE;
        return Math.min(Math.nextDown(1.0), (1 - Math.sqrt(1 - 2 * c * u * (1 - c / 2))) / c);
    }

    /** One order on {@code day} at {@code timeOfDay} (microseconds after midnight), its lines sharing that timestamp. */
    private void order(CustomerChunk chunk, int k, RandomDataGenerator rng, long day, long timeOfDay, double nu) {
        int orderNumber = chunk.orders++;
        long cents = Math.max(1, Math.round(rng.nextGamma(cfg.gammaGamma().p(), 1 / nu) * 100));
        int lines = (int) Math.min(cents, 1 + (cfg.linesPerOrder() > 1 ? rng.nextPoisson(cfg.linesPerOrder() - 1) : 0));
        double[] weight = new double[lines];
        double total = 0;
        for (int i = 0; i < lines; i++) {
            weight[i] = rng.nextExponential(1);
            total += weight[i];
        }
        rng.nextLong(14 * MICROS_PER_HOUR); // a former time-of-day draw, kept so a seed gives the same orders as before
        long remaining = cents;
        for (int i = 0; i < lines; i++) {
            // every line at least one cent, the last line takes what rounding left over
            long lineCents = i == lines - 1 ? remaining
                    : Math.max(1, Math.min(remaining - (lines - 1 - i), Math.round(cents * weight[i] / total)));
            remaining -= lineCents;
            int product = catalog.pick(day, rng);
            double listPrice = catalog.products().get(product).listPrice();
            int qty = (int) Math.max(1, Math.min(20, Math.round(lineCents / 100.0 / listPrice)));
            long amount4 = lineCents * 100;
            long unit4 = Math.round((double) amount4 / qty);
            chunk.addLine(k, product, orderNumber, (int) day, timeOfDay, qty, unit4, amount4, false);
            if (cfg.returnRate() > 0 && rng.nextDouble() < cfg.returnRate()) {
                long returnDay = day + 1 + rng.nextInt(30);
                if (returnDay <= endDay) {
                    long returnMicros = 8 * MICROS_PER_HOUR + rng.nextLong(14 * MICROS_PER_HOUR);
                    chunk.addLine(k, product, orderNumber, (int) returnDay, returnMicros, -qty, unit4, -amount4, true);
                }
            }
        }
    }
}
