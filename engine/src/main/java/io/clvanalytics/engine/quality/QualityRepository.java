package io.clvanalytics.engine.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes quality runs, results and per-store settings. Internal to the package. */
final class QualityRepository {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private QualityRepository() {}

    /** Stores {@code run} (whose id is ignored) and returns its new id. */
    static long insert(Connection c, QualityRun run, String scope) throws SQLException {
        long id;
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('quality_run_seq')")) {
            rs.next();
            id = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quality_runs(id, started_at, finished_at, window_start,"
                + " window_end, score, checks_run, failures, warnings, errors, since_date, scope)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setTimestamp(2, Timestamp.valueOf(run.startedAt()));
            ps.setTimestamp(3, Timestamp.valueOf(run.finishedAt()));
            setDate(ps, 4, run.windowStart());
            setDate(ps, 5, run.windowEnd());
            ps.setDouble(6, run.score());
            ps.setInt(7, run.checksRun());
            ps.setInt(8, run.failures());
            ps.setInt(9, run.warnings());
            ps.setInt(10, run.errors());
            setDate(ps, 11, run.since());
            ps.setString(12, scope);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quality_results(run_id, check_name, category, severity,"
                + " status, metric, threshold, offending_rows, sample_json, message, unit, warn_at, fail_at, duration_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (CheckResult r : run.results()) {
                ps.setLong(1, id);
                ps.setString(2, r.name());
                ps.setString(3, r.category().label());
                ps.setString(4, r.severity().name().toLowerCase(java.util.Locale.ROOT));
                ps.setString(5, r.status().label());
                setDouble(ps, 6, r.metric());
                ps.setString(7, r.threshold());
                ps.setLong(8, r.offendingRows());
                ps.setString(9, toJson(r.sample()));
                ps.setString(10, r.message());
                ps.setString(11, r.unit());
                setDouble(ps, 12, r.warnAt());
                setDouble(ps, 13, r.failAt());
                ps.setLong(14, r.durationMs());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }

    static Optional<QualityRun> load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, finished_at, since_date, window_start, window_end,"
                + " score, checks_run, failures, warnings, errors FROM quality_runs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new QualityRun(rs.getLong(1), ts(rs, 2), ts(rs, 3), date(rs, 4), date(rs, 5), date(rs, 6),
                        rs.getDouble(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), results(c, id)));
            }
        }
    }

    private static List<CheckResult> results(Connection c, long runId) throws SQLException {
        List<CheckResult> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT check_name, category, severity, status, metric, unit,"
                + " threshold, warn_at, fail_at, offending_rows, sample_json, message, duration_ms"
                + " FROM quality_results WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CheckResult(rs.getString(1), Category.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)),
                            Severity.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                            Status.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)), dbl(rs, 5), rs.getString(6),
                            rs.getString(7), dbl(rs, 8), dbl(rs, 9), rs.getLong(10), fromJson(rs.getString(11)),
                            rs.getString(12), rs.getLong(13)));
                }
            }
        }
        List<String> order = Catalogue.standard().stream().map(QualityCheck::name).toList();
        out.sort(java.util.Comparator.comparingInt(r -> {
            int i = order.indexOf(r.name());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return out;
    }

    static Optional<Long> latestId(Connection c) throws SQLException {
        return optionalLong(c, "SELECT max(id) FROM quality_runs", null);
    }

    static Optional<Long> previousId(Connection c, long runId) throws SQLException {
        return optionalLong(c, "SELECT max(id) FROM quality_runs WHERE id < ?", runId);
    }

    static List<ScorePoint> scoreHistory(Connection c, int limit) throws SQLException {
        List<ScorePoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (SELECT id, started_at, score, failures, warnings"
                + " FROM quality_runs ORDER BY id DESC LIMIT ?) ORDER BY id")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScorePoint(rs.getLong(1), ts(rs, 2), rs.getDouble(3), rs.getInt(4), rs.getInt(5)));
                }
            }
        }
        return out;
    }

    static List<CheckPoint> checkHistory(Connection c, String check, int limit) throws SQLException {
        List<CheckPoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (SELECT r.id, r.started_at, q.status, q.metric,"
                + " q.offending_rows FROM quality_results q JOIN quality_runs r ON r.id = q.run_id WHERE q.check_name = ?"
                + " ORDER BY r.id DESC LIMIT ?) ORDER BY id")) {
            ps.setString(1, check);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CheckPoint(rs.getLong(1), ts(rs, 2), Status.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                            dbl(rs, 4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /** The store's overrides: check name to (enabled, warn, fail, params JSON). */
    record Override(boolean enabled, Double warn, Double fail, Map<String, Object> params) {}

    static Map<String, Override> overrides(Connection c) throws SQLException {
        Map<String, Override> out = new LinkedHashMap<>();
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT check_name, enabled, warn_at, fail_at, params_json FROM quality_thresholds")) {
            while (rs.next()) {
                out.put(rs.getString(1), new Override(rs.getBoolean(2), dbl(rs, 3), dbl(rs, 4), params(rs.getString(5))));
            }
        }
        return out;
    }

    static void saveOverride(Connection c, String check, Override o, LocalDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO quality_thresholds(check_name, enabled, warn_at,"
                + " fail_at, updated_at, params_json) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, check);
            ps.setBoolean(2, o.enabled());
            setDouble(ps, 3, o.warn());
            setDouble(ps, 4, o.fail());
            ps.setTimestamp(5, Timestamp.valueOf(now));
            ps.setString(6, o.params().isEmpty() ? null : toJson(o.params()));
            ps.executeUpdate();
        }
    }

    static void deleteOverride(Connection c, String check) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM quality_thresholds WHERE check_name = ?")) {
            ps.setString(1, check);
            ps.executeUpdate();
        }
    }

    private static Map<String, Object> params(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("quality_thresholds.params_json is not a JSON object: " + json, e);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write quality results as JSON: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("quality_results.sample_json is not a JSON array: " + e.getMessage(), e);
        }
    }

    private static Optional<Long> optionalLong(Connection c, String sql, Long arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setLong(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(v);
            }
        }
    }

    private static void setDate(PreparedStatement ps, int i, LocalDate d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.DATE);
        } else {
            ps.setDate(i, java.sql.Date.valueOf(d));
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double d) throws SQLException {
        if (d == null || d.isNaN()) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, d);
        }
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static LocalDateTime ts(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toLocalDateTime();
    }

    private static LocalDate date(ResultSet rs, int i) throws SQLException {
        java.sql.Date d = rs.getDate(i);
        return d == null ? null : d.toLocalDate();
    }
}
