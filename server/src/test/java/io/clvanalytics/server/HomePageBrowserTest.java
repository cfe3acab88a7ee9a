package io.clvanalytics.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The landing page as a person sees it, in Debian's Chromium. */
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
}
