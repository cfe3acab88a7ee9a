package io.clvanalytics.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionArchiveTest {

    @TempDir
    Path dir;

    Path store;
    String allBefore;

    @BeforeEach
    void store() throws Exception {
        store = OpsFixture.generated(dir.resolve("clv.duckdb"));
        allBefore = OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions");
    }

    @Test
    void archivedTransactionsLeaveTheTableButStayQueryableThroughTransactionsAll() throws Exception {
        long before2023 = Long.parseLong(OpsFixture.text(store, "SELECT count(*) FROM transactions WHERE date < DATE '2023-01-01'"));
        TransactionArchive.Report r;
        try (Engine engine = Engine.open(store)) {
            r = TransactionArchive.archive(engine, LocalDate.of(2023, 1, 1), TransactionArchive.defaultFolder(engine));
        }
        assertEquals(before2023, r.rows());
        assertTrue(r.rows() > 0);
        assertTrue(Files.exists(Path.of(r.file())) && Path.of(r.file()).startsWith(dir.resolve("archive")), r.file());
        // reopened: the table lost exactly those rows, the view still shows every row unchanged
        assertEquals("0", OpsFixture.text(store, "SELECT count(*) FROM transactions WHERE date < DATE '2023-01-01'"));
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions_all"));
        assertEquals(String.valueOf(r.rows()), OpsFixture.text(store, "SELECT sum(rows) FROM archives"));

        // a second, later archive adds a second file
        try (Engine engine = Engine.open(store)) {
            TransactionArchive.Report second = TransactionArchive.archive(engine, LocalDate.of(2024, 1, 1), dir.resolve("more"));
            assertTrue(second.rows() > 0 && second.firstDate().getYear() == 2023, second.toString());
            assertEquals(r.rows() + second.rows(), second.archivedTotal());
        }
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions_all"));
        assertEquals("2", OpsFixture.text(store, "SELECT count(*) FROM archives"));
    }

    @Test
    void nothingBeforeTheDateMeansNoFileAndNoChange() throws Exception {
        try (Engine engine = Engine.open(store)) {
            TransactionArchive.Report r = TransactionArchive.archive(engine, LocalDate.of(2020, 1, 1), dir.resolve("a"));
            assertNull(r.file());
            assertEquals(0, r.rows());
        }
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions"));
        assertEquals("0", OpsFixture.text(store, "SELECT count(*) FROM archives"));
    }

    @Test
    void otherFilesInTheFolderAreKeptAndDoNotBlockTheArchive() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("shared"));
        Path olderName = Files.writeString(folder.resolve("transactions-1-before-2023-01-01.parquet"), "another store's file");
        Path otherStore = Files.writeString(folder.resolve("transactions-0123abcd-1-before-2023-01-01.parquet"), "another store's file");
        try (Engine engine = Engine.open(store)) {
            TransactionArchive.Report r = TransactionArchive.archive(engine, LocalDate.of(2023, 1, 1), folder);
            assertTrue(Path.of(r.file()).getFileName().toString().startsWith("transactions-" + engine.storeId().substring(0, 8) + "-"), r.file());
        }
        assertEquals("another store's file", Files.readString(olderName));
        assertEquals("another store's file", Files.readString(otherStore));
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions_all"));
    }

    @Test
    void whatAKilledRunLeftIsRemovedByTheNextArchiveWhichThenSucceeds() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("a"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String id;
        try (Engine engine = Engine.open(store)) {
            id = engine.storeId().substring(0, 8);
        }
        // killed while writing: an empty temporary file; killed between rename and commit: an unrecorded final file
        Path temporary = Files.createFile(folder.resolve("transactions-" + id + "-1-before-2023-01-01.parquet.clv-" + gone.pid() + ".tmp"));
        Path unrecorded = Files.writeString(folder.resolve("transactions-" + id + "-1-before-2022-01-01.parquet"), "");
        TransactionArchive.Report r;
        try (Engine engine = Engine.open(store)) {
            r = TransactionArchive.archive(engine, LocalDate.of(2023, 1, 1), folder);
        }
        assertTrue(r.rows() > 0);
        assertFalse(Files.exists(temporary));
        assertFalse(Files.exists(unrecorded));
        try (var files = Files.list(folder)) {
            assertEquals(List.of(Path.of(r.file())), files.toList(), "only the recorded file is left");
        }
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions_all"));
    }

    @Test
    void archiveFilesAreCreatedWithTheProcessUmask() throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        try (Engine engine = Engine.open(store)) {
            TransactionArchive.Report r = TransactionArchive.archive(engine, LocalDate.of(2023, 1, 1), dir.resolve("a"));
            assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(Path.of(r.file())));
        }
    }

    @Test
    void theArchiveFolderIsNeverTheStoreOrItsTemporaryFolder() throws Exception {
        try (Engine engine = Engine.open(store)) {
            for (String name : new String[] {"clv.duckdb", "clv.duckdb.tmp"}) {
                DataValidationException e = assertThrows(DataValidationException.class,
                        () -> TransactionArchive.archive(engine, LocalDate.of(2023, 1, 1), dir.resolve(name)));
                assertTrue(e.getMessage().startsWith("--to: " + dir.resolve(name)), e.getMessage());
            }
        }
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions"));
    }
}
