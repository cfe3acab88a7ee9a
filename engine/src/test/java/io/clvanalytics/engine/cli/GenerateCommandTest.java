package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheOptionsAndTheirDefaults() {
        CliRun run = CliRun.of("generate", "--help");
        assertEquals(0, run.exitCode());
        for (String option : new String[] {"--customers", "--seed", "--products", "--start", "--end", "--alpha", "--gamma",
            "--seasonality", "--return-rate", "--db", "--json"}) {
            assertTrue(run.out().contains(option), option + " in\n" + run.out());
        }
    }

    @Test
    void generateWritesTheStoreAndReportsItAsJsonAndInfoAgrees() throws Exception {
        String db = dir.resolve("demo.duckdb").toString();
        CliRun run = CliRun.of("generate", "--db", db, "--customers", "1000", "--seed", "9", "--products", "20", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = Output.mapper().readTree(run.out());
        assertEquals(1000, json.get("customers").asInt());
        assertEquals(20, json.get("products").asInt());
        long transactions = json.get("transactions").asLong();
        assertTrue(transactions > 1000);

        CliRun info = CliRun.of("info", "--db", db, "--json");
        assertEquals(0, info.exitCode(), info.err());
        assertEquals(transactions, Output.mapper().readTree(info.out()).get("transactions").asLong());
    }

    @Test
    void generatingIntoAFilledStoreExitsWithTwoAndSaysWhy() {
        String db = dir.resolve("twice.duckdb").toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "1000").exitCode());
        CliRun again = CliRun.of("generate", "--db", db, "--customers", "1000");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds data"), again.err());
    }

    @Test
    void anUnparseableDateExitsWithTwoNamingTheOption() {
        CliRun run = CliRun.of("generate", "--db", dir.resolve("x.duckdb").toString(), "--start", "01/02/2021");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--start"), run.err());
    }

    @Test
    void aDemoStoreEndsTodayByDefaultAndPassesQuality() throws Exception {
        String db = dir.resolve("fresh.duckdb").toString();
        CliRun run = CliRun.of("generate", "--db", db, "--customers", "1000", "--seed", "3", "--products", "40", "--json");
        assertEquals(0, run.exitCode(), run.err());
        java.time.LocalDate last = java.time.LocalDate.parse(Output.mapper().readTree(run.out()).get("lastDate").asText());
        java.time.LocalDate today = java.time.LocalDate.now();
        assertTrue(!last.isAfter(today) && last.isAfter(today.minusDays(7)), "last purchase " + last + ", today " + today);
        CliRun quality = CliRun.of("quality", "--db", db);
        assertEquals(0, quality.exitCode(), quality.out() + quality.err());
    }

    @Test
    void endSetsAnotherLastDate() throws Exception {
        CliRun run = CliRun.of("generate", "--db", dir.resolve("old.duckdb").toString(), "--customers", "1000", "--end", "2024-06-30", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Output.mapper().readTree(run.out()).get("lastDate").asText().compareTo("2024-06-30") <= 0, run.out());
    }
}
