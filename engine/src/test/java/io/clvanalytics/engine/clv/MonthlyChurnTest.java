package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's monthly churn (historic CLV's c) is 1 − the share of customer-months, before the last
 * month, followed by a purchase in the next calendar month; the same whether it is counted from the
 * summary's month bits (histories up to {@value RfmSummary#ACTIVE_MONTHS} months) or from the
 * transactions (longer histories).
 */
class MonthlyChurnTest {

    @TempDir
    Path dir;

    /**
     * Customer 1 buys in January, February and March 2024 (March is the store's last month), customer 2
     * in January and March (twice), customer 3 in February: of the 4 customer-months before March, 2 are
     * followed by a purchase the next month.
     */
    private static final String PATTERN = "(1, DATE '2024-01-05'), (1, DATE '2024-02-07'), (1, DATE '2024-03-01'),"
            + " (2, DATE '2024-01-20'), (2, DATE '2024-03-03'), (2, DATE '2024-03-09'), (3, DATE '2024-02-28')";

    private double churn(String name, String rows) throws Exception {
        try (Engine engine = Engine.open(dir.resolve(name + ".duckdb")); Connection c = engine.connect()) {
            c.createStatement().execute("INSERT INTO transactions(id, customer_id, date, amount, batch_id)"
                    + " SELECT row_number() OVER (), customer_id, date, 10, 1 FROM (VALUES " + rows + ") t(customer_id, date)");
            RfmSummary.Window window = RfmSummary.create(c, RfmSummary.Options.wholeHistory());
            return ClvService.monthlyChurn(c, window);
        }
    }

    @Test
    void halfOfTheCustomerMonthsAreFollowedByAPurchaseSoChurnIsOneHalf() throws Exception {
        assertEquals(0.5, churn("short", PATTERN), 1e-15);
    }

    @Test
    void aHistoryLongerThanTheMonthBitsIsCountedFromTheTransactionsByTheSameDefinition() throws Exception {
        // A fourth customer bought once in 2012, long before: one more month, not followed.
        assertEquals(0.6, churn("long", PATTERN + ", (4, DATE '2012-06-15')"), 1e-15);
    }

    @Test
    void aSingleMonthOfDataKnowsNobodyWhoStayedSoChurnIsOne() throws Exception {
        assertEquals(1.0, churn("single", "(1, DATE '2024-03-01'), (2, DATE '2024-03-05')"), 1e-15);
    }
}
