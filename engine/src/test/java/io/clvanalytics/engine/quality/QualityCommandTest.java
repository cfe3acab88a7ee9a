package io.clvanalytics.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityCommandTest {

    @TempDir
    Path dir;
    Path db;
    String out;
    String err;

    @BeforeEach
    void store() {
        db = dir.resolve("store.duckdb");
        try (Engine engine = Engine.open(db, QualityFixtures.CLOCK)) {
            QualityFixtures.clean(engine);
        }
    }

    private int clv(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void passing_checks_exit_0_and_print_a_table_with_the_score() {
        assertEquals(0, clv("quality", "--db", db.toString(), "--check", "uniqueness.duplicate_lines",
                "--check", "referential.transaction_customer"), err);
        assertTrue(out.contains("uniqueness.duplicate_lines"), out);
        assertTrue(out.contains("score 100.0 / 100, 2 checks, 0 failed"), out);
    }

    @Test
    void a_failing_check_exits_3_and_json_names_it_with_its_sample_and_the_change_since_the_last_run() throws Exception {
        String[] dup = {"quality", "--db", db.toString(), "--json", "--check", "uniqueness.duplicate_lines"};
        assertEquals(0, clv(dup), err);
        try (Engine engine = Engine.open(db, QualityFixtures.CLOCK)) {
            QualityFixtures.duplicateRows(engine);
        }
        assertEquals(3, clv(dup), err);
        JsonNode doc = new ObjectMapper().readTree(out);
        JsonNode result = doc.path("run").path("results").get(0);
        assertEquals("uniqueness.duplicate_lines", result.path("name").asText());
        assertEquals("FAIL", result.path("status").asText());
        assertEquals(3, result.path("offendingRows").asLong());
        assertEquals(900001, result.path("sample").get(0).path("transaction_ids").get(1).asLong());
        assertEquals("uniqueness.duplicate_lines", doc.path("comparison").path("newFailures").get(0).asText());
    }

    @Test
    void bad_input_exits_2_naming_the_option_and_the_rule() {
        assertEquals(2, clv("quality", "--db", db.toString(), "--since", "2026-13-01"));
        assertTrue(err.contains("--since"), err);
        assertEquals(2, clv("quality", "--db", db.toString(), "--check", "no.such_check"));
        assertTrue(err.contains("unknown check no.such_check"), err);
        assertEquals(2, clv("quality", "--db", dir.resolve("missing.duckdb").toString()));
        assertTrue(err.contains("does not exist"), err);
        assertEquals(2, clv("quality", "--db", db.toString(), "--set-threshold", "validity.unit_price=x:1"));
        assertTrue(err.contains("--set-threshold"), err);
        assertEquals(2, clv("quality", "--db", db.toString(), "--set-param", "volume.daily_rows.nope=3"));
        assertTrue(err.contains("has no parameter nope"), err);
    }

    @Test
    void thresholds_and_switches_are_kept_per_store_and_change_the_outcome() throws Exception {
        try (Engine engine = Engine.open(db, QualityFixtures.CLOCK)) {
            QualityFixtures.duplicateRows(engine);
        }
        assertEquals(0, clv("quality", "--db", db.toString(), "--set-threshold", "uniqueness.duplicate_lines=0:5",
                "--disable", "freshness.newest_transaction"), err);
        assertTrue(out.contains("warn > 0 %, fail > 5 %"), out);
        assertEquals(0, clv("quality", "--db", db.toString(), "--json", "--check", "uniqueness.duplicate_lines"), err);
        assertEquals("WARN", new ObjectMapper().readTree(out).path("run").path("results").get(0).path("status").asText());

        assertEquals(0, clv("quality", "--db", db.toString(), "--json", "--list"), err);
        JsonNode list = new ObjectMapper().readTree(out);
        for (JsonNode c : list) {
            if (c.path("name").asText().equals("freshness.newest_transaction")) {
                assertEquals(false, c.path("enabled").asBoolean());
            }
        }
        assertEquals(0, clv("quality", "--db", db.toString(), "--json"), err);
        JsonNode run = new ObjectMapper().readTree(out).path("run");
        assertEquals(Catalogue.standard().size() - 1, run.path("checksRun").asInt());
    }
}
