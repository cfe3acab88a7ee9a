package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clvanalytics.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clv schedule} headless: add, run-due, run, history, list; and a store held by another process. */
class ScheduleCommandTest {

    @TempDir
    Path dir;

    /** Opens the store named by args[0], says "ready", and holds it until stdin closes (as a running server does). */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (Engine engine = Engine.open(Path.of(args[0]))) {
                System.out.println("ready");
                System.out.flush();
                System.in.read();
            }
        }
    }

    @Test
    void addThenRunDueWorksWithoutTheServerAndWritesOpenableFilesBesideTheStore() throws Exception {
        String db = dir.resolve("shop.duckdb").toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "200", "--seed", "3").exitCode());
        // Slots since 2.5 minutes ago are due: the latest runs, and the missed one before it runs once.
        String start = Instant.now().minusSeconds(150).toString();
        CliRun add = CliRun.of("schedule", "add", "--db", db, "--template", "customer-list", "--param", "risk=high",
                "--format", "xlsx", "--cron", "* * * * *", "--zone", "Europe/Berlin", "--keep", "5",
                "--mail", "ops@shop.example", "--start", start, "--json");
        assertEquals(0, add.exitCode(), add.err());
        JsonNode added = Output.mapper().readTree(add.out());
        String id = added.get("id").asText();
        assertEquals(32, id.length());
        assertEquals("high", added.get("parameters").get("risk").asText());

        CliRun due = CliRun.of("schedule", "run-due", "--db", db, "--json");
        assertEquals(0, due.exitCode(), due.err() + due.out());
        JsonNode runs = Output.mapper().readTree(due.out()).get("runs");
        assertEquals(2, runs.size(), due.out());
        for (JsonNode run : runs) {
            assertEquals("SUCCEEDED", run.get("status").asText());
            String name = run.get("files").get(0).get("fileName").asText();
            assertTrue(name.matches("customer-list_\\d{4}-\\d{2}-\\d{2}T\\d{4}\\+0[12]00\\.xlsx"), name);
            Path file = dir.resolve("reports").resolve(id).resolve(name);
            try (InputStream in = Files.newInputStream(file); XSSFWorkbook wb = new XSSFWorkbook(in)) {
                assertEquals(file.toFile().length(), run.get("files").get(0).get("sizeBytes").asLong());
                assertTrue(wb.getSheetAt(0).getPhysicalNumberOfRows() >= 5);
            }
        }

        CliRun again = CliRun.of("schedule", "run-due", "--db", db, "--json");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(Output.mapper().readTree(again.out()).get("runs").size() <= 1, "only a slot that fell since, if any: " + again.out());

        CliRun now = CliRun.of("schedule", "run", id, "--db", db, "--json");
        assertEquals(0, now.exitCode(), now.err());
        assertEquals("manual", Output.mapper().readTree(CliRun.of("schedule", "history", id, "--db", db, "--json").out())
                .get(0).get("run").get("trigger").asText());

        CliRun history = CliRun.of("schedule", "history", id, "--db", db);
        assertEquals(0, history.exitCode(), history.err());
        assertTrue(history.out().contains("succeeded"), history.out());

        JsonNode list = Output.mapper().readTree(CliRun.of("schedule", "list", "--db", db, "--json").out());
        assertEquals(1, list.size());
        assertEquals("* * * * *", list.get(0).get("cron").asText());
        assertEquals(5, list.get(0).get("keep").asInt());
        // No SMTP configured in this environment: the delivery is recorded as failed with the reason.
        JsonNode delivery = Output.mapper().readTree(CliRun.of("schedule", "history", id, "--db", db, "--json").out())
                .get(1).get("deliveries").get(0);
        if (System.getenv("CLV_SMTP_HOST") == null) {
            assertEquals("failed", delivery.get("status").asText());
            assertTrue(delivery.get("error").asText().contains("CLV_SMTP_HOST"));
        }
    }

    @Test
    void badInputExitsWithTwoNamingTheField() {
        String db = dir.resolve("shop.duckdb").toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "50", "--seed", "3").exitCode());
        CliRun cron = CliRun.of("schedule", "add", "--db", db, "--template", "customer-list", "--cron", "every fortnight");
        assertEquals(2, cron.exitCode());
        assertTrue(cron.err().contains("--cron: \"every fortnight\" is not a recurrence"), cron.err());
        CliRun param = CliRun.of("schedule", "add", "--db", db, "--template", "customer-list", "--cron", "0 7 * * 1", "--param", "colour=red");
        assertEquals(2, param.exitCode());
        assertTrue(param.err().contains("--param colour: template customer-list has no such parameter"), param.err());
        CliRun mail = CliRun.of("schedule", "add", "--db", db, "--template", "customer-list", "--cron", "0 7 * * 1", "--mail", "not an address");
        assertEquals(2, mail.exitCode());
        assertTrue(mail.err().contains("--mail: \"not an address\""), mail.err());
        CliRun unknown = CliRun.of("schedule", "run", "0123456789abcdef0123456789abcdef", "--db", db);
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no such schedule"), unknown.err());
    }

    @Test
    void runDueOnAStoreHeldByTheServerSaysSoAndNamesItsProcess() throws Exception {
        Path db = dir.resolve("held.duckdb");
        assertEquals(0, CliRun.of("generate", "--db", db.toString(), "--customers", "50", "--seed", "3").exitCode());
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), db.toString())
                .redirectErrorStream(true).start();
        try {
            var reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", reader.readLine());
            CliRun run = CliRun.of("schedule", "run-due", "--db", db.toString());
            assertEquals(2, run.exitCode());
            assertTrue(run.err().contains("PID " + holder.pid()), run.err());
            assertTrue(run.err().contains("nothing was run"), run.err());
            assertTrue(run.err().contains("server holds the store it runs the schedules itself"), run.err());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(20, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
    }
}
