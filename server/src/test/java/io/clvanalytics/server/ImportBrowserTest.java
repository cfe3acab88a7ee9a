package io.clvanalytics.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin check, in Debian's Chromium: an admin uploads a CSV with three bad rows and
 * hostile names; under all-or-nothing the three errors are listed with their lines and nothing
 * changed (the dashboard's customer count is the same); with "skip bad rows" the good rows are
 * imported, the rejects download, and the dashboard shows the new count on its next load.
 * Screenshots of the import pages at 1280 and 390 px go to {@code target/screenshots/}; any console
 * error, failed request, 4xx/5xx answer or dialog fails the test.
 */
class ImportBrowserTest {

    @TempDir
    Path dir;


    private static long customersOnTheDashboard(Page page, TestServer s) {
        page.navigate(s.url("/dashboard"));
        assertThat(page.locator("#kpi-customers .kpi-value")).not().isEmpty();
        return Long.parseLong(page.locator("#kpi-customers .kpi-value").innerText().replaceAll("[^0-9]", ""));
    }

    @Test
    void anAdminSeesTheBadRowsRefusedThenImportsTheGoodOnesAndTheDashboardChanges() throws IOException {
        Path csv = dir.resolve("shop-export.csv");
        Files.writeString(csv, ImportUploadTest.CSV, StandardCharsets.UTF_8);
        try (TestServer s = TestServer.over(DemoStore.copyTo(dir, DemoStore.CUSTOMERS), dir);
             Chromium browser = new Chromium(dir.resolve("profile"))) {
            s.addUser("ada", io.clvanalytics.engine.users.UserRole.ADMIN);
            Page page = browser.newPage();
            page.setViewportSize(1280, 900);
            PageWatch watch = PageWatch.of(page);
            page.navigate(s.url("/login"));
            page.locator("#username").fill("ada");
            page.locator("#password").fill(TestServer.PASSWORD);
            page.locator("#login-submit").click();
            page.waitForURL("**/dashboard");
            long customersBefore = customersOnTheDashboard(page, s);
            long transactionsBefore = ImportUploadTest.count(s.engine, "SELECT count(*) FROM transactions");

            page.locator("nav a[href='/admin/import']").click();
            page.waitForURL("**/admin/import");
            assertThat(page.locator("h1")).hasText("Import data");
            PageWatch.screenshots(page, "20-import-upload");
            page.locator("#file").setInputFiles(csv);
            page.locator("#upload-submit").click();
            page.waitForURL(u -> u.matches(".*/admin/import/[A-Za-z0-9_-]{22}$"));
            String previewUrl = page.url();
            assertThat(page.locator("#detected-format")).hasText("csv, delimiter ',', header");
            assertThat(page.locator("#detected-date-format")).hasText("%Y-%m-%d");
            assertThat(page.locator("#map_customer_id")).hasValue("customer_id");
            assertThat(page.locator("#map_quantity")).hasValue("quantity");
            assertThat(page.locator("#preview-rows tbody")).containsText("<script>alert(1)</script>");
            assertThat(page.locator("#preview-rows tbody")).containsText("\"><img src=x onerror=alert(1)>");
            assertThat(page.locator("#preview-rows tbody")).containsText("=HYPERLINK(\"http://evil.example\",\"click\")");
            assertEquals(0, page.locator("#preview-rows img").count(), "no element made from a value");
            PageWatch.screenshots(page, "21-import-preview");

            assertThat(page.locator("#on_error")).hasValue("fail");
            page.locator("#import-now").click();
            page.waitForURL("**/result");
            assertThat(page.locator("#import-status[data-job-state=FAILED]")).isVisible();
            assertThat(page.locator("#refused-summary")).containsText("3 of 8 rows break the import rules; the store is unchanged");
            assertEquals(List.of("5", "6", "7"), page.locator("#import-errors .error-line").allInnerTexts());
            assertEquals(List.of("date", "quantity", "customer_id"), page.locator("#import-errors .error-column").allInnerTexts());
            assertThat(page.locator("#import-errors .error-rule").nth(0)).containsText("date not in format");
            assertThat(page.locator("#import-errors .error-value").nth(0)).hasText("<script>alert(2)</script>");
            assertThat(page.locator("#import-errors .error-value").nth(1)).hasText("=HYPERLINK(\"x\")");
            PageWatch.screenshots(page, "22-import-refused");
            assertEquals(transactionsBefore, ImportUploadTest.count(s.engine, "SELECT count(*) FROM transactions"));
            assertEquals(customersBefore, customersOnTheDashboard(page, s), "nothing changed");

            page.navigate(previewUrl);
            page.locator("#on_error").selectOption("skip");
            page.locator("#import-now").click();
            page.waitForURL("**/result");
            assertThat(page.locator("#import-status[data-job-state=DONE]")).isVisible();
            assertThat(page.locator("#rows-imported")).hasText("5");
            assertThat(page.locator("#rows-rejected")).hasText("3");
            PageWatch.screenshots(page, "23-import-done");
            Download rejects = page.waitForDownload(() -> page.locator("#download-rejects").click());
            assertEquals("shop-export-rejects.csv", rejects.suggestedFilename());
            List<String> lines = Files.readAllLines(rejects.path(), StandardCharsets.UTF_8);
            assertEquals(4, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("file,line,column,rule,value"), lines.get(0));

            assertEquals(transactionsBefore + 5, ImportUploadTest.count(s.engine, "SELECT count(*) FROM transactions"));
            assertEquals(customersBefore + 5, customersOnTheDashboard(page, s), "the dashboard shows the new customers");
            assertEquals(List.of(), watch.problems());
            assertEquals(List.of(), browser.cspViolations());
        }
    }
}
