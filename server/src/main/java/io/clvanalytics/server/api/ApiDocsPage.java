package io.clvanalytics.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The API page's view: each endpoint of the OpenAPI document with its parameters, for signed-in
 * users reading it in the browser.
 *
 * @param title     the API's title
 * @param intro     the document's description
 * @param endpoints the endpoints in document order
 */
public record ApiDocsPage(String title, String intro, List<Endpoint> endpoints) {

    /** One endpoint. */
    public record Endpoint(String method, String path, String summary, String description, List<Parameter> parameters) {}

    /** One parameter: where it goes, its type or allowed values, and what it does. */
    public record Parameter(String name, String in, String type, String description) {}

    /** The view of {@link OpenApiDocument}. */
    public static ApiDocsPage fromDocument() {
        JsonNode doc = OpenApiDocument.tree();
        List<Endpoint> endpoints = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            List<Parameter> params = new ArrayList<>();
            for (JsonNode p : op.getValue().path("parameters")) {
                JsonNode schema = p.path("schema");
                String type = schema.has("enum") ? "one of " + String.join(", ", texts(schema.path("enum")))
                        : schema.path("type").asText();
                params.add(new Parameter(p.path("name").asText(), p.path("in").asText(), type, p.path("description").asText()));
            }
            endpoints.add(new Endpoint(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                    op.getValue().path("summary").asText(), op.getValue().path("description").asText(), params));
        }));
        return new ApiDocsPage(doc.path("info").path("title").asText(), doc.path("info").path("description").asText(), endpoints);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
