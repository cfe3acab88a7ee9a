package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.lifecycle.LifecycleRules;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user meets before any store is involved: help, version, typos and malformed values. */
class ClvCliTest {

    @Test
    void help_prints_no_picocli_warning_and_lists_each_command_with_a_whole_sentence() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"fit", "--help"}, new String[] {"help", "fit"})) {
            CliRun run = CliRun.of(args);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals("", run.err(), "nothing on stderr for " + String.join(" ", args));
        }
        String help = CliRun.of("--help").out();
        Matcher m = Pattern.compile("(?m)^  (\\w+) {2,}(.*(?:\\n {10,}.*)*)").matcher(help.substring(help.indexOf("Commands:")));
        int commands = 0;
        while (m.find()) {
            commands++;
            String text = m.group(2).replaceAll("\\s+", " ").strip();
            assertTrue(text.endsWith("."), m.group(1) + " stops mid-sentence: " + text);
        }
        assertTrue(commands >= 14, help);
    }

    @Test
    void version_is_the_build_version() {
        CliRun run = CliRun.of("-V");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().matches("clv \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\s*"), run.out());
    }

    @Test
    void a_mistyped_subcommand_suggests_the_nearest() {
        CliRun run = CliRun.of("imprt", "x.csv");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Did you mean") && run.err().contains("import"), run.err());
    }

    @Test
    void a_bad_date_says_what_a_date_looks_like_without_an_exception_name(@TempDir Path dir) {
        CliRun run = CliRun.of("products", "--db", dir.resolve("none.duckdb").toString(), "--from", "2024-13-01");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'2024-13-01' is not a date: expected yyyy-MM-dd"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void a_problem_is_printed_once() {
        CliRun run = CliRun.of("report", "--template", "executive-summary", "--out", "x.csv", "--param", "nonsense");
        assertEquals(2, run.exitCode());
        assertEquals(1, run.err().split("must be NAME=VALUE", -1).length - 1, run.err());
    }

    @Test
    void products_help_shows_the_real_min_z_default() {
        String help = CliRun.of("products", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("(default " + LifecycleRules.defaults().minZ() + ")"), help);
    }
}
