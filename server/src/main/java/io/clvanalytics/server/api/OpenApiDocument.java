package io.clvanalytics.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clvanalytics.engine.jasper.NamedQueries;
import io.clvanalytics.engine.jasper.NamedQuery;
import io.clvanalytics.engine.jasper.QueryApi;
import io.clvanalytics.engine.jasper.QueryParameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The hand-kept OpenAPI 3 description of the API ({@code src/main/resources/api/openapi.json}),
 * reviewed text rather than annotations spread over handlers, plus the query API's paths, which are
 * generated from the engine's named queries. {@code OpenApiDocumentTest} keeps it
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
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode doc = (ObjectNode) mapper.readTree(in);
            addQueryPaths((ObjectNode) doc.path("paths"));
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The query API ({@link QueryRoutes}) described from the engine's catalogue of named queries, so that its
     * description, parameters and columns are written once (in {@link NamedQueries}) and cannot drift.
     */
    private static void addQueryPaths(ObjectNode paths) {
        for (NamedQuery q : NamedQueries.all()) {
            ObjectNode get = paths.putObject(QueryApi.PATH_PREFIX + q.name()).putObject("get");
            get.put("summary", "clv query " + q.name() + " (rows for the JasperReports plugin)");
            get.put("description", q.description() + ". Columns: " + q.columns() + ". The answer is streamed: {\"version\","
                    + " \"query\", \"columns\": [{\"name\", \"type\"}], \"rows\": [[...]], \"row_count\"}, with the server's"
                    + " version in the " + QueryApi.VERSION_HEADER + " header. Roles: " + Arrays.stream(QueryRoutes.roles(q))
                    .map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ".");
            ArrayNode parameters = get.putArray("parameters");
            for (QueryParameter p : q.parameters()) {
                ObjectNode param = parameters.addObject();
                param.put("name", p.name());
                param.put("in", "query");
                param.put("required", false);
                param.put("description", p.description());
                ObjectNode schema = param.putObject("schema");
                switch (p.type()) {
                    case TEXT -> schema.put("type", "string").put("maxLength", QueryRoutes.MAX_TEXT);
                    case INTEGER -> schema.put("type", "integer").put("minimum", 0);
                    case NUMBER -> schema.put("type", "number");
                    case DATE -> schema.put("type", "string").put("format", "date");
                }
                switch (p.type()) {
                    case TEXT -> param.put("example", "loyal");
                    case INTEGER -> param.put("example", 10);
                    case NUMBER -> param.put("example", 100.5);
                    case DATE -> param.put("example", "2025-01-31");
                }
            }
            get.putArray("security").addObject().putArray("bearer");
            ObjectNode responses = get.putObject("responses");
            responses.putObject("200").put("description", "OK").putObject("content").putObject("application/json")
                    .putObject("schema").put("$ref", "#/components/schemas/Object");
            for (String status : new String[] {"400", "401", "403", "404", "503"}) {
                responses.putObject(status).put("$ref", "#/components/responses/Error");
            }
        }
    }
}
