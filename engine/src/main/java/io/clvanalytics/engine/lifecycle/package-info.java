/**
 * Product analytics: per-product performance metrics over any date window, monthly sales trends,
 * lifecycle stages with their history, product affinity from baskets and how a product's buyers
 * compare with all customers.
 *
 * <p>Entry point: {@link io.clvanalytics.engine.lifecycle.ProductAnalytics}. Everything that reads
 * transactions is set-based DuckDB SQL; Java only touches per-product results.
 */
package io.clvanalytics.engine.lifecycle;
