package io.clvanalytics.engine.quality;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A declarative check defined by a query that returns the offending rows or groups (orphans,
 * duplicate groups, inconsistent customers...). The number of offending rows is
 * {@code countExpression} over that query ({@code count(*)} by default, {@code sum(copies - 1)}
 * for duplicates); the metric is that number or its percentage of {@code denominatorSql}.
 */
public final class SetCheck extends DeclaredCheck {

    private final String offendingSql;
    private final String countExpression;
    private final String denominatorSql;
    private final String orderBy;
    private final String noun;
    private final String quickCountSql;

    private SetCheck(Builder b) {
        super(b);
        this.offendingSql = Objects.requireNonNull(b.offendingSql);
        this.countExpression = b.countExpression;
        this.denominatorSql = b.denominatorSql;
        this.orderBy = Objects.requireNonNull(b.orderBy);
        this.noun = b.noun;
        this.quickCountSql = b.quickCountSql;
    }

    /** Starts a check named {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    @Override public String unit() { return denominatorSql != null ? "%" : noun; }

    @Override
    public Measurement measure(CheckContext ctx) throws SQLException {
        if (quickCountSql != null && CheckContext.asLong(ctx.queryOne("SELECT (" + quickCountSql + ") AS n").get("n")) == 0) {
            Double metric = 0.0;
            String message = "0 " + noun;
            if (denominatorSql != null) {
                long total = CheckContext.asLong(ctx.queryOne("SELECT (" + denominatorSql + ") AS n").get("n"));
                message = "0 of " + total + " " + noun;
            }
            return new Measurement(metric, 0, List.of(), message);
        }
        // The offending set is computed once into a temporary table; count and sample read it.
        ctx.execute("CREATE OR REPLACE TEMP TABLE q_offending AS " + offendingSql);
        try {
            long offending = CheckContext.asLong(ctx.queryOne(
                    "SELECT coalesce(" + countExpression + ", 0) AS n FROM q_offending o").get("n"));
            Double metric = (double) offending;
            String message = offending + " " + noun;
            if (denominatorSql != null) {
                long total = CheckContext.asLong(ctx.queryOne("SELECT (" + denominatorSql + ") AS n").get("n"));
                metric = total == 0 ? 0.0 : 100.0 * offending / total;
                message = offending + " of " + total + " " + noun;
            }
            List<Map<String, Object>> sample = offending == 0 ? List.of()
                    : ctx.query("SELECT * FROM q_offending o ORDER BY " + orderBy + " LIMIT " + ctx.sampleSize());
            return new Measurement(metric, offending, sample, message);
        } finally {
            ctx.execute("DROP TABLE IF EXISTS q_offending");
        }
    }

    /** Builds a {@link SetCheck}. */
    public static final class Builder extends DeclaredCheck.Builder<Builder> {
        private String offendingSql;
        private String countExpression = "count(*)";
        private String denominatorSql;
        private String orderBy = "1";
        private String noun = "rows";
        private String quickCountSql;

        private Builder(String name) {
            super(name);
        }

        @Override
        Builder self() {
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

        /** A cheaper scalar query that is 0 exactly when nothing offends; the full query runs only otherwise. */
        public Builder unlessZero(String quickCountSql) {
            this.quickCountSql = quickCountSql;
            return this;
        }

        public SetCheck build() {
            return new SetCheck(this);
        }
    }
}
