/**
 * The demo-data generator: customers, products with lifecycles, and transactions drawn from a known
 * repeat-purchase process (BG/NBD purchases and dropout, Gamma-Gamma spend), with seasonality and
 * returns. The true parameters are stored with the data ({@code store_meta} key {@code generator},
 * tables {@code generated_customer_truth} and {@code generated_product_truth}) so model tests can check
 * that fits recover them. Entry point: {@link io.clvanalytics.engine.generate.DemoDataGenerator}.
 */
package io.clvanalytics.engine.generate;
