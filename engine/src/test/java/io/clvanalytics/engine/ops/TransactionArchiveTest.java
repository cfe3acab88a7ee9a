package io.clvanalytics.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
    void whenTheArchiveFileCannotBeWrittenNothingIsDeletedAndTheExistingFileIsKept() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("taken"));
        Path existing = Files.writeString(folder.resolve("transactions-1-before-2023-01-01.parquet"), "someone else's file");
        try (Engine engine = Engine.open(store)) {
            DataValidationException e = assertThrows(DataValidationException.class,
                    () -> TransactionArchive.archive(engine, LocalDate.of(2023, 1, 1), folder));
            assertTrue(e.getMessage().startsWith("--to: ") && e.getMessage().contains("already exists"), e.getMessage());
        }
        assertEquals("someone else's file", Files.readString(existing));
        assertEquals(allBefore, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions"));
        assertEquals("0", OpsFixture.text(store, "SELECT count(*) FROM archives"));
    }
}
