package io.clvanalytics.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The hand-kept OpenAPI 3 description of the API ({@code src/main/resources/api/openapi.json}),
 * reviewed text rather than annotations spread over handlers. {@code OpenApiDocumentTest} keeps it
 * true: every {@code /api} route is described, every described path exists, every documented
 * parameter (with its example) is accepted and undocumented ones are refused.
 */
public final class OpenApiDocument {

    private static final String RESOURCE = "/api/openapi.json";
    private static final String JSON = load();

    private OpenApiDocument() {}

    /** The document as JSON text. */
    public static String json() {
        return JSON;
    }

    /** The document parsed, for the API page. */
    public static JsonNode tree() {
        try {
            return new ObjectMapper().readTree(JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
