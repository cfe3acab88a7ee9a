package io.clvanalytics.engine.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportRenderer;
import io.clvanalytics.engine.jasper.ReportTemplate;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The stored schedules, their runs, archived files and mail deliveries.
 *
 * <p>Contract: {@link #create} and {@link #update} validate a spec once and name the field and the
 * rule broken ({@link DataValidationException}); ids are 128 random bits in hex and lookups accept
 * nothing else; the unique (schedule, slot) key of {@code schedule_runs} lets {@link #claim} hand a
 * slot to exactly one caller. Thread-safe: each call uses its own connection.
 */
public final class Schedules {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final String SCHEDULE_COLUMNS = "id, name, template, parameters_json, formats_json, recurrence, zone, owner,"
            + " roles_json, users_json, mail_json, keep_runs, skip_if_empty, missed_policy, max_attempts, paused, created_epoch_ms";
    private static final String RUN_COLUMNS = "id, schedule_id, slot_epoch_ms, trigger, status, attempts, next_attempt_epoch_ms,"
            + " started_epoch_ms, finished_epoch_ms, duration_ms, error, note";
    private static final String FILE_COLUMNS = "id, run_id, schedule_id, format, file_name, size_bytes, sha256, created_epoch_ms, deleted_epoch_ms";

    private final Engine engine;

    private Schedules(Engine engine) {
        this.engine = engine;
    }

    public static Schedules of(Engine engine) {
        return new Schedules(java.util.Objects.requireNonNull(engine, "engine"));
    }

    Engine engine() {
        return engine;
    }

    /** Whether {@code id} has the form of an id (so a lookup can refuse anything else before touching the store). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ----------------------------------------------------------------- schedules

    /** Validates {@code spec} and stores it as a new schedule, created now (the engine's clock). */
    public Schedule create(ScheduleSpec spec) {
        return create(spec, engine.clock().instant());
    }

    /**
     * As {@link #create(ScheduleSpec)}, with the slots after {@code start} due (a start in the past
     * makes its slots since then missed ones, handled by the missed-slot policy at the next run).
     */
    public Schedule create(ScheduleSpec spec, Instant start) {
        Schedule s = validate(newId(), spec, false, java.util.Objects.requireNonNull(start, "start"));
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedules (" + SCHEDULE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindSchedule(ps, s);
                ps.executeUpdate();
            }
            return null;
        });
        return s;
    }

    /** Replaces the settings of schedule {@code id} with {@code spec} (its runs and files stay). */
    public Schedule update(String id, ScheduleSpec spec) {
        Schedule old = find(id).orElseThrow(() -> unknown(id));
        Schedule s = validate(id, spec, old.paused(), old.createdAt());
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET name = ?, template = ?, parameters_json = ?,"
                    + " formats_json = ?, recurrence = ?, zone = ?, owner = ?, roles_json = ?, users_json = ?, mail_json = ?,"
                    + " keep_runs = ?, skip_if_empty = ?, missed_policy = ?, max_attempts = ? WHERE id = ?")) {
                ps.setString(1, s.name());
                ps.setString(2, s.template().templateName());
                ps.setString(3, json(s.parameters()));
                ps.setString(4, json(s.formats().stream().map(ReportFormat::extension).toList()));
                ps.setString(5, s.recurrence().expression());
                ps.setString(6, s.recurrence().zone().getId());
                ps.setString(7, s.owner());
                ps.setString(8, json(s.roles()));
                ps.setString(9, json(s.users()));
                ps.setString(10, json(s.mailTo()));
                ps.setInt(11, s.keepRuns());
                ps.setBoolean(12, s.skipIfEmpty());
                ps.setString(13, s.missedPolicy().label());
                ps.setInt(14, s.maxAttempts());
                ps.setString(15, id);
                ps.executeUpdate();
            }
            return null;
        });
        return s;
    }

    /** Pauses (no slot runs, none is caught up later) or resumes schedule {@code id}. */
    public void setPaused(String id, boolean paused) {
        find(id).orElseThrow(() -> unknown(id));
        update("UPDATE schedules SET paused = ? WHERE id = ?", ps -> {
            ps.setBoolean(1, paused);
            ps.setString(2, id);
        });
        if (!paused) {
            // Slots that fell while paused are not missed: the schedule starts afresh from now.
            update("UPDATE schedules SET created_epoch_ms = ? WHERE id = ?", ps -> {
                ps.setLong(1, engine.clock().millis());
                ps.setString(2, id);
            });
        }
    }

    /** Deletes schedule {@code id} with its runs, file records and deliveries; true when it existed. */
    public boolean delete(String id) {
        if (!isId(id)) {
            return false;
        }
        return engine.inTransaction(c -> {
            for (String sql : List.of(
                    "DELETE FROM schedule_deliveries WHERE run_id IN (SELECT id FROM schedule_runs WHERE schedule_id = ?)",
                    "DELETE FROM schedule_files WHERE schedule_id = ?",
                    "DELETE FROM schedule_runs WHERE schedule_id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Schedule {@code id}, if it exists (anything not shaped like an id finds nothing). */
    public Optional<Schedule> find(String id) {
        if (!isId(id)) {
            return Optional.empty();
        }
        List<Schedule> found = querySchedules("SELECT " + SCHEDULE_COLUMNS + " FROM schedules WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** Every schedule, by name. */
    public List<Schedule> list() {
        return querySchedules("SELECT " + SCHEDULE_COLUMNS + " FROM schedules ORDER BY name, created_epoch_ms");
    }

    /** The schedules {@code user} with {@code roles} may see. */
    public List<Schedule> visibleTo(String user, Collection<String> roles) {
        return list().stream().filter(s -> s.visibleTo(user, roles)).toList();
    }

    // ----------------------------------------------------------------- runs, files, deliveries

    /** The newest {@code limit} runs of schedule {@code scheduleId}, newest slot first. */
    public List<ScheduleRun> runs(String scheduleId, int limit) {
        return queryRuns("SELECT " + RUN_COLUMNS + " FROM schedule_runs WHERE schedule_id = ? ORDER BY slot_epoch_ms DESC LIMIT "
                + Math.max(1, limit), scheduleId);
    }

    /** Run {@code runId}, if it exists. */
    public Optional<ScheduleRun> run(String runId) {
        if (!isId(runId)) {
            return Optional.empty();
        }
        return queryRuns("SELECT " + RUN_COLUMNS + " FROM schedule_runs WHERE id = ?", runId).stream().findFirst();
    }

    /** The files of schedule {@code scheduleId} still in the archive, newest first. */
    public List<ArchivedFile> files(String scheduleId) {
        return queryFiles("SELECT " + FILE_COLUMNS + " FROM schedule_files WHERE schedule_id = ? AND deleted_epoch_ms IS NULL"
                + " ORDER BY created_epoch_ms DESC, file_name DESC", scheduleId);
    }

    /** Every file record of run {@code runId}, deleted ones included. */
    public List<ArchivedFile> filesOfRun(String runId) {
        return queryFiles("SELECT " + FILE_COLUMNS + " FROM schedule_files WHERE run_id = ? ORDER BY format", runId);
    }

    /** File {@code fileId} of schedule {@code scheduleId} if it belongs to it and is still archived. */
    public Optional<ArchivedFile> file(String scheduleId, String fileId) {
        if (!isId(scheduleId) || !isId(fileId)) {
            return Optional.empty();
        }
        return queryFiles("SELECT " + FILE_COLUMNS + " FROM schedule_files WHERE schedule_id = ? AND id = ? AND deleted_epoch_ms IS NULL",
                scheduleId, fileId).stream().findFirst();
    }

    /** The mails of run {@code runId}. */
    public List<Delivery> deliveries(String runId) {
        List<Delivery> out = new ArrayList<>();
        query("SELECT run_id, recipients, status, error, sent_epoch_ms FROM schedule_deliveries WHERE run_id = ? ORDER BY recipients",
                rs -> out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5))), runId);
        return out;
    }

    // ----------------------------------------------------------------- used by the scheduler

    /**
     * Claims slot {@code slot} of {@code scheduleId} by inserting its run; empty when the slot already
     * has a run (the unique key), so a slot is handed out once.
     */
    Optional<String> claim(String scheduleId, Instant slot, String trigger, RunStatus status, String error, String note) {
        String id = newId();
        int inserted = engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_runs (id, schedule_id, slot_epoch_ms, trigger, status,"
                    + " attempts, next_attempt_epoch_ms, error, note, finished_epoch_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                ps.setString(1, id);
                ps.setString(2, scheduleId);
                ps.setLong(3, slot.toEpochMilli());
                ps.setString(4, trigger);
                ps.setString(5, status.name());
                ps.setLong(6, slot.toEpochMilli());
                ps.setString(7, error);
                ps.setString(8, note);
                if (status.finished()) {
                    ps.setLong(9, engine.clock().millis());
                } else {
                    ps.setNull(9, Types.BIGINT);
                }
                return ps.executeUpdate();
            }
        });
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    /** The latest slot of the recurrence that has a run, if any. */
    Optional<Instant> latestScheduledSlot(String scheduleId) {
        List<Instant> out = new ArrayList<>();
        query("SELECT max(slot_epoch_ms) FROM schedule_runs WHERE schedule_id = ? AND trigger = 'schedule'", rs -> {
            long v = rs.getLong(1);
            if (!rs.wasNull()) {
                out.add(Instant.ofEpochMilli(v));
            }
        }, scheduleId);
        return out.stream().findFirst();
    }

    /** Runs waiting to be (re)done at {@code now}, oldest slot first. */
    List<ScheduleRun> runnable(Instant now) {
        return queryRuns("SELECT " + RUN_COLUMNS + " FROM schedule_runs WHERE status IN ('PENDING', 'RETRYING')"
                + " AND coalesce(next_attempt_epoch_ms, 0) <= ? ORDER BY slot_epoch_ms, id", now.toEpochMilli());
    }

    /** Marks every run left RUNNING (by a process that ended mid-attempt) PENDING again; returns them. */
    List<ScheduleRun> recoverInterrupted(Instant now) {
        List<ScheduleRun> interrupted = queryRuns("SELECT " + RUN_COLUMNS + " FROM schedule_runs WHERE status = 'RUNNING'");
        for (ScheduleRun r : interrupted) {
            update("UPDATE schedule_runs SET status = 'PENDING', next_attempt_epoch_ms = ?, note = ? WHERE id = ?", ps -> {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, "attempt " + r.attempts() + " was interrupted (the process ended); redone");
                ps.setString(3, r.id());
            });
        }
        return interrupted;
    }

    void markRunning(String runId, int attempt, Instant started) {
        update("UPDATE schedule_runs SET status = 'RUNNING', attempts = ?, started_epoch_ms = ? WHERE id = ?", ps -> {
            ps.setInt(1, attempt);
            ps.setLong(2, started.toEpochMilli());
            ps.setString(3, runId);
        });
    }

    void markRetrying(String runId, String error, Instant next) {
        update("UPDATE schedule_runs SET status = 'RETRYING', error = ?, next_attempt_epoch_ms = ? WHERE id = ?", ps -> {
            ps.setString(1, error);
            ps.setLong(2, next.toEpochMilli());
            ps.setString(3, runId);
        });
    }

    void markFinished(String runId, RunStatus status, String error, String note, Instant started, Instant finished) {
        update("UPDATE schedule_runs SET status = ?, error = ?, note = coalesce(?, note), finished_epoch_ms = ?, duration_ms = ?,"
                + " next_attempt_epoch_ms = NULL WHERE id = ?", ps -> {
            ps.setString(1, status.name());
            ps.setString(2, error);
            ps.setString(3, note);
            ps.setLong(4, finished.toEpochMilli());
            ps.setLong(5, finished.toEpochMilli() - started.toEpochMilli());
            ps.setString(6, runId);
        });
    }

    /** Records a run's files and pending deliveries and marks it succeeded, in one transaction. */
    void recordSuccess(String runId, String scheduleId, List<ArchivedFile> files, List<String> mailTo, Instant started, Instant finished) {
        engine.inTransaction(c -> {
            // A redone run replaces the records of the attempt that was interrupted after writing them.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedule_files WHERE run_id = ?")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_files (" + FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                for (ArchivedFile f : files) {
                    ps.setString(1, f.id());
                    ps.setString(2, runId);
                    ps.setString(3, scheduleId);
                    ps.setString(4, f.format());
                    ps.setString(5, f.fileName());
                    ps.setLong(6, f.sizeBytes());
                    ps.setString(7, f.sha256());
                    ps.setLong(8, f.created().toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!mailTo.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_deliveries (run_id, recipients, status) VALUES (?, ?, 'pending')")) {
                    ps.setString(1, runId);
                    ps.setString(2, String.join(", ", mailTo));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule_runs SET status = 'SUCCEEDED', error = NULL, finished_epoch_ms = ?,"
                    + " duration_ms = ?, next_attempt_epoch_ms = NULL WHERE id = ?")) {
                ps.setLong(1, finished.toEpochMilli());
                ps.setLong(2, finished.toEpochMilli() - started.toEpochMilli());
                ps.setString(3, runId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deliveries still pending, with their run (sent after a success, or at start-up after a crash). */
    List<Delivery> pendingDeliveries() {
        List<Delivery> out = new ArrayList<>();
        query("SELECT run_id, recipients, status, error, sent_epoch_ms FROM schedule_deliveries WHERE status = 'pending' ORDER BY run_id",
                rs -> out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5))));
        return out;
    }

    void markDelivery(String runId, String status, String error, Instant when) {
        update("UPDATE schedule_deliveries SET status = ?, error = ?, sent_epoch_ms = ? WHERE run_id = ? AND status = 'pending'", ps -> {
            ps.setString(1, status);
            ps.setString(2, error);
            ps.setLong(3, when.toEpochMilli());
            ps.setString(4, runId);
        });
    }

    /** Archived files of {@code scheduleId} beyond its newest {@code keepRuns} succeeded runs. */
    List<ArchivedFile> filesBeyondKeep(String scheduleId, int keepRuns) {
        return queryFiles("SELECT " + FILE_COLUMNS.replaceAll("(\\w+)", "f.$1") + " FROM schedule_files f WHERE f.schedule_id = ?"
                + " AND f.deleted_epoch_ms IS NULL AND f.run_id NOT IN (SELECT id FROM schedule_runs WHERE schedule_id = ?"
                + " AND status = 'SUCCEEDED' ORDER BY slot_epoch_ms DESC LIMIT " + Math.max(1, keepRuns) + ")", scheduleId, scheduleId);
    }

    void markFileDeleted(String fileId, Instant when) {
        update("UPDATE schedule_files SET deleted_epoch_ms = ? WHERE id = ?", ps -> {
            ps.setLong(1, when.toEpochMilli());
            ps.setString(2, fileId);
        });
    }

    // ----------------------------------------------------------------- validation and mapping

    private Schedule validate(String id, ScheduleSpec spec, boolean paused, Instant createdAt) {
        ReportTemplate template = ReportTemplate.named(spec.template()).orElseThrow(() -> new DataValidationException(
                "--template: " + (spec.template() == null ? "missing" : "unknown template \"" + spec.template() + "\"")
                        + "; the templates are " + ReportTemplate.names()));
        Set<String> declared = new java.util.TreeSet<>();
        ReportRenderer.of(engine).parameters(template).forEach(p -> declared.add(p.name()));
        for (String p : spec.parameters().keySet()) {
            if (!declared.contains(p)) {
                throw new DataValidationException("--param " + p + ": template " + template.templateName() + " has no such parameter; it takes "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)));
            }
        }
        Recurrence recurrence = Recurrence.parse("--cron", spec.recurrence(), spec.zone());
        if (spec.owner() == null || spec.owner().isBlank()) {
            throw new DataValidationException("--owner: missing; name who owns the schedule");
        }
        if (spec.keepRuns() < 1 || spec.keepRuns() > 100_000) {
            throw new DataValidationException("--keep: " + spec.keepRuns() + " is not between 1 and 100000 runs");
        }
        if (spec.maxAttempts() < 1 || spec.maxAttempts() > 20) {
            throw new DataValidationException("--attempts: " + spec.maxAttempts() + " is not between 1 and 20");
        }
        for (String address : spec.mailTo()) {
            try {
                new InternetAddress(address, true).validate();
            } catch (AddressException e) {
                throw new DataValidationException("--mail: \"" + address + "\" is not a mail address (" + e.getMessage() + ")");
            }
        }
        List<ReportFormat> formats = spec.formats().isEmpty() ? List.of(ReportFormat.XLSX) : spec.formats().stream().distinct().toList();
        String name = spec.name() == null || spec.name().isBlank() ? template.title() : spec.name().strip();
        return new Schedule(id, name, template, new TreeMap<>(spec.parameters()), formats, recurrence, spec.owner().strip(),
                spec.roles(), spec.users(), spec.mailTo(), spec.keepRuns(), spec.skipIfEmpty(), spec.missedPolicy(),
                spec.maxAttempts(), paused, createdAt);
    }

    private static DataValidationException unknown(String id) {
        return new DataValidationException("schedule " + id + ": no such schedule (see `clv schedule list`)");
    }

    private void bindSchedule(PreparedStatement ps, Schedule s) throws SQLException {
        ps.setString(1, s.id());
        ps.setString(2, s.name());
        ps.setString(3, s.template().templateName());
        ps.setString(4, json(s.parameters()));
        ps.setString(5, json(s.formats().stream().map(ReportFormat::extension).toList()));
        ps.setString(6, s.recurrence().expression());
        ps.setString(7, s.recurrence().zone().getId());
        ps.setString(8, s.owner());
        ps.setString(9, json(s.roles()));
        ps.setString(10, json(s.users()));
        ps.setString(11, json(s.mailTo()));
        ps.setInt(12, s.keepRuns());
        ps.setBoolean(13, s.skipIfEmpty());
        ps.setString(14, s.missedPolicy().label());
        ps.setInt(15, s.maxAttempts());
        ps.setBoolean(16, s.paused());
        ps.setLong(17, s.createdAt().toEpochMilli());
    }

    private List<Schedule> querySchedules(String sql, Object... args) {
        List<Schedule> out = new ArrayList<>();
        query(sql, rs -> out.add(new Schedule(rs.getString(1), rs.getString(2),
                ReportTemplate.named(rs.getString(3)).orElseThrow(), fromJson(rs.getString(4), new TypeReference<TreeMap<String, String>>() {}),
                fromJson(rs.getString(5), new TypeReference<List<String>>() {}).stream().map(f -> ReportFormat.named(f).orElseThrow()).toList(),
                Recurrence.parse("recurrence", rs.getString(6), rs.getString(7)), rs.getString(8),
                fromJson(rs.getString(9), new TypeReference<List<String>>() {}), fromJson(rs.getString(10), new TypeReference<List<String>>() {}),
                fromJson(rs.getString(11), new TypeReference<List<String>>() {}), rs.getInt(12), rs.getBoolean(13),
                MissedSlotPolicy.named("missed_policy", rs.getString(14)), rs.getInt(15), rs.getBoolean(16),
                Instant.ofEpochMilli(rs.getLong(17)))), args);
        return out;
    }

    private List<ScheduleRun> queryRuns(String sql, Object... args) {
        List<ScheduleRun> out = new ArrayList<>();
        query(sql, rs -> {
            long duration = rs.getLong(10);
            Long durationMillis = rs.wasNull() ? null : duration;
            out.add(new ScheduleRun(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                    RunStatus.valueOf(rs.getString(5)), rs.getInt(6), instant(rs, 7), instant(rs, 8), instant(rs, 9),
                    durationMillis, rs.getString(11), rs.getString(12)));
        }, args);
        return out;
    }

    private List<ArchivedFile> queryFiles(String sql, Object... args) {
        List<ArchivedFile> out = new ArrayList<>();
        query(sql, rs -> out.add(new ArchivedFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)), instant(rs, 9))), args);
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void query(String sql, RowReader reader, Object... args) {
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading schedules from " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Binder binder) {
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a schedule's stored settings are not valid JSON: " + e.getMessage(), e);
        }
    }
}
