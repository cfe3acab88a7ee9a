package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.lifecycle.LifecycleRules;
import io.clvanalytics.engine.lifecycle.ProductSettings;
import picocli.CommandLine.Option;

/**
 * The product analysis's thresholds as options of {@code clv products} and {@code clv product};
 * an option left out keeps the default of {@link ProductSettings#defaults()} and
 * {@link LifecycleRules#defaults()}. Bad values are refused by those records' validation (exit 2).
 */
final class ProductSettingsOptions {

    @Option(names = "--abc", paramLabel = "A:B", description = "ABC class limits of cumulative revenue share (default 0.80:0.95).")
    String abc;

    @Option(names = "--discontinued-months", paramLabel = "N", description = "Complete months without a sale before a product is discontinued (default 3).")
    Integer discontinuedMonths;

    @Option(names = "--introduction-months", paramLabel = "N", description = "Age in months up to which a product is in introduction (default 4).")
    Integer introductionMonths;

    @Option(names = "--growth-threshold", paramLabel = "G", description = "Smoothed growth at which a product grows, its negative for decline (default 0.20).")
    Double growthThreshold;

    @Option(names = "--min-z", paramLabel = "Z", description = "Significance (binomial z) a change of a product older than a year needs to count as growth or decline (default 2.5).")
    Double minZ;

    @Option(names = "--decline-from-peak", paramLabel = "F", description = "Share of the year's peak level at or below which a product is in decline (default 0.7).")
    Double declineFromPeak;

    @Option(names = "--min-support", paramLabel = "S", description = "Minimum support of a product pair, a share of all baskets (default 0.001).")
    Double minSupport;

    @Option(names = "--min-lift", paramLabel = "L", description = "Minimum lift of an association rule (default 1.5).")
    Double minLift;

    @Option(names = "--min-pair-baskets", paramLabel = "N", description = "Minimum number of baskets holding both products (default 5).")
    Long minPairBaskets;

    /** The defaults with every given option applied. */
    ProductSettings settings() {
        ProductSettings s = ProductSettings.defaults();
        LifecycleRules d = s.lifecycle();
        LifecycleRules rules = new LifecycleRules(
                discontinuedMonths == null ? d.discontinuedMonths() : discontinuedMonths,
                introductionMonths == null ? d.introductionMonths() : introductionMonths,
                d.smoothingMonths(),
                growthThreshold == null ? d.growthThreshold() : growthThreshold,
                d.accelerationThreshold(), d.evidenceLines(), d.trendMonths(), d.seasonalAutocorrelation(),
                minZ == null ? d.minZ() : minZ,
                declineFromPeak == null ? d.declineFromPeak() : declineFromPeak,
                Math.max(d.youngMonths(), introductionMonths == null ? 0 : introductionMonths));
        s = s.withLifecycle(rules).withAffinity(minSupport == null ? s.minSupport() : minSupport,
                minLift == null ? s.minLift() : minLift, minPairBaskets == null ? s.minPairBaskets() : minPairBaskets);
        if (abc != null) {
            String[] parts = abc.split(":");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                s = s.withAbc(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            } catch (NumberFormatException e) {
                throw new DataValidationException("--abc: two shares as A:B, such as 0.8:0.95 (was " + abc + ")");
            }
        }
        return s;
    }
}
