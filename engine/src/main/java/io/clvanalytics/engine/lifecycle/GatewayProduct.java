package io.clvanalytics.engine.lifecycle;

/**
 * A product in customers' first purchases and how often those customers came back (bought again on
 * a later day). {@code pValue} is the two-sided two-proportion z-test of its repeat rate against
 * the customers whose first purchase did not hold it.
 */
public record GatewayProduct(long productId, String productCode, String name, long firstTimeBuyers, long repeatBuyers,
                             double repeatRate, double overallRepeatRate, double lift, double pValue) {}
