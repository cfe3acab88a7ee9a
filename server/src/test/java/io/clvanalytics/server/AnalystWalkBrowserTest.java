package io.clvanalytics.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first check, in Debian's Chromium: an analyst walks every page, with screenshots at
 * 1280 and 390 px in {@code target/screenshots/}; any console error, failed request, refused
 * response or dialog (an escaped hostile name that ran) fails the walk. Also measures the
 * dashboard's first paint and each page's server time (navigation timing), written to
 * {@code target/screenshots/timings.txt}.
 */
class AnalystWalkBrowserTest {

    @TempDir
    Path dir;

    private final java.util.Map<String, Double> serverMs = new java.util.LinkedHashMap<>();

    private void settle(Page page, String name) {
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        Object ms = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                + " return n ? n.responseStart - n.requestStart : null; }");
        if (ms instanceof Number n) {
            serverMs.put(name, n.doubleValue());
        }
        PageWatch.screenshots(page, name);
    }

    @Test
    void anAnalystWalksEveryPageWithoutAConsoleErrorAFailedRequestOrADialog() throws IOException {
        try (TestServer s = TestServer.over(DemoStore.copyTo(dir, DemoStore.CUSTOMERS), dir);
             Chromium browser = new Chromium(dir.resolve("profile"))) {
            s.addUser("ann", io.clvanalytics.engine.users.UserRole.ANALYST);
            Page page = browser.newPage();
            page.setViewportSize(1280, 900);
            PageWatch watch = PageWatch.of(page);

            page.navigate(s.url("/"));
            settle(page, "01-landing");
            page.navigate(s.url("/login"));
            settle(page, "01-login");
            page.locator("#username").fill("ann");
            page.locator("#password").fill(TestServer.PASSWORD);
            page.locator("#login-submit").click();
            page.waitForURL("**/dashboard");

            assertThat(page.locator("h1")).hasText("Dashboard");
            assertThat(page.locator("#kpi-revenue .kpi-value")).not().isEmpty();
            page.waitForSelector("#chart-monthly-revenue[data-drawn=done]");
            page.waitForSelector("#chart-top-products[data-drawn=done]");
            double firstPaint = ((Number) page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0].startTime"))
                    .doubleValue();
            settle(page, "02-dashboard");

            page.navigate(s.url("/clients"));
            assertThat(page.locator("#client-count")).containsText("sorted by CLV");
            settle(page, "03-clients");
            page.locator("#risk").selectOption("high");
            page.waitForURL("**/clients?**risk=high**");
            assertThat(page.locator("#client-count")).containsText("of");
            page.locator("#risk").selectOption("");
            page.waitForURL(u -> !u.contains("risk=high"));
            page.locator("#next-page").click();
            page.waitForURL("**page=2**");
            assertThat(page.locator("#client-count")).containsText("Customers 26–50");
            page.goBack();
            page.waitForURL(u -> !u.contains("page=2"));
            assertThat(page.locator("#client-count")).containsText("Customers 1–25");
            page.locator("#q").fill("H1");
            page.waitForURL("**q=H1**");
            assertThat(page.locator("#client-table .client-name")).hasText("\"><img src=x onerror=alert(1)>");
            page.locator("#client-table .client-link").first().click();
            page.waitForURL("**/clients/H1");
            assertThat(page.locator("#client-title")).containsText("\"><img src=x onerror=alert(1)>");
            assertThat(page.locator("#client-p-alive")).not().isEmpty();
            settle(page, "04-client-detail");
            page.navigate(s.url("/clients/H0"));
            assertThat(page.locator("#client-title")).containsText("<script>alert(1)</script>");

            page.navigate(s.url("/products"));
            page.waitForSelector("canvas.sparkline[data-drawn=done]");
            if (DemoStore.CUSTOMERS <= 2_000) {
                // A larger store has more than the page's 200 products; the hostile ones (little revenue) fall off it.
                assertThat(page.locator("#product-table .product-name", new Page.LocatorOptions().setHasText("=HYPERLINK")))
                        .hasCount(1);
            }
            settle(page, "05-products");
            page.locator("#product-table .product-link").first().click();
            page.waitForURL("**/products/*");
            page.waitForSelector("#chart-product-trend[data-drawn=done]");
            assertThat(page.locator("#product-stage")).not().isEmpty();
            settle(page, "06-product-lifecycle");
            page.navigate(s.url("/products/HX2"));
            assertThat(page.locator("#product-title")).containsText("=HYPERLINK(\"http://evil.example\"");
            page.navigate(s.url("/products/HX0"));
            assertThat(page.locator("#product-title")).containsText("<script>alert(1)</script>");

            page.navigate(s.url("/retention"));
            page.waitForSelector("#chart-survival[data-drawn=done]");
            assertThat(page.locator("#at-risk-table tbody tr").first()).isVisible();
            settle(page, "07-retention");

            page.navigate(s.url("/quality"));
            page.waitForSelector("#chart-quality-history[data-drawn=done]");
            settle(page, "08-quality");

            page.navigate(s.url("/models"));
            page.waitForSelector("#chart-tracking[data-drawn=done]");
            settle(page, "09-models");

            page.navigate(s.url("/reports"));
            settle(page, "10-reports");
            page.locator("#report-customer-profile").click();
            page.locator("#param-customer").fill("H0");
            page.locator("#report-view").click();
            page.waitForURL("**view=1**");
            var frame = page.frameLocator("#report-frame");
            assertThat(frame.locator("body")).containsText("<script>alert(1)</script>");
            settle(page, "11-report-view");
            Download pdf = page.waitForDownload(() -> page.locator("#download-pdf").click());
            assertTrue(pdf.suggestedFilename().matches("customer-profile-\\d{4}-\\d{2}-\\d{2}\\.pdf"), pdf.suggestedFilename());
            assertEquals("%PDF", new String(Files.readAllBytes(pdf.path()), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));

            page.navigate(s.url("/reports/customer-list"));
            Download xlsx = page.waitForDownload(() -> page.locator("#download-xlsx").click());
            assertTrue(xlsx.suggestedFilename().matches("customer-list-\\d{4}-\\d{2}-\\d{2}\\.xlsx"), xlsx.suggestedFilename());
            try (InputStream in = Files.newInputStream(xlsx.path()); Workbook wb = WorkbookFactory.create(in)) {
                assertTrue(wb.getSheetAt(0).getLastRowNum() > DemoStore.CUSTOMERS, "rows: " + wb.getSheetAt(0).getLastRowNum());
                boolean hostileAsText = false;
                for (var row : wb.getSheetAt(0)) {
                    for (var cell : row) {
                        hostileAsText |= cell.getCellType() == org.apache.poi.ss.usermodel.CellType.STRING
                                && cell.getStringCellValue().startsWith("=HYPERLINK");
                    }
                }
                assertTrue(hostileAsText, "the formula-like name is a text cell, not a formula");
            }

            page.navigate(s.url("/dashboard"));
            page.locator("#sign-out").click();
            page.waitForURL("**/login?bye**");
            assertThat(page.locator("#signed-out")).isVisible();

            List<Double> sorted = serverMs.values().stream().sorted().toList();
            double p95 = sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
            String timings = "customers=" + DemoStore.CUSTOMERS + " dashboardFirstPaintMs=" + Math.round(firstPaint)
                    + " pageServerMsP95=" + Math.round(p95) + " pages=" + sorted.size() + " serverMs=" + serverMs.entrySet().stream()
                    .map(e -> e.getKey() + ":" + Math.round(e.getValue())).toList() + "\n";
            Files.writeString(PageWatch.SHOTS.resolve("timings.txt"), timings);
            System.out.println(timings);
            assertEquals(List.of(), watch.problems());
            assertEquals(List.of(), browser.cspViolations());
        }
    }
}
