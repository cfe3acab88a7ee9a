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

        StoreBackup.RestoreReport r = StoreBackup.restore(store, backup);

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
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, backup));
        assertTrue(e.getMessage().contains("failed verification: table transactions does not match its checksum"), e.getMessage());
        assertEquals(before, OpsFixture.fingerprint(store));
    }

    @Test
    void aFileThatIsNotADuckDbStoreIsRefusedAndTheStoreIsUnchanged() throws Exception {
        Path junk = dir.resolve("junk.duckdb");
        Files.write(junk, "this is not a database\n".repeat(1000).getBytes());
        String before = OpsFixture.fingerprint(store);
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, junk));
        assertTrue(e.getMessage().startsWith("--from: " + junk) && e.getMessage().contains("not a readable DuckDB store"),
                e.getMessage());
        assertEquals(before, OpsFixture.fingerprint(store));
    }

    @Test
    void aStoreCopiedWithoutClvBackupIsRefusedForLackOfAManifest() throws Exception {
        Path plain = OpsFixture.generated(dir.resolve("other.duckdb"));
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, plain));
        assertTrue(e.getMessage().contains("has no backup manifest"), e.getMessage());
    }

    @Test
    void aBackupFromANewerSchemaVersionIsRefused() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + backup); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_migrations VALUES (999, 'V999__future.sql', now())");
        }
        DataValidationException e = assertThrows(DataValidationException.class, () -> StoreBackup.restore(store, backup));
        assertTrue(e.getMessage().contains("has schema version 999"), e.getMessage());
    }

    @Test
    void aMissingBackupFileIsNamed() {
        DataValidationException e = assertThrows(DataValidationException.class,
                () -> StoreBackup.restore(store, dir.resolve("nope.duckdb")));
        assertTrue(e.getMessage().startsWith("--from: ") && e.getMessage().contains("nope.duckdb"), e.getMessage());
    }
}
