package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/clv} as users run it, over the packaged CLI jar: DuckDB's native library is loaded from beside the
 * jar (none is unpacked into the temporary folder), the first run records the class-data-sharing archive, and
 * later runs use it without a word on the terminal.
 */
class BinClvIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run clv(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/clv").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("tmp"));
        int exit = pb.start().waitFor();
        return new Run(exit, Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8).replaceAll("Picked up JAVA_TOOL_OPTIONS.*\\R", ""));
    }

    @Test
    void binClvRunsWithTheNativeLibraryBesideTheJarAndItsClassDataArchive() throws Exception {
        String db = dir.resolve("store.duckdb").toString();
        Path csv = Files.writeString(dir.resolve("t.csv"), "customer_id,date,amount\nA,2024-01-02,10.00\n");
        Run first = clv("import", "--db", db, csv.toString());
        assertEquals(0, first.exit(), first.err());
        try (Stream<Path> archives = Files.list(ROOT.resolve("engine/target"))) {
            assertTrue(archives.anyMatch(p -> p.getFileName().toString().matches("clv-cds-\\d+-\\d+\\.jsa")), "the archive was recorded");
        }
        Run info = clv("info", "--db", db, "--json");
        assertEquals(0, info.exit(), info.err());
        assertEquals(1, Output.mapper().readTree(info.out()).get("transactions").asLong(), info.out());
        assertEquals("", info.err(), "nothing on stderr (no class-data-sharing warnings)");
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), tmp.filter(p -> p.getFileName().toString().startsWith("libduckdb_java")).toList(),
                    "no native library unpacked into the temporary folder");
        }
    }
}
