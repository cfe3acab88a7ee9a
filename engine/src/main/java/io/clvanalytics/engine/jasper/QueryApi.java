package io.clvanalytics.engine.jasper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The contract between a CLV server's query API and the {@code clv} query executer that reads it:
 * {@code GET <server>/api/query/<name>?<parameter>=<value>...} with {@code Authorization: Bearer <token>},
 * answered with the rows as {@link QueryRowsJson} and the server's version in {@value #VERSION_HEADER}.
 * Both sides take these names from here, so they cannot drift apart.
 */
public final class QueryApi {

    /** The path of the named query {@code NAME} is this prefix followed by the name. */
    public static final String PATH_PREFIX = "/api/query/";
    /** Response header (and JSON field {@code version}) carrying the CLV version of the answering server. */
    public static final String VERSION_HEADER = "X-Clv-Version";

    private static final String VERSION = readVersion();

    private QueryApi() {}

    /**
     * The CLV version of this build (the engine's Maven version). Server and plugin must have the same one:
     * the named queries (columns, types, parameters) ship in the engine jar and may change between versions.
     */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = QueryApi.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version");
            return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
