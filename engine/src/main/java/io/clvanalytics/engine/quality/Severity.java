package io.clvanalytics.engine.quality;

/** How much a failing check matters; the weight is its share in the {@link QualityScore}. */
public enum Severity {
    /** Breaks figures built on the data (orphans, duplicates, impossible dates). */
    HIGH(3),
    /** Distorts figures (inconsistent derived columns, odd prices). */
    MEDIUM(2),
    /** Worth knowing (unknown countries, products never sold). */
    LOW(1);

    private final int weight;

    Severity(int weight) {
        this.weight = weight;
    }

    /** The weight of a check of this severity in the quality score. */
    public int weight() {
        return weight;
    }
}
