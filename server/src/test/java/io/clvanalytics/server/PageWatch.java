package io.clvanalytics.server;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a user would notice going wrong on a page, collected for the browser tests to assert empty:
 * console errors and warnings (CSP violations among them), failed requests, answers of 400 and over,
 * and any dialog (an escaped hostile name that ran). Also writes the screenshots reviewers read, at
 * desktop (1280 px) and phone (390 px) width, to {@code target/screenshots/}.
 */
public final class PageWatch {

    /** Where the browser tests write their screenshots. */
    public static final Path SHOTS = Path.of("target", "screenshots");

    private final List<String> problems = new CopyOnWriteArrayList<>();

    private PageWatch() {}

    /** Starts watching {@code page}. */
    public static PageWatch of(Page page) {
        PageWatch w = new PageWatch();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") || m.type().equals("warning") || m.text().contains("Content Security Policy")) {
                w.problems.add("console " + m.type() + " on " + page.url() + " at " + m.location() + ": " + m.text());
            }
        });
        page.onRequestFailed(r -> w.problems.add("request failed: " + r.url() + " " + r.failure()));
        page.onResponse(r -> {
            if (r.status() >= 400) {
                w.problems.add("HTTP " + r.status() + " " + r.url());
            }
        });
        page.onDialog(d -> {
            w.problems.add("a dialog opened: " + d.message());
            d.dismiss();
        });
        return w;
    }

    /** What went wrong so far, in order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Waits until the page is idle, then writes {@code name-1280.png} and {@code name-390.png} (whole page). */
    public static void screenshots(Page page, String name) {
        page.waitForLoadState(LoadState.NETWORKIDLE);
        try {
            Files.createDirectories(SHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int width : new int[] {1280, 390}) {
            page.setViewportSize(width, 900);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-" + width + ".png")).setFullPage(true));
        }
        page.setViewportSize(1280, 900);
    }
}
