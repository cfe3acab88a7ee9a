package io.clvanalytics.engine.quality;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The data-quality API of a store: run the check suite, read stored runs and their history, and
 * configure checks per store.
 *
 * <p>Contract: {@link #run(RunOptions)} runs every enabled check (or the named ones) as set-based
 * SQL, never changes data outside the {@code quality_*} tables, stores the run with every result
 * and returns it. A check that cannot be computed gets status {@link Status#ERROR} with the reason;
 * the other checks still run. Unknown check names and bad settings are refused with a {@link
 * DataValidationException} before anything runs or changes. Thread-safe; each call uses its own
 * connection.
 */
public final class DataQuality {

    /** Offending rows kept per result by default. */
    public static final int DEFAULT_SAMPLE_SIZE = 10;

    private final Engine engine;
    private final List<QualityCheck> catalogue;

    private DataQuality(Engine engine, List<QualityCheck> catalogue) {
        this.engine = engine;
        this.catalogue = catalogue;
    }

    /** Data quality of {@code engine}'s store with the {@link Catalogue#standard() standard catalogue}. */
    public static DataQuality of(Engine engine) {
        return new DataQuality(Objects.requireNonNull(engine, "engine"), Catalogue.standard());
    }

    /** What to run: the checks by name (empty for every enabled check), a data window start, a sample size. */
    public record RunOptions(Set<String> checks, LocalDate since, int sampleSize) {

        public RunOptions {
            checks = checks == null ? Set.of() : Set.copyOf(checks);
            if (sampleSize < 0) {
                throw new DataValidationException("sample size must be 0 or more (" + sampleSize + ")");
            }
        }

        /** Every enabled check over the whole store. */
        public static RunOptions all() {
            return new RunOptions(Set.of(), null, DEFAULT_SAMPLE_SIZE);
        }

        public RunOptions withChecks(Collection<String> names) {
            return new RunOptions(new LinkedHashSet<>(names), since, sampleSize);
        }

        public RunOptions since(LocalDate from) {
            return new RunOptions(checks, from, sampleSize);
        }
    }

    /** Runs every enabled check over the whole store and stores the run. */
    public QualityRun run() {
        return run(RunOptions.all());
    }

    /**
     * Runs the checks chosen by {@code options} and stores the run. Checks named explicitly run
     * even when switched off for the store; otherwise switched-off checks are skipped.
     */
    public QualityRun run(RunOptions options) {
        List<CheckSettings> chosen = choose(options.checks());
        LocalDateTime started = LocalDateTime.now(engine.clock());
        LocalDate today = started.toLocalDate();
        List<CheckResult> results = new ArrayList<>();
        LocalDate windowStart;
        LocalDate windowEnd;
        try (Connection c = engine.connect()) {
            prepare(c, options.since());
            CheckContext base = new CheckContext(c, today, started, options.sampleSize(), Map.of(), null);
            base = base.withRowCounts(scanRowRules(base, chosen));
            for (CheckSettings s : chosen) {
                results.add(runOne(base, s));
            }
            Map<String, Object> w = base.queryOne("SELECT min(date) AS first, max(date) AS last FROM " + CheckContext.TX);
            windowStart = (LocalDate) w.get("first");
            windowEnd = (LocalDate) w.get("last");
            dropTemporaries(c);
        } catch (SQLException e) {
            throw new StoreException("data-quality run on " + engine.file() + " failed: " + e.getMessage(), e);
        }
        LocalDateTime finished = LocalDateTime.now(engine.clock());
        int failures = (int) results.stream().filter(r -> r.status() == Status.FAIL).count();
        int warnings = (int) results.stream().filter(r -> r.status() == Status.WARN).count();
        int errors = (int) results.stream().filter(r -> r.status() == Status.ERROR).count();
        QualityRun unsaved = new QualityRun(0, started, finished, options.since(), windowStart, windowEnd,
                QualityScore.of(results), results.size(), failures, warnings, errors, results);
        String scope = options.checks().isEmpty() ? "all" : String.join(",", chosen.stream().map(CheckSettings::name).toList());
        long id = engine.inTransaction(c -> QualityRepository.insert(c, unsaved, scope));
        return new QualityRun(id, started, finished, options.since(), windowStart, windowEnd, unsaved.score(),
                results.size(), failures, warnings, errors, results);
    }

    private List<CheckSettings> choose(Set<String> names) {
        List<String> unknown = names.stream().filter(n -> find(n).isEmpty()).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new DataValidationException("--check: unknown check " + String.join(", ", unknown)
                    + " (rule: a name from `clv quality --list`)", catalogue.stream().map(QualityCheck::name).toList());
        }
        List<CheckSettings> out = new ArrayList<>();
        for (CheckSettings s : settings()) {
            if (names.isEmpty() ? s.enabled() : names.contains(s.name())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The window view and the reference tables on this connection. */
    private static void prepare(Connection c, LocalDate since) throws SQLException {
        Reference.install(c);
        try (Statement st = c.createStatement()) {
            st.execute("DROP VIEW IF EXISTS " + CheckContext.TX);
            st.execute("CREATE OR REPLACE TEMP TABLE q_window (since DATE)");
        }
        if (since == null) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP VIEW " + CheckContext.TX + " AS SELECT * FROM transactions");
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO q_window VALUES (?)")) {
            ps.setDate(1, java.sql.Date.valueOf(since));
            ps.executeUpdate();
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP VIEW " + CheckContext.TX
                    + " AS SELECT * FROM transactions WHERE date >= (SELECT since FROM q_window)");
        }
    }

    private static void dropTemporaries(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP VIEW IF EXISTS " + CheckContext.TX);
            st.execute("DROP TABLE IF EXISTS q_window");
        }
    }

    /** One scan for all chosen row rules; on failure each rule then reports its own error. */
    private static Map<String, RowRule.Counts> scanRowRules(CheckContext ctx, List<CheckSettings> chosen) {
        List<RowRule> rules = new ArrayList<>();
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        for (CheckSettings s : chosen) {
            if (s.check() instanceof RowRule r) {
                rules.add(r);
                params.put(r.name(), s.params());
            }
        }
        if (rules.isEmpty()) {
            return Map.of();
        }
        try {
            return RowRule.scan(ctx, CheckContext.TX, rules, params);
        } catch (SQLException | RuntimeException e) {
            return Map.of();
        }
    }

    private static CheckResult runOne(CheckContext base, CheckSettings s) {
        QualityCheck check = s.check();
        Thresholds t = s.thresholds();
        long start = System.nanoTime();
        Measurement m;
        Status status;
        try {
            m = check.measure(base.withParams(s.params()));
            status = t.statusOf(m.metric());
        } catch (SQLException | RuntimeException e) {
            m = new Measurement(null, 0, List.of(), "could not be computed: " + e.getMessage());
            status = Status.ERROR;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new CheckResult(check.name(), check.category(), check.severity(), status, m.metric(), check.unit(),
                t.describe(check.unit()), t.warnAbove(), t.failAbove(), m.offendingRows(), m.sample(), m.message(), ms);
    }

    /**
     * The fast checks for an import batch with this store's current settings, to run inside the
     * import transaction before commit (see {@link BatchChecks}).
     */
    public BatchChecks batchChecks() {
        return new BatchChecks(settings(), engine.clock());
    }

    /** The latest stored run. */
    public Optional<QualityRun> latestRun() {
        return read(c -> {
            Optional<Long> id = QualityRepository.latestId(c);
            return id.isEmpty() ? Optional.empty() : QualityRepository.load(c, id.get());
        });
    }

    /** The stored run {@code id}. */
    public Optional<QualityRun> findRun(long id) {
        return read(c -> QualityRepository.load(c, id));
    }

    /** How {@code run} differs from the stored run before it, when there is one. */
    public Optional<RunComparison> compareWithPrevious(QualityRun run) {
        return read(c -> {
            Optional<Long> prevId = QualityRepository.previousId(c, run.id());
            if (prevId.isEmpty()) {
                return Optional.empty();
            }
            QualityRun prev = QualityRepository.load(c, prevId.get()).orElseThrow();
            return Optional.of(compare(run, prev));
        });
    }

    static RunComparison compare(QualityRun run, QualityRun prev) {
        List<String> newFailures = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> newWarnings = new ArrayList<>();
        for (CheckResult r : run.results()) {
            Optional<CheckResult> before = prev.result(r.name());
            if (before.isEmpty()) {
                continue;
            }
            boolean failedNow = r.status() == Status.FAIL || r.status() == Status.ERROR;
            boolean failedBefore = before.get().status() == Status.FAIL || before.get().status() == Status.ERROR;
            if (failedNow && !failedBefore) {
                newFailures.add(r.name());
            } else if (!failedNow && failedBefore) {
                fixed.add(r.name());
            }
            if (r.status() == Status.WARN && before.get().status() == Status.PASS) {
                newWarnings.add(r.name());
            }
        }
        return new RunComparison(run.id(), prev.id(), prev.startedAt(), run.score(), prev.score(), newFailures, fixed, newWarnings);
    }

    /** The score of the last {@code limit} runs, oldest first. */
    public List<ScorePoint> scoreHistory(int limit) {
        return read(c -> QualityRepository.scoreHistory(c, limit));
    }

    /** Check {@code name}'s outcome in the last {@code limit} runs that ran it, oldest first. */
    public List<CheckPoint> checkHistory(String name, int limit) {
        requireKnown(name);
        return read(c -> QualityRepository.checkHistory(c, name, limit));
    }

    /** Every check of the catalogue with this store's effective settings, in report order. */
    public List<CheckSettings> settings() {
        Map<String, QualityRepository.Override> overrides = read(QualityRepository::overrides);
        List<CheckSettings> out = new ArrayList<>();
        for (QualityCheck check : catalogue) {
            QualityRepository.Override o = overrides.get(check.name());
            Map<String, Object> params = new LinkedHashMap<>(check.defaultParams());
            if (o == null) {
                out.add(new CheckSettings(check, true, check.defaultThresholds(), params));
                continue;
            }
            o.params().forEach((k, v) -> {
                if (params.containsKey(k)) {
                    params.put(k, coerce(check, k, v));
                }
            });
            out.add(new CheckSettings(check, o.enabled(), check.defaultThresholds().overriddenBy(o.warn(), o.fail()), params));
        }
        return out;
    }

    /** Sets the warn and fail levels of {@code check} for this store; a null level keeps the default. */
    public void setThresholds(String check, Double warnAbove, Double failAbove) {
        requireKnown(check);
        for (Double d : new Double[] {warnAbove, failAbove}) {
            if (d != null && !Double.isFinite(d)) {
                throw new DataValidationException("threshold of " + check + " must be a finite number (" + d + ")");
            }
        }
        update(check, o -> new QualityRepository.Override(o.enabled(), warnAbove, failAbove, o.params()));
    }

    /** Switches {@code check} on or off for this store. */
    public void setEnabled(String check, boolean enabled) {
        requireKnown(check);
        update(check, o -> new QualityRepository.Override(enabled, o.warn(), o.fail(), o.params()));
    }

    /** Sets parameter {@code key} of {@code check} (a number, or an ISO date for date parameters). */
    public void setParam(String check, String key, String value) {
        QualityCheck c = requireKnown(check);
        if (!c.defaultParams().containsKey(key)) {
            throw new DataValidationException("check " + check + " has no parameter " + key + " (rule: one of "
                    + c.defaultParams().keySet() + ")");
        }
        Object typed = coerce(c, key, value);
        update(check, o -> {
            Map<String, Object> p = new LinkedHashMap<>(o.params());
            p.put(key, typed instanceof LocalDate d ? d.toString() : typed);
            return new QualityRepository.Override(o.enabled(), o.warn(), o.fail(), p);
        });
    }

    /** Forgets this store's settings of {@code check}: default thresholds and parameters, enabled. */
    public void reset(String check) {
        requireKnown(check);
        engine.inTransaction(c -> {
            QualityRepository.deleteOverride(c, check);
            return null;
        });
    }

    private void update(String check, java.util.function.UnaryOperator<QualityRepository.Override> change) {
        engine.inTransaction(c -> {
            QualityRepository.Override current = QualityRepository.overrides(c).getOrDefault(check,
                    new QualityRepository.Override(true, null, null, Map.of()));
            QualityRepository.saveOverride(c, check, change.apply(current), LocalDateTime.now(engine.clock()));
            return null;
        });
    }

    private static Object coerce(QualityCheck check, String key, Object value) {
        Object def = check.defaultParams().get(key);
        try {
            if (def instanceof LocalDate) {
                return LocalDate.parse(String.valueOf(value));
            }
            double d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value).trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException("not finite");
            }
            return d;
        } catch (RuntimeException e) {
            throw new DataValidationException("parameter " + check.name() + "." + key + ": "
                    + (def instanceof LocalDate ? "must be a date yyyy-MM-dd" : "must be a finite number") + " (" + value + ")");
        }
    }

    private Optional<QualityCheck> find(String name) {
        return catalogue.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private QualityCheck requireKnown(String name) {
        return find(name).orElseThrow(() -> new DataValidationException("unknown check " + name
                + " (rule: a name from `clv quality --list`)", catalogue.stream().map(QualityCheck::name).toList()));
    }

    private <T> T read(Engine.SqlWork<T> work) {
        try (Connection c = engine.connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("reading data-quality runs of " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }
}
