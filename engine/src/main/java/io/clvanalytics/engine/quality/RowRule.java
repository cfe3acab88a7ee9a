package io.clvanalytics.engine.quality;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A declarative check on single transaction rows: a SQL predicate over the alias {@code t} that is
 * true for an offending row. All enabled row rules are counted together in ONE scan of the
 * transactions (as deequ merges its analyzers into one pass), then each fetches a sample of its
 * offending rows. The same predicates run on a staged import batch ({@link BatchChecks}), where a
 * {@linkplain #hard() hard} rule refuses the batch.
 *
 * <p>The metric is the number of offending rows, or their percentage of the rows in the window.
 */
public final class RowRule extends DeclaredCheck {

    /** Offending rows, rows looked at, and the extra sub-counts by label. */
    record Counts(long offending, long total, Map<String, Long> extras) {}

    private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

    private final String predicate;
    private final boolean percent;
    private final Map<String, String> extras;
    private final String breakdown;
    private final boolean hard;
    private final String blameColumn;
    private final String blameValue;

    private RowRule(Builder b) {
        super(b);
        this.predicate = Objects.requireNonNull(b.predicate);
        this.percent = b.percent;
        this.extras = new LinkedHashMap<>(b.extras);
        this.breakdown = b.breakdown;
        this.hard = b.hard;
        this.blameColumn = b.blameColumn;
        this.blameValue = b.blameValue;
        if (hard && blameColumn == null) {
            throw new IllegalArgumentException(name() + ": a hard rule names the column it blames");
        }
    }

    /** Starts a rule named {@code name} whose predicate over {@code t} marks an offending row. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    @Override public String unit() { return percent ? "%" : "rows"; }

    /** True when an import batch with an offending row must be refused. */
    public boolean hard() {
        return hard;
    }

    /** The predicate over the alias {@code t}, with named parameters. */
    String predicate() {
        return predicate;
    }

    /** SQL naming the column at fault in an offending row (a hard rule's problem lines). */
    String blameColumn() {
        return blameColumn;
    }

    /** SQL giving the offending value as text. */
    String blameValue() {
        return blameValue;
    }

    @Override
    public Measurement measure(CheckContext ctx) throws SQLException {
        Counts counts = ctx.rowCounts(name());
        if (counts == null) {
            counts = scan(ctx, CheckContext.TX, List.of(this), Map.of(name(), ctx.params())).get(name());
        }
        double metric = percent
                ? (counts.total() == 0 ? 0.0 : 100.0 * counts.offending() / counts.total())
                : counts.offending();
        if (counts.offending() == 0) {
            return new Measurement(metric, 0, List.of(), "no offending rows among " + counts.total());
        }
        StringBuilder msg = new StringBuilder();
        msg.append(counts.offending()).append(" of ").append(counts.total()).append(" rows");
        counts.extras().forEach((label, n) -> msg.append("; ").append(label).append(": ").append(n));
        if (breakdown != null) {
            StringJoiner top = new StringJoiner(", ", "; most frequent: ", "");
            for (Map<String, Object> r : ctx.query("SELECT " + breakdown + " AS v, count(*) AS n FROM " + CheckContext.TX
                    + " t LEFT JOIN products p ON p.id = t.product_id WHERE " + predicate
                    + " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10")) {
                top.add(r.get("v") + " (" + r.get("n") + ")");
            }
            msg.append(top);
        }
        return new Measurement(metric, counts.offending(), sample(ctx, CheckContext.TX), msg.toString());
    }

    /** The first offending rows of {@code relation} (ordered by transaction id), with customer and product codes. */
    List<Map<String, Object>> sample(CheckContext ctx, String relation) throws SQLException {
        return ctx.query("SELECT t.id AS transaction_id, t.source_line, t.order_id, t.customer_id, c.source_id AS customer,"
                + " t.product_id, p.source_id AS product, t.date, t.ts, t.quantity, t.unit_price, t.amount, t.is_return"
                + " FROM " + relation + " t LEFT JOIN customers c ON c.id = t.customer_id"
                + " LEFT JOIN products p ON p.id = t.product_id WHERE " + predicate
                + " ORDER BY t.id LIMIT " + ctx.sampleSize());
    }

    /**
     * Counts the offending rows of every rule in one scan of {@code relation} (a view or table
     * name chosen by the engine, never by a user), each rule's named parameters taken from
     * {@code paramsByRule}.
     */
    static Map<String, Counts> scan(CheckContext ctx, String relation, List<RowRule> rules,
                                    Map<String, Map<String, Object>> paramsByRule) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*) AS total");
        Map<String, Object> bound = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            RowRule r = rules.get(i);
            Map<String, Object> p = paramsByRule.getOrDefault(r.name(), r.defaultParams());
            sql.append(", count(*) FILTER (WHERE ").append(prefixed(r.predicate, "r" + i + "_", p, bound))
                    .append(") AS r").append(i);
            int j = 0;
            for (String extra : r.extras.values()) {
                sql.append(", count(*) FILTER (WHERE ").append(prefixed(extra, "r" + i + "_", p, bound))
                        .append(") AS r").append(i).append("_x").append(j++);
            }
        }
        sql.append(" FROM ").append(relation).append(" t");
        Map<String, Object> row = ctx.query(sql.toString(), bound).get(0);
        long total = CheckContext.asLong(row.get("total"));
        Map<String, Counts> out = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            RowRule r = rules.get(i);
            Map<String, Long> extras = new LinkedHashMap<>();
            int j = 0;
            for (String label : r.extras.keySet()) {
                extras.put(label, CheckContext.asLong(row.get("r" + i + "_x" + j++)));
            }
            out.put(r.name(), new Counts(CheckContext.asLong(row.get("r" + i)), total, extras));
        }
        return out;
    }

    /** Renames {@code :x} to {@code :<prefix>x} and records its value, so rules with equal names bind apart. */
    private static String prefixed(String sql, String prefix, Map<String, Object> params, Map<String, Object> bound) {
        Matcher m = NAMED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String n = m.group(1);
            if (params.containsKey(n)) {
                bound.put(prefix + n, params.get(n));
                m.appendReplacement(out, ":" + prefix + n);
            } else {
                m.appendReplacement(out, ":" + n);
            }
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Builds a {@link RowRule}. */
    public static final class Builder extends DeclaredCheck.Builder<Builder> {
        private String predicate;
        private boolean percent;
        private final Map<String, String> extras = new LinkedHashMap<>();
        private String breakdown;
        private boolean hard;
        private String blameColumn;
        private String blameValue;

        private Builder(String name) {
            super(name);
        }

        @Override
        Builder self() {
            return this;
        }

        /** SQL over the alias {@code t} that is true for an offending row. */
        public Builder offendingWhen(String predicate) {
            this.predicate = predicate;
            return this;
        }

        /** Report the percentage of rows instead of their number. */
        public Builder asPercent() {
            this.percent = true;
            return this;
        }

        /** An extra count reported in the message, e.g. cancellations among the returns. */
        public Builder alsoCount(String label, String predicate) {
            extras.put(label, predicate);
            return this;
        }

        /** An expression over {@code t} and {@code p} (product) whose most frequent offending values go in the message. */
        public Builder breakdownBy(String expression) {
            this.breakdown = expression;
            return this;
        }

        /**
         * An import batch with an offending row is refused; {@code column} and {@code value} are
         * SQL over {@code t} naming the column at fault and its value as text. The predicate may
         * then use only date, ts, quantity, unit_price, amount, is_return, order_id, country and
         * currency: the columns a staged batch has.
         */
        public Builder hard(String column, String value) {
            this.hard = true;
            this.blameColumn = column;
            this.blameValue = value;
            return this;
        }

        public RowRule build() {
            return new RowRule(this);
        }
    }

    static List<RowRule> of(List<QualityCheck> checks) {
        List<RowRule> out = new ArrayList<>();
        for (QualityCheck c : checks) {
            if (c instanceof RowRule r) {
                out.add(r);
            }
        }
        return out;
    }
}
