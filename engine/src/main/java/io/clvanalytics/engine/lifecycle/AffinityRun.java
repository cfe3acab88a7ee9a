package io.clvanalytics.engine.lifecycle;

/** What an affinity run counted: baskets in the window, products above the minimum support, rules kept. */
public record AffinityRun(long id, DateWindow window, long baskets, long frequentProducts, long rules) {}
