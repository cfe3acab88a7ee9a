package io.clvanalytics.engine.schedule;

import io.clvanalytics.engine.DataValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What happens to slots that fell while no scheduler ran (or that are late by more than the grace). */
public enum MissedSlotPolicy {
    /** The latest missed slot runs once; earlier missed slots are recorded as skipped. */
    RUN_LATEST_ONCE("run-latest-once"),
    /** Missed slots are recorded as skipped; only slots on time run. */
    SKIP("skip");

    private final String label;

    MissedSlotPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The policy called {@code label}. */
    public static MissedSlotPolicy named(String field, String label) {
        String l = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.label.equals(l)).findFirst()
                .orElseThrow(() -> new DataValidationException(field + ": \"" + label + "\" is not a missed-slot policy; use "
                        + Arrays.stream(values()).map(MissedSlotPolicy::label).collect(Collectors.joining(" or "))));
    }
}
