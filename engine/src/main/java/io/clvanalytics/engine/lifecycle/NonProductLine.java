package io.clvanalytics.engine.lifecycle;

/**
 * Lines left out of product analytics, grouped by code. {@code reason} is {@code import flag}
 * (products.is_product = false), {@code configured code} or {@code no product}.
 */
public record NonProductLine(String productCode, String name, String reason, long lines, double netRevenue) {}
