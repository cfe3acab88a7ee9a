package io.clvanalytics.engine.lifecycle;

import java.util.List;

/**
 * How a product's buyers (customers with a sale line of it in the window) compare with all
 * customers who bought anything in the window. Segment mix comes from {@code customers.segment},
 * else the latest retention run's segment; CLV and P(alive) from the latest CLV scoring run.
 * Fields are null where that input does not exist yet, and {@code notes} says why.
 */
public record CustomerProfile(long productId, DateWindow window, long buyers, long customers,
                              List<SegmentShare> segments,
                              Long clvRunId, Double buyersAverageClv, Double allAverageClv,
                              Double buyersAveragePAlive, Double allAveragePAlive,
                              List<String> notes) {}
