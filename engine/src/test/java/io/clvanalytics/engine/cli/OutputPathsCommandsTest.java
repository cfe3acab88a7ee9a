package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.jasper.ReportTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The careless and hostile output paths of issue 18, as a user types them: each is refused with exit code 2
 * naming the path and why, before any work, with no stack trace, and the store and the inputs are unchanged.
 */
class OutputPathsCommandsTest {

    @TempDir
    Path dir;

    Path store;
    String db;

    @BeforeEach
    void store() {
        store = dir.resolve("V.duckdb");
        db = store.toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "300", "--products", "10").exitCode());
    }

    /** Row count and checksum of every table: what a user compares to call the store unchanged. */
    private String fingerprint() throws Exception {
        List<String> sums = new ArrayList<>();
        try (Engine e = Engine.open(store); Connection c = e.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(sum(hash(x)), 0) FROM \"" + t + "\" x")) {
                    rs.next();
                    sums.add(t + "=" + rs.getString(1));
                }
            }
        }
        return String.join(",", sums);
    }

    private static void refused(CliRun run, String option, Path path, String why) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(option + ": " + path.toAbsolutePath().normalize()) && run.err().contains(why), run.err());
        assertFalse(run.err().contains("internal error") || run.err().contains("\tat "), "no stack trace:\n" + run.err());
    }

    @Test
    void aReportIsNeverWrittenOverTheStoreItsLogAnArchiveFileOrAFolder() throws Exception {
        String before = fingerprint();
        String template = ReportTemplate.values()[0].templateName();
        Path link = Files.createSymbolicLink(dir.resolve("link.duckdb"), store);
        Path archive = Files.writeString(dir.resolve("transactions-1-before-2020-01-01.parquet"), "archived rows");
        refused(CliRun.of("report", "--db", db, "--template", template, "--format", "html", "--out", db), "--out", store, "is the store itself");
        refused(CliRun.of("report", "--db", db, "--template", template, "--format", "html", "--out", link.toString()), "--out", link,
                "is the store itself");
        Path wal = dir.resolve("V.duckdb.wal");
        refused(CliRun.of("report", "--db", db, "--template", template, "--format", "html", "--out", wal.toString()), "--out", wal,
                "a file the store keeps beside it");
        refused(CliRun.of("report", "--db", db, "--template", template, "--format", "html", "--out", archive.toString()), "--out",
                archive, "archive Parquet file");
        refused(CliRun.of("report", "--db", db, "--template", template, "--format", "html", "--out", dir.toString()), "--out", dir,
                "is a folder");
        assertEquals("archived rows", Files.readString(archive));
        assertFalse(Files.exists(wal));
        assertEquals(before, fingerprint());
    }

    @Test
    void rejectsAreNeverWrittenOverTheStoreOrAnInput() throws Exception {
        Path csv = Files.writeString(dir.resolve("in.csv"), "customer_id,date,amount\nA,2024-01-01,1.00\nB,not-a-date,2.00\n");
        String before = fingerprint();
        refused(CliRun.of("import", "--db", db, "--on-error", "skip", "--rejects", db, csv.toString()), "--rejects", store,
                "is the store itself");
        refused(CliRun.of("import", "--db", db, "--on-error", "skip", "--rejects", csv.toString(), csv.toString()), "--rejects", csv,
                "is also an input of this command");
        assertEquals("customer_id,date,amount\nA,2024-01-01,1.00\nB,not-a-date,2.00\n", Files.readString(csv));
        assertEquals(before, fingerprint());
    }

    @Test
    void aBackupIsNeverWrittenAsTheStoresWriteAheadLog() throws Exception {
        String before = fingerprint();
        Path wal = dir.resolve("V.duckdb.wal");
        refused(CliRun.of("backup", "--db", db, "--to", wal.toString()), "--to", wal, "a file the store keeps beside it");
        refused(CliRun.of("backup", "--db", db, "--to", db), "--to", store, "is the store itself");
        assertEquals(before, fingerprint());
    }

    @Test
    void restoringABackupWithoutItsTableListExitsWithTwoNamingThePart() throws Exception {
        Path backup = dir.resolve("b.duckdb");
        assertEquals(0, CliRun.of("backup", "--db", db, "--to", backup.toString()).exitCode());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + backup); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE store_meta SET value = '{\"created_at\":\"2025-01-01T00:00\"}' WHERE key = 'backup_manifest'");
        }
        String before = fingerprint();
        refused(CliRun.of("restore", "--db", db, "--from", backup.toString()), "--from", backup, "has no table list (\"tables\")");
        assertEquals(before, fingerprint());
    }

    @Test
    void anotherStoresBackupNeedsForceAndTheRefusalSaysWhoseItIs() throws Exception {
        Path other = dir.resolve("other.duckdb");
        assertEquals(0, CliRun.of("generate", "--db", other.toString(), "--customers", "200", "--products", "10", "--seed", "3").exitCode());
        Path backup = dir.resolve("other-backup.duckdb");
        CliRun b = CliRun.of("backup", "--db", other.toString(), "--to", backup.toString(), "--json");
        assertEquals(0, b.exitCode(), b.err());
        String otherId = Output.mapper().readTree(b.out()).get("storeId").asText();
        String before = fingerprint();

        CliRun refused = CliRun.of("restore", "--db", db, "--from", backup.toString());
        refused(refused, "--from", backup, "is a backup of another store (store id " + otherId + ", backed up from " + other);
        assertTrue(refused.err().contains("--force"), refused.err());
        assertEquals(before, fingerprint());

        CliRun forced = CliRun.of("restore", "--db", db, "--from", backup.toString(), "--force", "--json");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals(otherId, Output.mapper().readTree(forced.out()).get("storeId").asText());
    }
}
