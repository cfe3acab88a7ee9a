package io.clvanalytics.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {

    @TempDir
    Path dir;

    /** Opens the store named by args[0], says "ready", and holds it until stdin closes. */
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
    void openingAStoreHeldByAnotherProcessNamesThatProcessAndWhatToDo() throws Exception {
        Path file = dir.resolve("locked.duckdb");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            var reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", reader.readLine());
            StoreException e = assertThrows(StoreException.class, () -> Engine.open(file));
            assertTrue(e.getMessage().contains("PID " + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("open in another process"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(20, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
        try (Engine engine = Engine.open(file)) {
            assertTrue(engine.schemaVersion() > 0, "the store opens once the other process let go");
        }
    }
}
