package io.clvanalytics.engine.quality;

/** The dimension of data quality a check measures (the usual deequ / Soda Core grouping). */
public enum Category {
    COMPLETENESS, UNIQUENESS, VALIDITY, REFERENTIAL_INTEGRITY, CONSISTENCY, FRESHNESS, VOLUME, DISTRIBUTION,
    /** Problems typical of shop exports: returns, non-product lines, rows rejected at import. */
    SOURCE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
