package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query API's wire format, written from a real DuckDB result and read back row by row. */
class QueryRowsJsonTest {

    private static byte[] answer(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            QueryRowsJson.write("test", rs, out, null);
            return out.toByteArray();
        }
    }

    @Test
    void everyColumnTypeReadsBackToTheValueTheDatabaseGave() throws Exception {
        byte[] bytes = answer("""
                SELECT 'a"<b>' AS t, CAST(42 AS BIGINT) AS i, 0.1 + 0.2::DOUBLE AS d, CAST(12.345 AS DECIMAL(10,3)) AS m, true AS b,
                       DATE '2025-01-31' AS day, TIMESTAMP '2026-11-19 08:00:00.123456' AS ts, NULL::VARCHAR AS n,
                       CAST('inf' AS DOUBLE) AS inf
                UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'x', NULL""");
        try (QueryRowsJson.Reader r = QueryRowsJson.read(new ByteArrayInputStream(bytes))) {
            assertEquals(QueryApi.version(), r.version());
            assertEquals(List.of("text", "integer", "number", "decimal", "boolean", "date", "timestamp", "text", "number"),
                    r.columns().stream().map(c -> c.type().label()).toList());
            assertArrayEquals(new Object[] {"a\"<b>", 42L, 0.1 + 0.2, new BigDecimal("12.345"), true, LocalDate.of(2025, 1, 31),
                    LocalDateTime.of(2026, 11, 19, 8, 0, 0, 123_456_000), null, Double.POSITIVE_INFINITY}, r.next());
            assertArrayEquals(new Object[] {null, null, null, null, null, null, null, "x", null}, r.next());
            assertNull(r.next());
            assertEquals(2, r.rows());
        }
    }

    @Test
    void aBrokenOffAnswerFailsWithAMessageNotAStackOfParserClasses() throws Exception {
        byte[] whole = answer("SELECT i FROM range(1000) t(i)");
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        IOException e = assertThrows(IOException.class, () -> {
            try (QueryRowsJson.Reader r = QueryRowsJson.read(new ByteArrayInputStream(cut))) {
                while (r.next() != null) {
                    // read on
                }
            }
        });
        assertFalse(String.valueOf(e.getMessage()).contains("ByteArrayInputStream"), e.getMessage());
        String withError = "{\"version\":\"1\",\"columns\":[{\"name\":\"i\",\"type\":\"integer\"}],\"rows\":[[1]],"
                + "\"error\":\"the query failed on the server after 1 rows\"}";
        QueryRowsJson.BrokenAnswer broken = assertThrows(QueryRowsJson.BrokenAnswer.class, () -> {
            try (QueryRowsJson.Reader r = QueryRowsJson.read(new ByteArrayInputStream(withError.getBytes(StandardCharsets.UTF_8)))) {
                while (r.next() != null) {
                    // read on
                }
            }
        });
        assertTrue(broken.getMessage().contains("failed on the server after 1 rows"), broken.getMessage());
        String miscounted = "{\"version\":\"1\",\"columns\":[{\"name\":\"i\",\"type\":\"integer\"}],\"rows\":[[1]],\"row_count\":2}";
        assertThrows(QueryRowsJson.BrokenAnswer.class, () -> {
            try (QueryRowsJson.Reader r = QueryRowsJson.read(new ByteArrayInputStream(miscounted.getBytes(StandardCharsets.UTF_8)))) {
                while (r.next() != null) {
                    // read on
                }
            }
        });
    }
}
