package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.clvanalytics.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The home page as a person sees it, in Debian's Chromium. */
class HomePageBrowserTest {

    @TempDir
    Path dir;

    @Test
    void aPersonSeesTheStoreCountsAndDateRange() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("b.duckdb"))) {
            engine.inTransaction(c -> c.createStatement().executeUpdate("""
                    INSERT INTO customers(id, source_id, name) VALUES (1, 'C1', 'a'), (2, 'C2', 'b'), (3, 'C3', 'c');
                    INSERT INTO transactions(id, customer_id, date, amount, batch_id) VALUES
                      (1, 1, DATE '2024-01-02', 10, 1), (2, 2, DATE '2024-03-04', 20, 1)"""));
            var app = ServerApp.create(engine).start("127.0.0.1", 0);
            try (Playwright pw = Playwright.create();
                 BrowserContext browser = pw.chromium().launchPersistentContext(dir.resolve("profile"),
                         new BrowserType.LaunchPersistentContextOptions()
                                 .setExecutablePath(chromium())
                                 .setHeadless(true)
                                 .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                         "--disable-background-networking", "--disable-component-update", "--disable-sync")))) {
                Page page = browser.newPage();
                page.navigate("http://127.0.0.1:" + app.port() + "/");
                assertEquals("CLV Analytics", page.title());
                assertEquals("3", page.textContent("#customers"));
                assertEquals("2", page.textContent("#transactions"));
                assertTrue(page.textContent("body").contains("2024-01-02 to 2024-03-04"));
            } finally {
                app.stop();
            }
        }
    }

    private static Path chromium() {
        Path p = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("Debian chromium is required for browser tests: apt-get install chromium (.ci/run does)");
        }
        return p;
    }
}
