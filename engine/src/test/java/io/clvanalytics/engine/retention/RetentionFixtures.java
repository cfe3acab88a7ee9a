package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;

/** Loads test stores through SQL: hand-written purchases, a simulated shop with known dropout, CDNOW. */
final class RetentionFixtures {

    static final LocalDate SIM_START = LocalDate.of(2023, 1, 1);
    static final LocalDate SIM_END = LocalDate.of(2024, 12, 31);

    private RetentionFixtures() {}

    /** Adds customers 1..n (source ids C1..Cn) with no transactions. */
    static void customers(Connection c, int n) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO customers(id, source_id, name) SELECT i, 'C' || i, 'Customer ' || i FROM range(1, "
                    + (n + 1) + ") t(i)");
        }
    }

    /** Adds one purchase line (negative amounts with isReturn for returns). */
    static void purchase(Connection c, long customer, String date, double amount, boolean isReturn) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO transactions(id, customer_id, date, amount, is_return, batch_id)"
                + " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM transactions), ?, ?::DATE, ?, ?, 1)")) {
            ps.setLong(1, customer);
            ps.setString(2, date);
            ps.setDouble(3, amount);
            ps.setBoolean(4, isReturn);
            ps.executeUpdate();
        }
    }

    /**
     * A simulated shop of {@code n} customers over {@link #SIM_START}..{@link #SIM_END}
     * (Pareto/NBD-style): each customer joins on a uniform day of the first year, buys as a Poisson
     * process with a gamma-distributed rate (mean one purchase per 45 days) until an exponential
     * dropout time (mean 270 days), spending gamma-distributed amounts. The truth goes into
     * {@code sim_truth(customer_id, dropout_date, alive_at_end)}.
     */
    static void simulatedShop(Engine engine, Path dir, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path tx = dir.resolve("sim-tx.csv");
        Path truth = dir.resolve("sim-truth.csv");
        long days = SIM_END.toEpochDay() - SIM_START.toEpochDay();
        long txId = 0;
        try (Writer t = Files.newBufferedWriter(tx); Writer u = Files.newBufferedWriter(truth)) {
            t.write("id,customer_id,date,amount\n");
            u.write("customer_id,dropout_date,alive_at_end\n");
            for (int i = 1; i <= n; i++) {
                long join = rnd.nextLong(365);
                double rate = gamma(rnd, 1.5) / 1.5 / 45.0;
                long dropout = join + (long) (-Math.log(1 - rnd.nextDouble()) * 270.0);
                double meanSpend = 20 + gamma(rnd, 2.0) * 30;
                long day = join;
                while (day <= Math.min(dropout, days)) {
                    t.write(String.format(Locale.ROOT, "%d,%d,%s,%.2f%n", ++txId, i, SIM_START.plusDays(day),
                            meanSpend * gamma(rnd, 4.0) / 4.0));
                    day += 1 + (long) (-Math.log(1 - rnd.nextDouble()) / rate);
                }
                u.write(i + "," + SIM_START.plusDays(dropout) + "," + (dropout > days) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine.inTransaction(c -> {
            customers(c, n);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO transactions(id, customer_id, date, amount, is_return, batch_id)"
                        + " SELECT id, customer_id, date, amount, false, 1 FROM read_csv('" + tx + "', header = true,"
                        + " columns = {'id': 'BIGINT', 'customer_id': 'BIGINT', 'date': 'DATE', 'amount': 'DECIMAL(18,4)'})");
                st.execute("CREATE TABLE sim_truth AS SELECT * FROM read_csv('" + truth + "', header = true,"
                        + " columns = {'customer_id': 'BIGINT', 'dropout_date': 'DATE', 'alive_at_end': 'BOOLEAN'})");
            }
            return null;
        });
    }

    /** Gamma(shape, 1) by Marsaglia-Tsang (shape ≥ 1). */
    private static double gamma(SplittableRandom rnd, double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal(rnd);
            double v = Math.pow(1 + c * x, 3);
            if (v > 0 && Math.log(rnd.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double normal(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /**
     * The CDNOW master file (Fader &amp; Hardie; 23,570 customers, 1997-01-01..1998-06-30) loaded with
     * plain SQL: customer ids as in the file, one transaction per line.
     */
    static void cdnow(Engine engine, Path file) {
        engine.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE cd AS SELECT row_number() OVER () AS line_no, string_split_regex(trim(line), '\\s+') AS f"
                        + " FROM read_csv('" + file + "', header = false, delim = '\t', columns = {'line': 'VARCHAR'})");
                st.execute("INSERT INTO customers(id, source_id) SELECT DISTINCT f[1]::BIGINT, f[1] FROM cd WHERE regexp_matches(f[1], '^[0-9]+$')");
                st.execute("INSERT INTO transactions(id, customer_id, date, quantity, amount, is_return, batch_id, source_line)"
                        + " SELECT line_no, f[1]::BIGINT, strptime(f[2], '%Y%m%d')::DATE, f[3]::DOUBLE, f[4]::DECIMAL(18,4),"
                        + " false, 1, line_no FROM cd WHERE regexp_matches(f[1], '^[0-9]+$')");
                st.execute("DROP TABLE cd");
            }
            return null;
        });
    }
}
