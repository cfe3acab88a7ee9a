package io.clvanalytics.engine.quality;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A declarative check defined by a query that returns the offending rows or groups (orphans,
 * duplicate groups, inconsistent customers...). The number of offending rows is
 * {@code countExpression} over that query ({@code count(*)} by default, {@code sum(copies - 1)}
 * for duplicates); the metric is that number or its percentage of {@code denominatorSql}.
 */
public final class SetCheck implements QualityCheck {

    private final String name;
    private final Category category;
    private final Severity severity;
    private final String description;
    private final String offendingSql;
    private final String countExpression;
    private final String denominatorSql;
    private final String orderBy;
    private final Thresholds thresholds;
    private final Map<String, Object> params;
    private final String noun;

    private SetCheck(Builder b) {
        this.name = Objects.requireNonNull(b.name);
        this.category = Objects.requireNonNull(b.category);
        this.severity = Objects.requireNonNull(b.severity);
        this.description = Objects.requireNonNull(b.description);
        this.offendingSql = Objects.requireNonNull(b.offendingSql);
        this.countExpression = b.countExpression;
        this.denominatorSql = b.denominatorSql;
        this.orderBy = Objects.requireNonNull(b.orderBy);
        this.thresholds = Objects.requireNonNull(b.thresholds);
        this.params = Map.copyOf(b.params);
        this.noun = b.noun;
    }

    /** Starts a check named {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    @Override public String name() { return name; }
    @Override public Category category() { return category; }
    @Override public Severity severity() { return severity; }
    @Override public String description() { return description; }
    @Override public String unit() { return denominatorSql != null ? "%" : noun; }
    @Override public Thresholds defaultThresholds() { return thresholds; }
    @Override public Map<String, Object> defaultParams() { return params; }

    @Override
    public Measurement measure(CheckContext ctx) throws SQLException {
        long offending = CheckContext.asLong(ctx.queryOne(
                "SELECT coalesce(" + countExpression + ", 0) AS n FROM (" + offendingSql + ") o").get("n"));
        Double metric = (double) offending;
        String message = offending + " " + noun;
        if (denominatorSql != null) {
            long total = CheckContext.asLong(ctx.queryOne("SELECT (" + denominatorSql + ") AS n").get("n"));
            metric = total == 0 ? 0.0 : 100.0 * offending / total;
            message = offending + " of " + total + " " + noun;
        }
        List<Map<String, Object>> sample = offending == 0 ? List.of()
                : ctx.query("SELECT * FROM (" + offendingSql + ") o ORDER BY " + orderBy + " LIMIT " + ctx.sampleSize());
        return new Measurement(metric, offending, sample, message);
    }

    /** Builds a {@link SetCheck}. */
    public static final class Builder {
        private final String name;
        private Category category;
        private Severity severity;
        private String description;
        private String offendingSql;
        private String countExpression = "count(*)";
        private String denominatorSql;
        private String orderBy = "1";
        private Thresholds thresholds;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private String noun = "rows";

        private Builder(String name) {
            this.name = name;
        }

        public Builder is(Category category, Severity severity) {
            this.category = category;
            this.severity = severity;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The query returning one row per offending row or group, with the columns the sample shows. */
        public Builder offending(String sql) {
            this.offendingSql = sql;
            return this;
        }

        /** How offending rows are counted over the query's rows (alias {@code o}). */
        public Builder countedAs(String expression) {
            this.countExpression = expression;
            return this;
        }

        /** Report the percentage of this scalar query's value instead of the count. */
        public Builder percentOf(String denominatorSql) {
            this.denominatorSql = denominatorSql;
            return this;
        }

        /** Sample order (deterministic samples make runs comparable). */
        public Builder orderBy(String orderBy) {
            this.orderBy = orderBy;
            return this;
        }

        /** What is counted: rows, customers, products, pairs... */
        public Builder counting(String noun) {
            this.noun = noun;
            return this;
        }

        public Builder thresholds(Thresholds thresholds) {
            this.thresholds = thresholds;
            return this;
        }

        public Builder param(String name, Object defaultValue) {
            params.put(name, defaultValue);
            return this;
        }

        public SetCheck build() {
            return new SetCheck(this);
        }
    }
}
