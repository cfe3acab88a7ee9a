package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsCommandsTest {

    @TempDir
    Path dir;

    String db;

    @BeforeEach
    void store() {
        db = dir.resolve("clv.duckdb").toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "1000", "--products", "20").exitCode());
    }

    private long transactions() throws Exception {
        CliRun info = CliRun.of("info", "--db", db, "--json");
        return Output.mapper().readTree(info.out()).get("transactions").asLong();
    }

    @Test
    void everyOpsCommandHasHelpNamingDbAndJson() {
        for (String cmd : new String[] {"backup", "restore", "maintain", "archive"}) {
            CliRun run = CliRun.of(cmd, "--help");
            assertEquals(0, run.exitCode(), cmd);
            assertTrue(run.out().contains("--db") && run.out().contains("--json"), cmd + ":\n" + run.out());
        }
    }

    @Test
    void backupThenRestoreBringsBackTheDataAndReportsAsJson() throws Exception {
        long original = transactions();
        String backup = dir.resolve("b.duckdb").toString();
        CliRun b = CliRun.of("backup", "--db", db, "--to", backup, "--json");
        assertEquals(0, b.exitCode(), b.err());
        assertEquals(original, Output.mapper().readTree(b.out()).get("transactions").asLong());
        assertEquals(0, CliRun.of("archive", "--db", db, "--before", "2024-01-01").exitCode());
        assertTrue(transactions() < original);

        CliRun r = CliRun.of("restore", "--db", db, "--from", backup, "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = Output.mapper().readTree(r.out());
        assertEquals(original, json.get("transactions").asLong());
        assertEquals(original, transactions());
    }

    @Test
    void restoringABadBackupExitsWithTwoAndLeavesTheStoreAlone() throws Exception {
        long original = transactions();
        Path junk = Files.writeString(dir.resolve("junk.duckdb"), "not a database");
        CliRun r = CliRun.of("restore", "--db", db, "--from", junk.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--from: ") && r.err().contains("junk.duckdb"), r.err());
        assertEquals(original, transactions());
    }

    @Test
    void maintainPrintsEachStep() {
        CliRun run = CliRun.of("maintain", "--db", db);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("CHECKPOINT") && run.out().contains("VACUUM") && run.out().contains("ANALYZE"), run.out());
    }

    @Test
    void archiveNeedsAValidDateAndAnExistingStore() {
        CliRun bad = CliRun.of("archive", "--db", db, "--before", "2024-13-01");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--before"), bad.err());
        CliRun missing = CliRun.of("archive", "--db", dir.resolve("none.duckdb").toString(), "--before", "2024-01-01");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertTrue(!Files.exists(dir.resolve("none.duckdb")), "no empty store created");
    }

    @Test
    void archiveReportsWhatItMoved() throws Exception {
        CliRun run = CliRun.of("archive", "--db", db, "--before", "2023-06-01", "--to", dir.resolve("arch").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = Output.mapper().readTree(run.out());
        assertTrue(json.get("rows").asLong() > 0);
        assertTrue(Files.exists(Path.of(json.get("file").asText())));
        assertEquals(json.get("remainingTransactions").asLong(), transactions());
    }
}
