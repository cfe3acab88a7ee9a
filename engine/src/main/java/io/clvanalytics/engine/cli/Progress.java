package io.clvanalytics.engine.cli;

import java.io.PrintStream;

/**
 * Progress for long work: printed to stderr on an interactive terminal, silent when output is
 * piped or redirected (so scripts and schedulers get clean output).
 */
public final class Progress {

    private final PrintStream err;
    private final boolean enabled;
    private long lastPrintNanos;

    private Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Progress on the process's terminal, or nothing when there is none. */
    public static Progress onTerminal() {
        return new Progress(System.err, System.console() != null);
    }

    /** Progress that prints nothing. */
    public static Progress silent() {
        return new Progress(System.err, false);
    }

    /** Reports {@code done} of {@code total} units (total ≤ 0 when unknown); rate-limited to 5 per second. */
    public void update(String what, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrintNanos < 200_000_000L && done < total) {
            return;
        }
        lastPrintNanos = now;
        if (total > 0) {
            err.printf("\r%s: %,d / %,d (%d%%)   ", what, done, total, (int) (100.0 * done / total));
        } else {
            err.printf("\r%s: %,d   ", what, done);
        }
        err.flush();
    }

    /** Ends the progress line. */
    public void done() {
        if (enabled) {
            err.println();
        }
    }
}
