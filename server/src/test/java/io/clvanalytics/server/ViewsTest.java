package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules every template keeps, checked on the sources in src/main/jte. */
class ViewsTest {

    private static List<Path> templates() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src/main/jte"))) {
            return s.filter(p -> p.toString().endsWith(".jte")).toList();
        }
    }

    @Test
    void noTemplateBypassesEscapingOrCarriesInlineScriptOrStyle() throws IOException {
        List<Path> all = templates();
        assertTrue(all.size() >= 5, "templates found: " + all);
        for (Path p : all) {
            String t = Files.readString(p);
            assertTrue(!t.contains("$unsafe"), p + " uses $unsafe: output must stay escaped");
            assertTrue(!t.contains("<style") && !t.contains(" style="), p + " has inline style (CSP style-src 'self')");
            assertTrue(!t.matches("(?s).*<script(?![^>]*\\bsrc=).*"), p + " has an inline <script> (CSP script-src 'self')");
            assertTrue(!t.matches("(?s).*\\son[a-z]+=.*") && !t.contains("hx-on"), p + " has an inline event handler");
        }
    }

    @Test
    void everyPostFormCarriesTheCsrfTag() throws IOException {
        int forms = 0;
        for (Path p : templates()) {
            String t = Files.readString(p);
            for (String form : t.split("(?i)<form")) {
                if (form.matches("(?is)[^>]*method=\"post\".*")) {
                    forms++;
                    String body = form.split("(?i)</form>")[0];
                    assertTrue(body.contains("@template.tag.csrf("), p + ": a POST form without @template.tag.csrf");
                }
            }
        }
        assertTrue(forms >= 2, "POST forms found: " + forms);
    }
}
