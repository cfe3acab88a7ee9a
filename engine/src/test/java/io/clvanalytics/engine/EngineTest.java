package io.clvanalytics.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.store.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {

    @TempDir
    Path dir;

    @Test
    void aNewStoreHasTheCoreTablesAndTheLatestSchemaVersion() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("new.duckdb"))) {
            assertEquals(Migrations.LATEST, engine.schemaVersion());
            try (Connection c = engine.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name IN"
                         + " ('customers','products','transactions','import_batches','store_meta')")) {
                rs.next();
                assertEquals(5, rs.getInt(1));
            }
        }
    }

    @Test
    void reopeningAStoreKeepsItsDataAndDoesNotReapplyMigrations() throws Exception {
        Path file = dir.resolve("reopen.duckdb");
        try (Engine engine = Engine.open(file)) {
            engine.inTransaction(c -> c.createStatement().executeUpdate(
                    "INSERT INTO customers(id, source_id, name) VALUES (1, 'C1', 'Ada')"));
        }
        try (Engine engine = Engine.open(file); Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, (SELECT count(*) - count(DISTINCT version) FROM schema_migrations),"
                     + " (SELECT max(version) FROM schema_migrations) FROM customers")) {
            rs.next();
            assertEquals("Ada", rs.getString(1));
            assertEquals(0, rs.getInt(2), "no migration recorded twice");
            assertEquals(Migrations.LATEST, rs.getInt(3));
        }
    }

    @Test
    void aStoreWrittenByANewerVersionIsRefusedAndLeftUnchanged() throws Exception {
        Path file = dir.resolve("newer.duckdb");
        try (Engine engine = Engine.open(file)) {
            engine.inTransaction(c -> c.createStatement().executeUpdate(
                    "INSERT INTO schema_migrations VALUES (999, 'V999__future.sql', now())"));
        }
        long size = Files.size(file);
        StoreException e = assertThrows(StoreException.class, () -> Engine.open(file));
        assertTrue(e.getMessage().contains("schema version 999"), e.getMessage());
        assertTrue(e.getMessage().contains("newer version"), e.getMessage());
        assertEquals(size, Files.size(file));
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("tx.duckdb"))) {
            assertThrows(StoreException.class, () -> engine.inTransaction(c -> {
                c.createStatement().executeUpdate("INSERT INTO customers(id, source_id) VALUES (1, 'C1')");
                // store_meta.key is a primary key: the second insert fails and takes the first one with it
                c.createStatement().executeUpdate("INSERT INTO store_meta(key, value, updated_at) VALUES ('k', 'v', now())");
                return c.createStatement().executeUpdate("INSERT INTO store_meta(key, value, updated_at) VALUES ('k', 'v', now())");
            }));
            try (Connection c = engine.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM store_meta WHERE key = 'k')")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    @Test
    void concurrentUpdatesOfTheSameRowAreRetriedNotLost() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("conflict.duckdb"))) {
            engine.inTransaction(c -> c.createStatement().executeUpdate(
                    "INSERT INTO customers(id, source_id, clv) VALUES (1, 'C1', 0)"));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> engine.inTransaction(c -> c.createStatement().executeUpdate(
                        "UPDATE customers SET clv = clv + 1 WHERE id = 1"))));
            }
            for (Future<Integer> f : futures) {
                assertEquals(1, f.get());
            }
            pool.shutdown();
            try (Connection c = engine.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT clv FROM customers")) {
                rs.next();
                assertEquals(40.0, rs.getDouble(1));
            }
        }
    }

    @Test
    void aReadOnlyUseOfAStoreWritesNothingNotEvenACheckpointOnClose() throws Exception {
        Path file = dir.resolve("read-only.duckdb");
        Engine.open(file).close();
        byte[] before = Files.readAllBytes(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Thread.sleep(20);
        try (Engine engine = Engine.open(file)) {
            StoreInfo.of(engine);
            engine.storeId();
            assertTrue(!Files.exists(dir.resolve("read-only.duckdb.wal")), "opening and reading writes no log");
        }
        assertEquals(modified, Files.getLastModifiedTime(file).toMillis());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the file is byte for byte unchanged");
    }
}
