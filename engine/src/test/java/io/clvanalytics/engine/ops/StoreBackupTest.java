package io.clvanalytics.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBackupTest {

    @TempDir
    Path dir;

    Path store;
    Path backup;

    @BeforeEach
    void storeAndBackup() {
        store = OpsFixture.generated(dir.resolve("clv.duckdb"));
        backup = dir.resolve("backups/clv-backup.duckdb");
        try (Engine engine = Engine.open(store)) {
            StoreBackup.BackupReport r = StoreBackup.backup(engine, backup);
            assertTrue(r.transactions() > 1000 && r.tables() > 5, r.toString());
        }
    }

    @Test
    void aRestoredBackupHoldsExactlyWhatTheStoreHeldAtBackupTime() throws Exception {
        String atBackup = OpsFixture.fingerprint(store);
        String txAtBackup = OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions");
        try (Engine engine = Engine.open(store)) {
            engine.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM transactions WHERE customer_id < 500"));
            engine.inTransaction(c -> c.createStatement().executeQuery("SELECT nextval('import_batch_seq')"));
        }
        assertNotEquals(txAtBackup, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions"));

        StoreBackup.RestoreReport r = StoreBackup.restore(store, backup, false);

        assertEquals(txAtBackup, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions"));
        assertEquals(atBackup, OpsFixture.fingerprint(store));
        assertEquals(r.transactions(), Long.parseLong(OpsFixture.text(store, "SELECT count(*) FROM transactions")));
        // sequences come back where they were: the next import batch id follows the generated one
        assertEquals("2", OpsFixture.text(store, "SELECT nextval('import_batch_seq')"));
        assertFalse(Files.exists(dir.resolve("clv.duckdb.restoring")), "no staging file left behind");
    }

    @Test
    void aBackupNeverOverwritesAFile() {
        try (Engine engine = Engine.open(store)) {
            DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.backup(engine, backup));
            assertTrue(e.getMessage().startsWith("--to: ") && e.getMessage().contains("already exists"), e.getMessage());
        }
    }

    @Test
    void aBackupChangedAfterItWasWrittenIsRefusedAndTheStoreIsUnchanged() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + backup); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE transactions SET amount = amount + 1 WHERE id = 42");
        }
        String before = OpsFixture.fingerprint(store);
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, backup, false));
        assertTrue(e.getMessage().contains("failed verification: table transactions does not match its checksum"), e.getMessage());
        assertEquals(before, OpsFixture.fingerprint(store));
    }

    @Test
    void aFileThatIsNotADuckDbStoreIsRefusedAndTheStoreIsUnchanged() throws Exception {
        Path junk = dir.resolve("junk.duckdb");
        Files.write(junk, "this is not a database\n".repeat(1000).getBytes());
        String before = OpsFixture.fingerprint(store);
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, junk, false));
        assertTrue(e.getMessage().startsWith("--from: " + junk) && e.getMessage().contains("not a readable DuckDB store"),
                e.getMessage());
        assertEquals(before, OpsFixture.fingerprint(store));
    }

    @Test
    void aStoreCopiedWithoutClvBackupIsRefusedForLackOfAManifest() throws Exception {
        Path plain = OpsFixture.generated(dir.resolve("other.duckdb"));
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, plain, false));
        assertTrue(e.getMessage().contains("has no backup manifest"), e.getMessage());
    }

    @Test
    void aBackupFromANewerSchemaVersionIsRefused() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + backup); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_migrations VALUES (999, 'V999__future.sql', now())");
        }
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, backup, false));
        assertTrue(e.getMessage().contains("has schema version 999"), e.getMessage());
    }

    @Test
    void aMissingBackupFileIsNamed() {
        DataValidationException e = assertThrows(DataValidationException.class,
                () -> StoreBackup.restore(store, dir.resolve("nope.duckdb"), false));
        assertTrue(e.getMessage().startsWith("--from: ") && e.getMessage().contains("nope.duckdb"), e.getMessage());
    }

    @Test
    void aBackupOfAnotherStoreIsRestoredOnlyWithForceAndTheRefusalSaysWhoseItIs() throws Exception {
        Path other = OpsFixture.generated(dir.resolve("other.duckdb"));
        String otherId;
        String storeId;
        try (Engine e = Engine.open(other)) {
            otherId = e.storeId();
        }
        try (Engine e = Engine.open(store)) {
            storeId = e.storeId();
        }
        assertNotEquals(storeId, otherId, "each store gets its own id when it is created");
        String before = OpsFixture.fingerprint(other);

        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(other, backup, false));
        assertTrue(e.getMessage().contains("is a backup of another store (store id " + storeId + ", backed up from " + store)
                && e.getMessage().contains("is store id " + otherId) && e.getMessage().contains("--force"), e.getMessage());
        assertEquals(before, OpsFixture.fingerprint(other));

        StoreBackup.RestoreReport r = StoreBackup.restore(other, backup, true);
        assertEquals(storeId, r.storeId(), "the restored store is the backed-up store, identity included");
        assertEquals(OpsFixture.fingerprint(store), OpsFixture.fingerprint(other));
    }

    @Test
    void aStoreMadeBeforeStoreIdsGetsOneWhenMigratedAndKeepsIt() throws Exception {
        Path old = OpsFixture.generated(dir.resolve("old.duckdb"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + old); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM store_meta WHERE key = 'store_id'");
            st.executeUpdate("DELETE FROM schema_migrations WHERE version = 13");
        }
        String id;
        try (Engine e = Engine.open(old)) {
            id = e.storeId();
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
        }
        try (Engine e = Engine.open(old)) {
            assertEquals(id, e.storeId(), "made once, then kept");
        }
    }

    @Test
    void aBackupWhoseManifestLacksItsTableListIsRefusedNamingThePart() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + backup); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE store_meta SET value = json_object('created_at', '2025-01-01T00:00') WHERE key = 'backup_manifest'");
        }
        String before = OpsFixture.fingerprint(store);
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, backup, false));
        assertTrue(e.getMessage().startsWith("--from: " + backup) && e.getMessage().contains("has no table list (\"tables\")"),
                e.getMessage());
        assertEquals(before, OpsFixture.fingerprint(store));
        assertFalse(Files.exists(dir.resolve("clv.duckdb.restoring")));
    }

    @Test
    void aBackupNeverWritesOverTheStoreOrItsCompanionFiles() throws Exception {
        String before = OpsFixture.fingerprint(store);
        try (Engine engine = Engine.open(store)) {
            for (String name : new String[] {"clv.duckdb", "clv.duckdb.wal", "clv.duckdb.restoring", "clv.duckdb.tmp/x"}) {
                DataValidationException e = assertThrows(DataValidationException.class,
                        () -> StoreBackup.backup(engine, dir.resolve(name)), name);
                assertTrue(e.getMessage().startsWith("--to: " + dir.resolve(name)), e.getMessage());
            }
        }
        assertEquals(before, OpsFixture.fingerprint(store));
        assertFalse(Files.exists(dir.resolve("clv.duckdb.restoring")));
    }

    @Test
    void aNewBackupRemovesTheTemporaryFilesOfKilledBackupsOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.writeString(dir.resolve("backups/old.duckdb.clv-" + gone.pid() + ".partial"), "half a copy");
        Path deadWal = Files.writeString(dir.resolve("backups/old.duckdb.clv-" + gone.pid() + ".partial.wal"), "log");
        Path live = Files.writeString(dir.resolve("backups/other.duckdb.clv-" + ProcessHandle.current().parent().orElseThrow().pid()
                + ".partial"), "a backup being written by a running process");
        try (Engine engine = Engine.open(store)) {
            StoreBackup.backup(engine, dir.resolve("backups/second.duckdb"));
        }
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(deadWal));
        assertTrue(Files.exists(live));
    }

    @Test
    void backupsAreCreatedWithTheProcessUmask() throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(backup));
        StoreBackup.restore(store, backup, false);
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(store));
    }
}
