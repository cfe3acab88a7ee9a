package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;
import java.util.List;
import java.util.Set;

/**
 * What product analytics counts and how.
 *
 * <p>Non-product lines (postage, fees, discounts, manual adjustments) are the lines whose product
 * has {@code products.is_product = false} (when {@code useImportFlag}, set by the importer) or whose
 * product code ({@code products.source_id}) is in {@code nonProductCodes}, and lines with no
 * product. They are left out of product metrics, trends, stages and affinity and reported apart by
 * {@link ProductAnalytics#nonProductLines}.
 *
 * @param abcA cumulative revenue share up to which products are class A (0.80 by default)
 * @param abcB cumulative revenue share up to which products are class B (0.95 by default)
 * @param minSupport minimum share of all baskets holding both products of a rule
 * @param minLift minimum lift of a rule
 * @param minPairBaskets minimum number of baskets holding both products (guards tiny samples)
 * @param minGatewaySample minimum number of first-time buyers before a product is judged as a gateway
 */
public record ProductSettings(
        boolean useImportFlag,
        Set<String> nonProductCodes,
        double abcA,
        double abcB,
        LifecycleRules lifecycle,
        double minSupport,
        double minLift,
        long minPairBaskets,
        long minGatewaySample) {

    /** The defaults: the importer's flag, ABC at 80 % / 95 %, support 0.1 %, lift 1.5. */
    public static ProductSettings defaults() {
        return new ProductSettings(true, Set.of(), 0.80, 0.95, LifecycleRules.defaults(), 0.001, 1.5, 5, 30);
    }

    public ProductSettings {
        nonProductCodes = Set.copyOf(nonProductCodes);
        if (!(abcA > 0 && abcA < abcB && abcB < 1)) {
            throw new DataValidationException("product settings: ABC thresholds must satisfy 0 < A < B < 1 (A=" + abcA + ", B=" + abcB + ")");
        }
        if (!(minSupport > 0 && minSupport < 1)) {
            throw new DataValidationException("product settings: minSupport must be in (0, 1) (" + minSupport + ")");
        }
        if (!(minLift >= 0)) {
            throw new DataValidationException("product settings: minLift must be >= 0 (" + minLift + ")");
        }
        if (minPairBaskets < 1 || minGatewaySample < 1) {
            throw new DataValidationException("product settings: minPairBaskets and minGatewaySample must be >= 1 ("
                    + minPairBaskets + ", " + minGatewaySample + ")");
        }
        if (lifecycle == null) {
            throw new DataValidationException("product settings: lifecycle rules are missing");
        }
    }

    public ProductSettings withNonProductCodes(Set<String> codes) {
        return new ProductSettings(useImportFlag, codes, abcA, abcB, lifecycle, minSupport, minLift, minPairBaskets, minGatewaySample);
    }

    public ProductSettings withAbc(double a, double b) {
        return new ProductSettings(useImportFlag, nonProductCodes, a, b, lifecycle, minSupport, minLift, minPairBaskets, minGatewaySample);
    }

    public ProductSettings withLifecycle(LifecycleRules rules) {
        return new ProductSettings(useImportFlag, nonProductCodes, abcA, abcB, rules, minSupport, minLift, minPairBaskets, minGatewaySample);
    }

    public ProductSettings withAffinity(double support, double lift, long pairBaskets) {
        return new ProductSettings(useImportFlag, nonProductCodes, abcA, abcB, lifecycle, support, lift, pairBaskets, minGatewaySample);
    }

    /** The codes as one string for a prepared-statement parameter (split again in SQL). */
    String codesParameter() {
        return String.join(ProductSql.CODE_SEPARATOR, List.copyOf(nonProductCodes));
    }
}
