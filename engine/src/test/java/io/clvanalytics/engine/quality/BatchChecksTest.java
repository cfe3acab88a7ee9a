package io.clvanalytics.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchChecksTest {

    @TempDir
    Path dir;

    private static final String STAGED = """
            CREATE TEMP TABLE staged (source_file VARCHAR, source_line BIGINT, customer_source_id VARCHAR, customer_name VARCHAR,
              product_source_id VARCHAR, product_name VARCHAR, category VARCHAR, subcategory VARCHAR, order_id VARCHAR,
              date DATE, ts TIMESTAMP, quantity DOUBLE, unit_price DECIMAL(18,4), amount DECIMAL(18,4), country VARCHAR,
              currency VARCHAR, is_return BOOLEAN)""";

    @Test
    void a_clean_batch_raises_no_problem() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("s.duckdb"), QualityFixtures.CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            st.execute(STAGED);
            st.execute("INSERT INTO staged VALUES ('shop.csv', 2, 'C1', NULL, 'P1', NULL, NULL, NULL, 'O1', DATE '2026-11-01',"
                    + " NULL, 2, 5, 10, 'United Kingdom', 'GBP', FALSE), ('shop.csv', 3, 'C1', NULL, 'P1', NULL, NULL, NULL, 'C1',"
                    + " DATE '2026-11-02', NULL, -1, 5, -5, 'United Kingdom', 'GBP', TRUE)");
            assertEquals(List.of(), DataQuality.of(engine).batchChecks().check(c, "staged"));
        }
    }

    @Test
    void a_batch_breaking_hard_rules_is_refused_with_file_line_column_rule_and_value() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("s.duckdb"), QualityFixtures.CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            st.execute(STAGED);
            st.execute("INSERT INTO staged VALUES"
                    + " ('shop.csv', 2, 'C1', NULL, 'P1', NULL, NULL, NULL, 'O1', DATE '2026-11-01', NULL, 2, 5, 10, NULL, NULL, FALSE),"
                    + " ('shop.csv', 3, 'C1', NULL, 'P1', NULL, NULL, NULL, 'O2', DATE '1970-01-01', NULL, 2, 5, 10, NULL, NULL, FALSE),"
                    + " ('shop.csv', 4, 'C2', NULL, 'P1', NULL, NULL, NULL, 'O3', DATE '2026-11-01', NULL, 1, 5000000, 5000000, NULL, NULL, FALSE),"
                    + " ('shop.csv', 5, 'C2', NULL, 'P1', NULL, NULL, NULL, 'O4', DATE '2026-11-01', NULL, 1, 5, 5, NULL, NULL, TRUE)");
            List<String> problems = DataQuality.of(engine).batchChecks().check(c, "staged");
            assertTrue(problems.contains("shop.csv:3:date: validity.date_before_start (1970-01-01)"), problems.toString());
            assertTrue(problems.contains("shop.csv:4:amount: validity.amount_range (5000000.0)"), problems.toString());
            assertTrue(problems.contains("shop.csv:5:is_return: validity.return_sign (is_return true, quantity 1.0, amount 5.0000)"),
                    problems.toString());
            assertTrue(problems.stream().noneMatch(p -> p.startsWith("shop.csv:2:")), problems.toString());
        }
    }

    @Test
    void a_switched_off_rule_and_a_raised_limit_let_the_batch_through() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("s.duckdb"), QualityFixtures.CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            st.execute(STAGED);
            st.execute("INSERT INTO staged VALUES"
                    + " ('shop.csv', 3, 'C1', NULL, 'P1', NULL, NULL, NULL, 'O2', DATE '1970-01-01', NULL, 2, 5, 10, NULL, NULL, FALSE),"
                    + " ('shop.csv', 4, 'C2', NULL, 'P1', NULL, NULL, NULL, 'O3', DATE '2026-11-01', NULL, 1, 5000000, 5000000, NULL, NULL, FALSE)");
            DataQuality dq = DataQuality.of(engine);
            dq.setEnabled("validity.date_before_start", false);
            dq.setParam("validity.amount_range", "max_amount", "10000000");
            assertEquals(List.of(), dq.batchChecks().check(c, "staged"));
        }
    }
}
