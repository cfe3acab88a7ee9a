package io.clvanalytics.engine.quality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every check declared with a builder has: name, category, severity, description, default
 * thresholds and parameters. {@link RowRule} and {@link SetCheck} add how they measure.
 */
abstract class DeclaredCheck implements QualityCheck {

    private final String name;
    private final Category category;
    private final Severity severity;
    private final String description;
    private final Thresholds thresholds;
    private final Map<String, Object> params;

    DeclaredCheck(Builder<?> b) {
        this.name = Objects.requireNonNull(b.name);
        this.category = Objects.requireNonNull(b.category, () -> b.name + ": category");
        this.severity = Objects.requireNonNull(b.severity, () -> b.name + ": severity");
        this.description = Objects.requireNonNull(b.description, () -> b.name + ": description");
        this.thresholds = Objects.requireNonNull(b.thresholds, () -> b.name + ": thresholds");
        this.params = Map.copyOf(b.params);
    }

    @Override public final String name() { return name; }
    @Override public final Category category() { return category; }
    @Override public final Severity severity() { return severity; }
    @Override public final String description() { return description; }
    @Override public final Thresholds defaultThresholds() { return thresholds; }
    @Override public final Map<String, Object> defaultParams() { return params; }

    @Override
    public String toString() {
        return name;
    }

    /** The common part of the builders; {@code B} is the concrete builder, so calls chain. */
    abstract static class Builder<B extends Builder<B>> {
        private final String name;
        private Category category;
        private Severity severity;
        private String description;
        private Thresholds thresholds;
        private final Map<String, Object> params = new LinkedHashMap<>();

        Builder(String name) {
            this.name = name;
        }

        abstract B self();

        public B is(Category category, Severity severity) {
            this.category = category;
            this.severity = severity;
            return self();
        }

        public B description(String description) {
            this.description = description;
            return self();
        }

        public B thresholds(Thresholds thresholds) {
            this.thresholds = thresholds;
            return self();
        }

        /** A parameter the check reads, with its default (a number or an ISO date as text). */
        public B param(String name, Object defaultValue) {
            params.put(name, defaultValue);
            return self();
        }

        final String name() {
            return name;
        }
    }
}
