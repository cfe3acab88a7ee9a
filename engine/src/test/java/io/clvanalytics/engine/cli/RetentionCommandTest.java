package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clvanalytics.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionCommandTest {

    @TempDir
    Path dir;

    Path db;

    /** 400 customers: customer i first buys on day i mod 200 of 2023 and returns every (i mod 7 + 1) × 20 days while i mod 3 > 0. */
    @BeforeEach
    void store() throws Exception {
        db = dir.resolve("cli.duckdb");
        try (Engine engine = Engine.open(db); Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO customers(id, source_id) SELECT i, 'C' || i FROM range(1, 401) t(i)");
            st.execute("""
                    INSERT INTO transactions(id, customer_id, date, amount, is_return, batch_id)
                    SELECT row_number() OVER (), i, DATE '2023-01-01' + ((i % 200) + k * ((i % 7) + 1) * 20)::INTEGER, 10 + i % 50, false, 1
                    FROM range(1, 401) t(i), range(0, 12) u(k)
                    WHERE (k = 0 OR i % 3 > 0) AND k < 2 + i % 11""");
        }
    }

    private record Result(int code, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void retentionPrintsTheSummaryAtRiskListCohortsSurvivalAndSbg() {
        Result r = run("retention", "--db", db.toString(), "--limit", "5");
        assertEquals(0, r.code(), r.err());
        for (String part : new String[] {"Retention run 1 as of", "400 customers", "recency fallback", "At risk (high and critical)",
            "Cohort retention by month", "Survival (Kaplan-Meier", "Log-rank", "Contractual view"}) {
            assertTrue(r.out().contains(part), "missing '" + part + "' in:\n" + r.out());
        }
    }

    @Test
    void retentionJsonCarriesEverySectionAndTheAtRiskListHonoursTheLimit() throws Exception {
        Result r = run("retention", "--db", db.toString(), "--json", "--limit", "3", "--cohort-unit", "week",
                "--survival-by", "cohort", "--max-periods", "4");
        assertEquals(0, r.code(), r.err());
        JsonNode json = Output.mapper().readTree(r.out());
        assertEquals(400, json.at("/summary/run/customers").asLong());
        assertTrue(json.at("/atRisk").size() <= 3);
        assertEquals("WEEK", json.at("/cohorts/unit").asText());
        assertTrue(json.at("/cohorts/cells").size() > 0);
        assertEquals("cohort", json.at("/survival/groupBy").asText());
        assertTrue(json.at("/survival/overall/curve/points").size() > 0);
        assertTrue(json.at("/contractual").isArray());
    }

    @Test
    void badOptionsExitWith2AndNameTheOption() throws Exception {
        Result unit = run("retention", "--db", db.toString(), "--cohort-unit", "year");
        assertEquals(2, unit.code());
        assertTrue(unit.err().contains("--cohort-unit: must be month or week (year)"), unit.err());
        Path rules = dir.resolve("rules.csv");
        Files.writeString(rules, "champions,*,*,reward,4,best\nat risk,urgent,*,call,1,x\n*,*,*,none,9,y\n");
        Result bad = run("retention", "--db", db.toString(), "--actions", rules.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(rules + ":2:2: risk_level must be"), bad.err());
        Result rate = run("retention", "--db", db.toString(), "--discount-rate", "0");
        assertEquals(2, rate.code());
        assertTrue(rate.err().contains("--discount-rate: must be > 0 (0.0)"), rate.err());
        Result missing = run("retention", "--db", dir.resolve("nope.duckdb").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"));
    }
}
