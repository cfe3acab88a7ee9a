package io.clvanalytics.engine.quality;

import io.clvanalytics.engine.ingest.StagedBatchCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast checks on an import batch before it is committed: every enabled {@linkplain
 * RowRule#hard() hard} row rule (future dates, dates before the plausible start, amounts and
 * quantities out of range, returns with the wrong sign) with this store's parameters, counted in
 * one scan of the staged table. Any offending row refuses the batch; the problems name the file,
 * line, column, rule and value of the first offending rows of each rule. An import that skips bad rows
 * rejects the offending rows instead ({@link #rejectRows}).
 */
public final class BatchChecks implements StagedBatchCheck {

    /** Problem lines listed per broken rule (the count of all offending rows is always given). */
    static final int LINES_PER_RULE = 10;

    private final List<CheckSettings> rules;
    private final Clock clock;

    BatchChecks(List<CheckSettings> settings, Clock clock) {
        this.rules = settings.stream()
                .filter(s -> s.enabled() && s.check() instanceof RowRule r && r.hard())
                .toList();
        this.clock = clock;
    }

    @Override
    public String name() {
        return "data-quality";
    }

    @Override
    public List<String> check(Connection connection, String stagedTable) throws SQLException {
        if (rules.isEmpty()) {
            return List.of();
        }
        LocalDateTime now = LocalDateTime.now(clock);
        CheckContext ctx = new CheckContext(connection, now.toLocalDate(), now, LINES_PER_RULE, Map.of(), null);
        // The staged table's name comes from the importer, never from a user.
        String relation = "(SELECT source_file, source_line, order_id, date, ts, quantity, unit_price, amount, country,"
                + " currency, is_return FROM " + stagedTable + ")";
        List<RowRule> hard = new ArrayList<>();
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        for (CheckSettings s : rules) {
            hard.add((RowRule) s.check());
            params.put(s.name(), s.params());
        }
        Map<String, RowRule.Counts> counts = RowRule.scan(ctx, relation, hard, params);
        List<String> problems = new ArrayList<>();
        for (CheckSettings s : rules) {
            RowRule r = (RowRule) s.check();
            long n = counts.get(r.name()).offending();
            if (n == 0) {
                continue;
            }
            problems.add(r.name() + ": " + n + (n == 1 ? " row breaks" : " rows break") + " the rule: " + r.description());
            CheckContext own = ctx.withParams(s.params());
            for (Map<String, Object> row : own.query("SELECT t.source_file AS f, t.source_line AS l, " + r.blameColumn()
                    + " AS c, " + r.blameValue() + " AS v FROM " + relation + " t WHERE " + r.predicate()
                    + " ORDER BY t.source_file, t.source_line LIMIT " + LINES_PER_RULE)) {
                problems.add(row.get("f") + ":" + row.get("l") + ":" + row.get("c") + ": " + r.name() + " (" + row.get("v") + ")");
            }
        }
        return problems;
    }

    /** Every hard rule judges single rows: each offending row goes to {@code rejectsTable} under the rule's name. */
    @Override
    public boolean rejectRows(Connection connection, String stagedTable, String rejectsTable) throws SQLException {
        LocalDateTime now = LocalDateTime.now(clock);
        CheckContext ctx = new CheckContext(connection, now.toLocalDate(), now, LINES_PER_RULE, Map.of(), null);
        for (CheckSettings s : rules) {
            RowRule r = (RowRule) s.check();
            Map<String, Object> params = new LinkedHashMap<>(s.params());
            params.put("rule_name", r.name());
            // Table names come from the importer, never from a user; values are bound.
            ctx.withParams(params).execute("INSERT INTO " + rejectsTable + " SELECT t.source_line, " + r.blameColumn() + ", :rule_name, "
                    + r.blameValue() + " FROM " + stagedTable + " t WHERE " + r.predicate());
        }
        return true;
    }
}
