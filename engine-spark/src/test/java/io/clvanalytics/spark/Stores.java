package io.clvanalytics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** Both paths on one store: the DuckDB one through the {@code clv} CLI, the Spark one through the job, and their comparison. */
final class Stores {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private Stores() {}

    /** The file {@code relative} under the shared data folder beside the project root; skipped (failed under CI=true) when absent. */
    static Path sharedData(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("Makefile"))) {
            dir = dir.getParent();
        }
        Path f = dir == null ? Path.of(relative) : dir.resolveSibling("shared").resolve("data").resolve(relative);
        if (!Files.isRegularFile(f)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shared data set " + f + " is absent (CI=true: the shared data must be present)");
            }
            assumeTrue(false, "shared data set " + f + " is absent; skipping");
        }
        return f;
    }

    /**
     * Loads CDNOW_master.txt (whitespace-aligned: header, then id, yyyymmdd date, CDs, dollars) into a
     * store's customers and transactions with DuckDB's CSV reader, in place.
     */
    static void loadCdnowMaster(Engine engine, Path file) {
        String rows = "SELECT row_number() OVER () AS line, f[1]::BIGINT AS cid, strptime(f[2], '%Y%m%d')::DATE AS d,"
                + " f[4]::DECIMAL(18,4) AS amount"
                + " FROM (SELECT string_split_regex(trim(line), '\\s+') AS f FROM read_csv(?, columns={'line': 'VARCHAR'},"
                + " delim='|', header=false, quote='', escape='') WHERE trim(line) <> '' AND trim(line) NOT LIKE 'customer_id%')";
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("CREATE TEMP TABLE cdnow AS " + rows)) {
                ps.setString(1, file.toString());
                ps.execute();
            }
            c.createStatement().execute("INSERT INTO customers(id, source_id) SELECT DISTINCT cid, lpad(cid::VARCHAR, 5, '0') FROM cdnow");
            c.createStatement().execute("INSERT INTO transactions(id, customer_id, date, amount, batch_id, source_line)"
                    + " SELECT line, cid, d, amount, 1, line FROM cdnow");
            c.createStatement().execute("DROP TABLE cdnow");
            return null;
        });
    }

    /** Writes the store's transactions (the engine's column names) as a Parquet file: the Spark path's input. */
    static Path exportParquet(Engine engine, Path file) throws Exception {
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(
                "COPY (SELECT id, customer_id, order_id, date, ts, amount, is_return FROM transactions) TO '"
                        + file.toString().replace("'", "''") + "' (FORMAT parquet)")) {
            ps.execute();
        }
        return file;
    }

    /** Runs {@code clv} with {@code args} plus {@code --db store --json}; returns its JSON (exit 0 asserted). */
    static JsonNode clv(Path store, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--db", store.toString(), "--json"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, "clv " + all + ": " + err);
        return JSON.readTree(out.toString());
    }

    /** A job's exit code, standard output and standard error. */
    record JobRun(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    /** Runs the Spark job with {@code args} on the shared session. */
    static JobRun spark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try {
            code = SparkClvJob.run(SharedSpark.session(), SparkClvJob.parse(args), new PrintWriter(out), new PrintWriter(err), CLOCK);
        } catch (io.clvanalytics.engine.DataValidationException e) {
            err.write("error: " + e.getMessage());
            code = ClvCli.EXIT_BAD_INPUT;
        }
        return new JobRun(code, out.toString(), err.toString());
    }

    /** Asserts every parameter value of two {@code clv fit} JSON documents agrees to {@code relative}. */
    static void assertSameParameters(JsonNode duck, JsonNode spark, double relative) {
        assertEquals(duck.path("model").asText(), spark.path("model").asText());
        assertEquals(duck.path("customers").asLong(), spark.path("customers").asLong(), "customers fitted");
        assertEquals(duck.path("unique_rows").asLong(), spark.path("unique_rows").asLong(), "distinct (frequency, recency, T) rows");
        Iterator<String> names = duck.path("parameters").fieldNames();
        int compared = 0;
        while (names.hasNext()) {
            String name = names.next();
            JsonNode d = duck.path("parameters").path(name).path("value");
            JsonNode s = spark.path("parameters").path(name).path("value");
            if (d.isNull()) {
                assertEquals(true, s.isNull(), name + " is unidentified on DuckDB but not on Spark");
                continue;
            }
            assertClose(d.asDouble(), s.asDouble(), relative, duck.path("model").asText() + " parameter " + name);
            compared++;
        }
        assertEquals(true, compared >= 2, "parameters compared: " + compared);
        assertClose(duck.path("log_likelihood").asDouble(), spark.path("log_likelihood").asDouble(), relative, "log-likelihood");
    }

    static void assertClose(double expected, double actual, double relative, String what) {
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        if (!(Math.abs(expected - actual) <= relative * scale)) {
            fail(what + ": DuckDB " + expected + ", Spark " + actual + " (relative difference "
                    + Math.abs(expected - actual) / scale + " > " + relative + ")");
        }
    }

    /** Per-customer agreement of DuckDB's customer_scores (run {@code runId}) with the Spark output. */
    record Agreement(long duckCustomers, long sparkCustomers, long matched, long beyondTolerance, double maxRelative) {}

    /**
     * Joins customer_scores of {@code runId} with the Spark scores by customer and counts the customers whose P(alive),
     * expected purchases, CLV or expected spend differ by more than {@code relative} (NULL must meet NULL).
     */
    static Agreement compare(Engine engine, long runId, Path sparkOutput, double relative) throws Exception {
        String parquet = sparkOutput.resolve("*.parquet").toString().replace("'", "''");
        String rel = "abs(d.%1$s - s.%1$s) / greatest(abs(d.%1$s), abs(s.%1$s), 1e-300)";
        String bad = "(d.%1$s IS NULL) <> (s.%1$s IS NULL) OR " + rel + " > " + relative;
        String sql = "SELECT (SELECT count(*) FROM customer_scores WHERE run_id = " + runId + "),"
                + " (SELECT count(*) FROM read_parquet('" + parquet + "')), count(*),"
                + " count(*) FILTER (WHERE " + String.join(" OR ", String.format(bad, "p_alive"), String.format(bad, "expected_purchases"),
                        String.format(bad, "clv"), String.format(bad, "expected_spend")) + "),"
                + " greatest(max(" + String.format(rel, "p_alive") + "), max(" + String.format(rel, "expected_purchases") + "),"
                + " coalesce(max(" + String.format(rel, "clv") + "), 0))"
                + " FROM (SELECT * FROM customer_scores WHERE run_id = " + runId + ") d JOIN read_parquet('" + parquet + "') s"
                + " USING (customer_id)";
        try (Connection c = engine.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return new Agreement(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5));
        }
    }
}
