package io.clvanalytics.engine.testdata;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data sets in {@code ../shared/data} beside the project root (see its README). A test
 * that needs one calls {@link #file(String)}: it is skipped with a reason when the folder is
 * absent (a machine outside the team), and fails instead when {@code CI=true}, where it must exist.
 */
public final class SharedData {

    private SharedData() {}

    /** The file {@code relative} under {@code shared/data}, e.g. {@code cdnow/CDNOW_sample.txt}. */
    public static Path file(String relative) {
        Path root = projectRoot();
        Path f = root.resolveSibling("shared").resolve("data").resolve(relative);
        if (!Files.isRegularFile(f)) {
            String reason = "shared data set " + f + " is absent";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + " (CI=true: the shared data must be present)");
            }
            assumeTrue(false, reason + "; skipping");
        }
        return f;
    }

    /** The project root: the nearest folder upwards holding the Makefile. */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("Makefile"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root (no Makefile above " + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }
}
