package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataVersion;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.Importer;
import io.clvanalytics.engine.ops.TransactionArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The purchase days the import keeps ({@code clv_purchase_days}) are always the purchase lines grouped per customer
 * and day, through first and later imports, guests and an archive; a change they did not follow makes them stale, and
 * the summary then reads the lines.
 */
class PurchaseDaysTest {

    @TempDir
    Path dir;

    /** Rows of the kept customer-days that differ from the lines grouped per customer and day, either way (0: the same). */
    private static long differingFromTheLines(Engine e) throws SQLException {
        String lines = "SELECT customer_id, date, sum(amount) FROM transactions WHERE customer_id IS NOT NULL"
                + " AND NOT (is_return OR coalesce(amount, 0) < 0) GROUP BY ALL";
        String kept = "SELECT customer_id, date, amount FROM clv_purchase_days WHERE customer_id IS NOT NULL";
        return scalar(e, "SELECT (SELECT count(*) FROM (" + lines + " EXCEPT ALL " + kept + ")) + (SELECT count(*) FROM (" + kept
                + " EXCEPT ALL " + lines + "))");
    }

    private static boolean current(Engine e) throws SQLException {
        try (Connection c = e.connect()) {
            return PurchaseDays.current(c, DataVersion.transactions(c));
        }
    }

    private static long scalar(Engine e, String sql) throws SQLException {
        try (Connection c = e.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static RfmSummary.Window summary(Engine e) throws SQLException {
        try (Connection c = e.connect()) {
            return RfmSummary.create(c, RfmSummary.Options.wholeHistory());
        }
    }

    private void importCsv(Engine e, String name, String text) throws Exception {
        Path csv = Files.writeString(dir.resolve(name), text);
        Importer.into(e).run(ImportOptions.builder(csv).missingCustomer(ImportOptions.MissingCustomer.GUEST).build());
    }

    @Test
    void importsAndArchivesKeepThePurchaseDaysEqualToTheLinesAndAStaleCopyIsNotRead() throws Exception {
        try (Engine e = Engine.open(dir.resolve("days.duckdb"))) {
            assertFalse(current(e), "an empty store has never built them");
            importCsv(e, "first.csv", """
                    customer_id,date,amount
                    A,2023-01-05,10.00
                    A,2023-01-05,2.50
                    A,2023-03-01,-4.00
                    B,2023-02-01,7.00
                    A,2024-02-01,3.00
                    """);
            assertTrue(current(e));
            assertEquals(0, differingFromTheLines(e));
            assertEquals(3, scalar(e, "SELECT count(*) FROM clv_purchase_days"), "two lines of A on one day are one day; the return none");

            // A buys again on a day he already has, C is new, and a guest line is the store's newest purchase.
            importCsv(e, "second.csv", """
                    customer_id,date,amount
                    A,2023-01-05,1.25
                    C,2024-03-01,8.00
                    ,2024-04-02,5.00
                    """);
            assertTrue(current(e));
            assertEquals(0, differingFromTheLines(e));
            assertEquals("13.7500", scalarText(e, "SELECT amount FROM clv_purchase_days d JOIN customers c ON c.id = d.customer_id"
                    + " WHERE c.source_id = 'A' AND d.date = DATE '2023-01-05'"));
            RfmSummary.Window window = summary(e);
            assertEquals(LocalDate.of(2024, 4, 2), window.calibrationEnd(), "a guest's purchase counts in the store's purchase range");
            assertEquals(3, window.customers());

            TransactionArchive.archive(e, LocalDate.of(2023, 2, 15), dir.resolve("archive"));
            assertTrue(current(e), "an archive drops the same days");
            assertEquals(0, differingFromTheLines(e));
            assertEquals(2, summary(e).customers(), "B's only purchase was archived");

            // A line written past the import: the kept days are stale, so the summary reads the lines.
            try (Connection c = e.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO transactions (id, customer_id, date, amount, is_return, batch_id)"
                        + " SELECT max(id) + 1, (SELECT id FROM customers WHERE source_id = 'C'), DATE '2024-03-20', 4.00, false, 0"
                        + " FROM transactions");
            }
            assertFalse(current(e));
            try (Connection c = e.connect()) {
                RfmSummary.create(c, RfmSummary.Options.wholeHistory());
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT frequency FROM clv_rfm r JOIN customers c ON c.id = r.customer_id WHERE c.source_id = 'C'")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "the new line is a repeat purchase of C");
                }
            }
            importCsv(e, "third.csv", "customer_id,date,amount\nD,2024-04-01,1.00\n");
            assertTrue(current(e), "the next import rebuilds them");
            assertEquals(0, differingFromTheLines(e));
        }
    }

    private static String scalarText(Engine e, String sql) throws SQLException {
        try (Connection c = e.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
