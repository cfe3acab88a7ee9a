package io.clvanalytics.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.engine.users.Users;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing in and out as a person does it, in Debian's Chromium; no page may break the CSP. */
class HomePageBrowserTest {

    @TempDir
    Path dir;

    @Test
    void anAnonymousVisitorSeesTheStyledLandingPageWithoutAnyCspViolation() {
        try (TestServer s = TestServer.start(dir); Chromium browser = new Chromium(dir.resolve("profile"))) {
            Page page = browser.newPage();
            page.navigate(s.url("/"));
            assertThat(page).hasTitle("Welcome · CLV Analytics");
            assertThat(page.locator("#sign-in")).isVisible();
            // Bootstrap's stylesheet, served from the webjar, styles the navigation bar.
            assertEquals("flex", page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display"));
            // htmx loaded from /webjars and configured by the meta tag.
            assertEquals(Boolean.TRUE, page.evaluate("() => typeof htmx === 'object' && htmx.config.allowEval === false"));
            assertEquals(List.of(), browser.cspViolations());
        }
    }

    @Test
    void aUserSignsInUsesAFormFromTwoTabsStaysSignedInAcrossARestartAndSignsOut() {
        TestServer.MovableClock clock = new TestServer.MovableClock();
        try (Engine engine = Engine.open(dir.resolve("b.duckdb"), clock); Chromium browser = new Chromium(dir.resolve("profile"))) {
            new Users(engine).add("root", UserRole.ADMIN, TestServer.PASSWORD);
            TestServer first = TestServer.start(engine, ServerDeps.forTest(engine, dir), clock);
            Page page = browser.newPage();
            page.navigate(first.url("/dashboard"));
            assertThat(page).hasURL(first.url("/login"));
            page.fill("#username", "root");
            page.fill("#password", "wrong password here");
            page.click("#login-submit");
            assertThat(page.locator("#login-error")).isVisible();
            page.fill("#username", "root");
            page.fill("#password", TestServer.PASSWORD);
            page.click("#login-submit");
            assertThat(page).hasURL(first.url("/dashboard"));
            assertThat(page.locator("#signed-in-user")).hasText("root");

            // Two tabs with the token form; the first is submitted after the second was loaded.
            Page tabA = browser.newPage();
            tabA.navigate(first.url("/admin/tokens"));
            Page tabB = browser.newPage();
            tabB.navigate(first.url("/admin/tokens"));
            tabA.fill("#label", "from tab A");
            tabA.click("#create-token button[type=submit]");
            assertThat(tabA.locator("#new-token")).isVisible();
            tabB.fill("#label", "from tab B");
            tabB.click("#create-token button[type=submit]");
            assertThat(tabB.locator("#new-token")).isVisible();
            assertThat(tabB.locator("#tokens tbody tr")).hasCount(2);

            first.stopServer();
            TestServer second = TestServer.start(engine, ServerDeps.forTest(engine, dir), clock);
            try {
                page.navigate(second.url("/dashboard"));
                assertThat(page.locator("#signed-in-user")).hasText("root");
                page.click("#sign-out");
                assertThat(page).hasURL(second.url("/login?bye"));
                assertThat(page.locator("#signed-out")).isVisible();
                page.navigate(second.url("/dashboard"));
                assertThat(page).hasURL(second.url("/login"));
            } finally {
                second.stopServer();
            }
            assertEquals(List.of(), browser.cspViolations());
        }
    }
}
