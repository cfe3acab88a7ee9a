package io.clvanalytics.server;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Debian's Chromium driven by Playwright, with one persistent profile (cookies survive between pages
 * and server restarts). Every console message is kept so tests can fail on CSP violations.
 */
public final class Chromium implements AutoCloseable {

    private final Playwright playwright;
    public final BrowserContext context;
    public final List<String> console = new CopyOnWriteArrayList<>();

    public Chromium(Path profile) {
        playwright = Playwright.create();
        context = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(executable())
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        context.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
    }

    public Page newPage() {
        return context.newPage();
    }

    /** Console messages about the Content Security Policy: must stay empty. */
    public List<String> cspViolations() {
        return console.stream().filter(m -> m.contains("Content Security Policy")).toList();
    }

    private static Path executable() {
        Path p = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("Debian chromium is required for browser tests: apt-get install chromium (.ci/run does)");
        }
        return p;
    }

    @Override
    public void close() {
        context.close();
        playwright.close();
    }
}
