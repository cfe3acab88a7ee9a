package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The font table of a PDF as Debian's {@code pdffonts} (poppler-utils) prints it, one line per font.
 * Where poppler is not installed the calling test is skipped with that reason, except on CI
 * ({@code CI=true}), where .ci/run installs it and its absence fails the test.
 */
final class PdfFonts {

    private PdfFonts() {}

    static List<String> list(Path tmp, byte[] pdf) throws IOException, InterruptedException {
        Path exe = Path.of("/usr/bin/pdffonts");
        if (!Files.isExecutable(exe)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("pdffonts is missing: .ci/run must install poppler-utils");
            }
            assumeTrue(false, "pdffonts (Debian poppler-utils) is not installed");
        }
        Path file = Files.createTempFile(tmp, "report-", ".pdf");
        Files.write(file, pdf);
        Process p = new ProcessBuilder(exe.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("pdffonts failed: " + out);
        }
        return out.lines().skip(2).filter(l -> !l.isBlank()).toList();
    }
}
