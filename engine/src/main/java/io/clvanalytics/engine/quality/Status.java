package io.clvanalytics.engine.quality;

/** The outcome of one check in one run. */
public enum Status {
    /** The metric is within the warn level. */
    PASS,
    /** The metric is above the warn level but not above the fail level. */
    WARN,
    /** The metric is above the fail level. */
    FAIL,
    /** The check could not be computed; the message says why. */
    ERROR;

    /** The lower-case name used in JSON, tables and the database. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
