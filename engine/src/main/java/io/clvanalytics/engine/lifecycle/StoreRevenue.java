package io.clvanalytics.engine.lifecycle;

/** A window's net revenue (returns netted), split into product and non-product lines. */
public record StoreRevenue(DateWindow window, double netRevenue, double productRevenue, double nonProductRevenue, long lines) {}
