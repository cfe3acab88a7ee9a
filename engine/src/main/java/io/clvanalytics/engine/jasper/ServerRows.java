package io.clvanalytics.engine.jasper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import net.sf.jasperreports.engine.JRDataSource;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRField;

/**
 * The rows of one named query read from a running CLV server ({@link QueryApi}) with the JDK's
 * {@link HttpClient}, as a {@link JRDataSource} that parses the answer row by row while the report
 * fills: only the current row is in memory. Field values get the class the template declares, the way
 * JasperReports' result set data source converts JDBC values.
 *
 * <p>Failures are {@link JRException}s whose message names the server and says what to do: a refused
 * token (401), a role that may not run the query (403, with the server's message naming the user and
 * the role), an unreachable server (with the cause), a server of another CLV version (both versions).
 */
final class ServerRows implements JRDataSource, AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One client for every fill: it holds a selector thread and a connection pool. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String server;
    private final String query;
    private final QueryRowsJson.Reader reader;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private Object[] row;

    private ServerRows(String server, String query, QueryRowsJson.Reader reader) {
        this.server = server;
        this.query = query;
        this.reader = reader;
        List<QueryRowsJson.Column> columns = reader.columns();
        for (int i = columns.size() - 1; i >= 0; i--) {
            columnIndex.put(columns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
    }

    /**
     * Asks {@code settings}' server for the rows of {@code query} with {@code values} (already converted by the
     * query's parameters; nulls are left out) and returns them as they arrive.
     */
    static ServerRows open(ServerSettings settings, NamedQuery query, Map<String, Object> values) throws JRException {
        String server = settings.server();
        URI uri = URI.create(server + QueryApi.PATH_PREFIX + query.name() + queryString(values));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + settings.token())
                .header("Accept", "application/json")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new JRException("cannot reach the CLV server at " + server + ": " + cause(e, settings));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRException("interrupted while asking the CLV server at " + server + " for query " + query.name());
        }
        InputStream body = response.body();
        try {
            return answer(server, query.name(), response, body);
        } catch (JRException | RuntimeException e) {
            closeQuietly(body);
            throw e;
        }
    }

    private static ServerRows answer(String server, String query, HttpResponse<InputStream> response, InputStream body)
            throws JRException {
        int status = response.statusCode();
        String theirs = response.headers().firstValue(QueryApi.VERSION_HEADER).orElse(null);
        String ours = QueryApi.version();
        if (theirs != null && !theirs.equals(ours)) {
            throw new JRException("the CLV server at " + server + " runs CLV version " + theirs + ", and this JasperReports"
                    + " plugin (the clv-engine jar) is version " + ours + ": named queries may differ between versions, so"
                    + " install the engine jar of version " + theirs + " (make package of that release) next to JasperReports");
        }
        if (status == 401) {
            throw new JRException("the CLV server at " + server + " refused the API token (401 Unauthorized): the token is wrong,"
                    + " revoked or expired, or its user is disabled. Ask an admin for a new token (/admin/tokens on the server)"
                    + " and set it as " + ServerSettings.TOKEN_PARAMETER + " or " + ServerSettings.TOKEN_PROPERTY);
        }
        if (status == 403) {
            throw new JRException("the CLV server at " + server + " does not let this API token run query " + query
                    + " (403 Forbidden): " + errorMessage(body, "the token's role does not allow it"));
        }
        if (status != 200) {
            if (theirs == null) {
                throw new JRException("the address " + server + " answered " + status + " to the CLV query " + query
                        + " without a " + QueryApi.VERSION_HEADER + " header: it is not a CLV server, or one older than"
                        + " this plugin (version " + ours + ") that has no query API; check " + ServerSettings.URL_PROPERTY);
            }
            throw new JRException("the CLV server at " + server + " refused query " + query + " (" + status + "): "
                    + errorMessage(body, "no reason given"));
        }
        if (theirs == null) {
            throw new JRException("the address " + server + " answered the CLV query " + query + " without a "
                    + QueryApi.VERSION_HEADER + " header: it is not a CLV server");
        }
        try {
            return new ServerRows(server, query, QueryRowsJson.read(body));
        } catch (IOException e) {
            throw new JRException("the answer of the CLV server at " + server + " to query " + query + " cannot be read: "
                    + message(e));
        }
    }

    /** The {@code message} of the server's JSON error ({"error": {"code", "message", "field"}}), or {@code fallback}. */
    private static String errorMessage(InputStream body, String fallback) {
        try {
            JsonNode error = JSON.readTree(body.readNBytes(64 * 1024)).path("error").path("message");
            return error.isTextual() && !error.asText().isBlank() ? error.asText() : fallback;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /** What went wrong with the connection, in words (never the HTTP client's class names). */
    private static String cause(IOException e, ServerSettings settings) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s (connect timeout)";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + settings.requestTimeout().toSeconds() + " s (request timeout; property "
                    + ServerSettings.TIMEOUT_PROPERTY + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host " + settings.url().getHost();
            }
            if (t instanceof SSLException ssl) {
                String m = String.valueOf(ssl.getMessage());
                return m.contains("PKIX") || m.contains("certification path")
                        ? "its TLS certificate is not trusted by this Java runtime (add its CA to the truststore)"
                        : "the TLS handshake failed";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null) {
                return t.getMessage().toLowerCase(Locale.ROOT) + " (is the server running and listening on "
                        + settings.url().getHost() + ":" + port(settings.url()) + "?)";
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused (is the server running and listening on " + settings.url().getHost() + ":"
                    + port(settings.url()) + "?)";
        }
        return message(e);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** An exception's message without class names; a generic phrase when it has none. */
    private static String message(Throwable e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null || m.isBlank() ? "the connection failed" : m;
    }

    private static String queryString(Map<String, Object> values) {
        String q = values.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(text(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    /** A converted parameter value as the server's {@link QueryParameter#convert} reads it back. */
    private static String text(Object value) {
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        return value.toString();
    }

    @Override
    public boolean next() throws JRException {
        try {
            row = reader.next();
            return row != null;
        } catch (IOException e) {
            throw new JRException("the answer of the CLV server at " + server + " to query " + query + " broke off after "
                    + reader.rows() + " rows: " + message(e));
        }
    }

    @Override
    public Object getFieldValue(JRField field) throws JRException {
        Integer i = columnIndex.get(field.getName().toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new JRException("clv query " + query + " has no column " + field.getName() + " (the server at " + server
                    + " answered " + reader.columns().stream().map(QueryRowsJson.Column::name).collect(Collectors.joining(", ")) + ")");
        }
        Object v = row[i];
        if (v == null) {
            return null;
        }
        try {
            return convert(v, field.getValueClass());
        } catch (RuntimeException e) {
            throw new JRException("field " + field.getName() + " of class " + field.getValueClassName() + " cannot hold the value \""
                    + v + "\" of query " + query);
        }
    }

    /** {@code v} (a value of {@link QueryRowsJson.Reader#next}) as {@code type}, as JDBC would give it. */
    static Object convert(Object v, Class<?> type) {
        if (type == null || type == Object.class) {
            return natural(v);
        }
        if (type == String.class) {
            return v.toString();
        }
        if (v instanceof Number n) {
            if (type == Double.class) {
                return n.doubleValue();
            }
            if (type == Long.class) {
                return n.longValue();
            }
            if (type == Integer.class) {
                return n.intValue();
            }
            if (type == Float.class) {
                return n.floatValue();
            }
            if (type == Short.class) {
                return n.shortValue();
            }
            if (type == Byte.class) {
                return n.byteValue();
            }
            if (type == BigDecimal.class) {
                return n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            }
            if (type == BigInteger.class) {
                return n instanceof BigInteger b ? b : new BigDecimal(n.toString()).toBigInteger();
            }
            if (type == Boolean.class) {
                return n.doubleValue() != 0;
            }
        }
        if (v instanceof LocalDate d) {
            if (type == Timestamp.class) {
                return Timestamp.valueOf(d.atStartOfDay());
            }
            if (type == java.sql.Date.class || type == java.util.Date.class) {
                return java.sql.Date.valueOf(d);
            }
        }
        if (v instanceof LocalDateTime t) {
            if (type == Timestamp.class || type == java.util.Date.class) {
                return Timestamp.valueOf(t);
            }
            if (type == java.sql.Date.class) {
                return java.sql.Date.valueOf(t.toLocalDate());
            }
            if (type == LocalDate.class) {
                return t.toLocalDate();
            }
        }
        if (type.isInstance(v)) {
            return v;
        }
        Object n = natural(v);
        if (type.isInstance(n)) {
            return n;
        }
        throw new IllegalArgumentException("no conversion to " + type.getName());
    }

    private static Object natural(Object v) {
        if (v instanceof LocalDate d) {
            return java.sql.Date.valueOf(d);
        }
        if (v instanceof LocalDateTime t) {
            return Timestamp.valueOf(t);
        }
        return v;
    }

    /** Stops reading: the rest of the answer is dropped with the connection. */
    @Override
    public void close() {
        closeQuietly(reader);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the answer is abandoned; nothing to keep
        }
    }
}
