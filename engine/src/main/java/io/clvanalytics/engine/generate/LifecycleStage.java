package io.clvanalytics.engine.generate;

import java.util.Locale;

/** The lifecycle phases a generated product passes through, in order. */
public enum LifecycleStage {
    /** Low sales, rising slowly from launch. */
    INTRODUCTION,
    /** Sales rising fast. */
    GROWTH,
    /** Flat sales at the product's peak. */
    MATURITY,
    /** Falling sales. */
    DECLINE,
    /** No sales at all. */
    DISCONTINUED;

    /** The lower-case name stored in {@code generated_product_truth.stage_at_end}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
