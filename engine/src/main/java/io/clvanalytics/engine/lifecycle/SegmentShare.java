package io.clvanalytics.engine.lifecycle;

/**
 * One customer segment among a product's buyers against all customers with a purchase.
 * {@code index} = buyerShare / overallShare (above 1: the segment is over-represented).
 */
public record SegmentShare(String segment, long buyers, double buyerShare, long customers, double overallShare, Double index) {}
