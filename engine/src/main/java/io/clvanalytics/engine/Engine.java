package io.clvanalytics.engine;

import io.clvanalytics.engine.store.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The entry point of the engine: one open CLV Analytics store (a DuckDB file).
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #open(Path)} creates the file if needed and applies the schema migrations; a file
 *       written by a newer version is refused with {@link StoreException}, never modified.</li>
 *   <li>{@link #connect()} hands out a new connection to the same database for the calling
 *       thread; the caller closes it. DuckDB forbids sharing one connection across threads.</li>
 *   <li>{@link #inTransaction(SqlWork)} runs work in one transaction and retries it when DuckDB
 *       reports a write-write conflict, so callers never see a half-applied change.</li>
 *   <li>Only one process can hold a store open; a second one gets a {@link StoreException}
 *       naming the process that holds the lock.</li>
 * </ul>
 * Thread-safe. Close it once, after every connection it handed out is closed.
 */
public final class Engine implements AutoCloseable {

    /** Environment variable naming the store file when no {@code --db} flag is given. */
    public static final String DB_ENV = "CLV_DB";
    /** The store used when neither a flag nor {@link #DB_ENV} names one. */
    public static final Path DEFAULT_DB = Path.of("data", "clv.duckdb");

    private static final int MAX_CONFLICT_RETRIES = 8;
    private static final Pattern LOCK_HOLDER = Pattern.compile("Conflicting lock is held in (.+?) \\(PID (\\d+)\\)");

    private final Path file;
    private final DuckDBConnection root;
    private final Clock clock;

    private Engine(Path file, DuckDBConnection root, Clock clock) {
        this.file = file;
        this.root = root;
        this.clock = clock;
    }

    /** Opens (creating if needed) the store at {@code file} with the system clock. */
    public static Engine open(Path file) {
        return open(file, Clock.systemDefaultZone());
    }

    /**
     * Opens (creating if needed) the store at {@code file}; {@code clock} is what every feature
     * asks for "now" (the future-date rule of the import, freshness checks, model run times).
     */
    public static Engine open(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Path absolute = file.toAbsolutePath().normalize();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the folder of store " + absolute + ": " + e.getMessage(), e);
        }
        DuckDBConnection conn;
        try {
            conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + absolute, duckdbSettings());
        } catch (SQLException e) {
            throw translateOpenError(absolute, e);
        }
        Engine engine = new Engine(absolute, conn, clock);
        try {
            Migrations.apply(conn, absolute);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    /** The store named by {@code --db}, else {@value #DB_ENV}, else {@link #DEFAULT_DB}. */
    public static Path resolveDbPath(Path flag) {
        if (flag != null) {
            return flag;
        }
        String env = System.getenv(DB_ENV);
        return env == null || env.isBlank() ? DEFAULT_DB : Path.of(env);
    }

    /**
     * DuckDB settings from the environment: {@code CLV_MEMORY_LIMIT} (e.g. {@code 4GB}; DuckDB's
     * default is 80 % of RAM) and {@code CLV_THREADS}. Every connection shares them.
     */
    private static Properties duckdbSettings() {
        Properties p = new Properties();
        String memory = System.getenv("CLV_MEMORY_LIMIT");
        if (memory != null && !memory.isBlank()) {
            p.setProperty("memory_limit", memory);
        }
        String threads = System.getenv("CLV_THREADS");
        if (threads != null && !threads.isBlank()) {
            p.setProperty("threads", threads);
        }
        return p;
    }

    private static StoreException translateOpenError(Path file, SQLException e) {
        String msg = String.valueOf(e.getMessage());
        Matcher m = LOCK_HOLDER.matcher(msg);
        if (m.find()) {
            return new StoreException("store " + file + " is open in another process (" + m.group(1) + ", PID "
                    + m.group(2) + "). DuckDB lets one process use a store at a time: stop that process"
                    + " (for example the running server) or point --db at another file, then try again.", e);
        }
        if (msg.contains("newer") || msg.contains("version")) {
            return new StoreException("store " + file + " was written by a newer DuckDB storage version than this"
                    + " build reads; upgrade CLV Analytics to open it (" + msg + ")", e);
        }
        return new StoreException("cannot open store " + file + ": " + msg, e);
    }

    /** The absolute path of the store file. */
    public Path file() {
        return file;
    }

    /** The clock every feature must use for "now". */
    public Clock clock() {
        return clock;
    }

    /** The schema version recorded in the store. */
    public int schemaVersion() {
        try (Connection c = connect()) {
            return Migrations.currentVersion(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the schema version of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The store's identity: a UUID made when the store was created (or first opened by a build that knows
     * store identities). It stays the same for the life of the store and travels with its backups.
     */
    public String storeId() {
        try (Connection c = connect(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT value FROM store_meta WHERE key = 'store_id'")) {
            if (!rs.next()) {
                throw new StoreException("store " + file + " has no store_id in store_meta (a migration was skipped)");
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the identity of store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new connection to this store for the calling thread. Close it when done; never share it
     * with another thread.
     */
    public Connection connect() throws SQLException {
        return root.duplicate();
    }

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a fresh connection: commits when it returns,
     * rolls back when it throws. A write-write conflict ("Conflict on update") is retried with
     * backoff, so {@code work} must be safe to run again from the start.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (isWriteConflict(e) && attempt < MAX_CONFLICT_RETRIES) {
                    sleepBackoff(attempt);
                    continue;
                }
                throw new StoreException("transaction on " + file + " failed: " + e.getMessage(), e);
            }
        }
    }

    static boolean isWriteConflict(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("Conflict on") || msg.contains("write-write conflict");
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    private static void sleepBackoff(int attempt) {
        try {
            Thread.sleep(Math.min(500L, 5L << attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a write conflict", ie);
        }
    }

    /** Writes the write-ahead log into the file (after big imports, before backups). */
    public void checkpoint() {
        try (Connection c = connect(); var st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new StoreException("checkpoint of " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            throw new StoreException("closing store " + file + " failed: " + e.getMessage(), e);
        }
    }
}
