package io.clvanalytics.engine.jasper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import net.sf.jasperreports.engine.JRDataSource;
import net.sf.jasperreports.engine.JRDataset;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRParameter;
import net.sf.jasperreports.engine.JRPropertiesUtil;
import net.sf.jasperreports.engine.JRQuery;
import net.sf.jasperreports.engine.JRQueryChunk;
import net.sf.jasperreports.engine.JRResultSetDataSource;
import net.sf.jasperreports.engine.JRRuntimeException;
import net.sf.jasperreports.engine.JRValueParameter;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.query.JRQueryExecuter;
import org.duckdb.DuckDBDriver;

/**
 * Runs one {@code clv} query: parses the query text into a query name and {@code name=value}
 * bindings, binds the values to the named query's fixed SQL and streams the rows to the report.
 * The query text can only choose a query and supply values; {@code $P!{}} and {@code $X{}} (which
 * splice text into SQL in the {@code sql} language) are refused.
 *
 * <p>Rows come from a running CLV server when one is configured ({@link ServerSettings}: URL and API
 * token from a report parameter, a property or the environment), else from the store: the JDBC
 * connection or the store file ({@link ClvQueryExecuterFactory}).
 */
final class ClvQueryExecuter implements JRQueryExecuter {

    /** The JDBC URL form that opens a store read-only with DuckDB's driver (the README's form). */
    static final String STORE_URL_FORM = "jdbc:duckdb:/path/clv.duckdb;access_mode=READ_ONLY";

    private final JasperReportsContext context;
    private final JRDataset dataset;
    private final Map<String, ? extends JRValueParameter> parameters;
    private Connection ownedConnection;
    private PreparedStatement statement;
    private ResultSet resultSet;
    private volatile ServerRows serverRows;

    ClvQueryExecuter(JasperReportsContext context, JRDataset dataset, Map<String, ? extends JRValueParameter> parameters) {
        this.context = context;
        this.dataset = dataset;
        this.parameters = parameters;
    }

    /** A parsed query text: the query and its converted parameter values. */
    record Call(NamedQuery query, Map<String, Object> values) {}

    @Override
    public JRDataSource createDatasource() throws JRException {
        JRQuery query = dataset.getQuery();
        if (query == null) {
            throw new JRException("the clv query of dataset " + dataset.getName() + " is empty: name a query, e.g. customer_scores");
        }
        Call call = parse(query.getChunks(), this::parameterValue);
        Optional<ServerSettings> server = ServerSettings.resolve(this::givenValue,
                key -> JRPropertiesUtil.getInstance(context).getProperty(dataset, key), System.getenv());
        if (server.isPresent()) {
            serverRows = ServerRows.open(server.get(), call.query(), call.values());
            return serverRows;
        }
        Connection connection = connection();
        try {
            statement = connection.prepareStatement(call.query().jdbcSql());
            List<Object> values = call.query().bindValues(call.values());
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            resultSet = statement.executeQuery();
            return new JRResultSetDataSource(context, resultSet);
        } catch (SQLException e) {
            throw new JRException("clv query " + call.query().name() + " failed: " + e.getMessage(), e);
        }
    }

    /** The value of a parameter the dataset has (built-in or declared), else null. */
    private Object givenValue(String name) {
        JRValueParameter p = parameters.get(name);
        return p == null ? null : p.getValue();
    }

    private Object parameterValue(String name) {
        JRValueParameter p = parameters.get(name);
        if (p == null) {
            throw new JRRuntimeException("clv query of dataset " + dataset.getName() + " refers to $P{" + name
                    + "}, which the dataset does not declare");
        }
        return p.getValue();
    }

    /**
     * Parses query chunks: {@code NAME (key=VALUE)*} where VALUE is {@code $P{param}}, a word, or a
     * double-quoted string. Visible for tests.
     */
    static Call parse(JRQueryChunk[] chunks, java.util.function.Function<String, Object> parameterValues) {
        List<Object> items = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (JRQueryChunk chunk : chunks == null ? new JRQueryChunk[0] : chunks) {
            switch (chunk.getType()) {
                case JRQueryChunk.TYPE_TEXT -> {
                    text.append(chunk.getText());
                    for (char c : chunk.getText().toCharArray()) {
                        items.add(c);
                    }
                }
                case JRQueryChunk.TYPE_PARAMETER -> {
                    text.append("$P{").append(chunk.getText()).append('}');
                    items.add(new ParamRef(chunk.getText()));
                }
                default -> throw new JRRuntimeException("clv query \"" + text + "\": $P!{...} and $X{...} are not allowed;"
                        + " the clv language runs fixed queries and takes values as name=$P{parameter}");
            }
        }
        return new Parser(items, text.toString(), parameterValues).parse();
    }

    private record ParamRef(String name) {}

    private static final class Parser {
        private final List<Object> items;
        private final String text;
        private final java.util.function.Function<String, Object> parameterValues;
        private int pos;

        Parser(List<Object> items, String text, java.util.function.Function<String, Object> parameterValues) {
            this.items = items;
            this.text = text.strip();
            this.parameterValues = parameterValues;
        }

        Call parse() {
            skipSpace();
            String name = word();
            if (name.isEmpty()) {
                throw error("the query text must start with a query name (" + knownQueries() + ")");
            }
            NamedQuery query = NamedQueries.find(name)
                    .orElseThrow(() -> error("unknown query \"" + name + "\"; known queries: " + knownQueries()));
            Map<String, Object> values = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (pos >= items.size()) {
                    return new Call(query, values);
                }
                String key = word();
                if (key.isEmpty() || pos >= items.size() || !Character.valueOf('=').equals(items.get(pos))) {
                    throw error("expected name=value after \"" + name + "\"");
                }
                pos++;
                QueryParameter parameter = query.parameter(key).orElseThrow(() -> error("query " + name
                        + " has no parameter \"" + key + "\"; it takes " + (query.parameters().isEmpty() ? "none"
                        : query.parameters().stream().map(QueryParameter::name).collect(Collectors.joining(", ")))));
                if (values.containsKey(key)) {
                    throw error("parameter \"" + key + "\" is given twice");
                }
                Object raw = value();
                try {
                    values.put(key, parameter.convert(raw));
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
            }
        }

        private Object value() {
            if (pos < items.size() && items.get(pos) instanceof ParamRef ref) {
                pos++;
                if (pos < items.size() && !isSpace(items.get(pos))) {
                    throw error("$P{" + ref.name() + "} must be followed by a space or the end of the query");
                }
                return parameterValues.apply(ref.name());
            }
            StringBuilder sb = new StringBuilder();
            if (pos < items.size() && Character.valueOf('"').equals(items.get(pos))) {
                pos++;
                while (pos < items.size() && !Character.valueOf('"').equals(items.get(pos))) {
                    if (!(items.get(pos) instanceof Character c)) {
                        throw error("$P{...} cannot appear inside a quoted value");
                    }
                    sb.append(c);
                    pos++;
                }
                if (pos >= items.size()) {
                    throw error("unterminated quoted value");
                }
                pos++;
                return sb.toString();
            }
            while (pos < items.size() && items.get(pos) instanceof Character c && !Character.isWhitespace(c)) {
                sb.append(c);
                pos++;
            }
            if (pos < items.size() && items.get(pos) instanceof ParamRef) {
                throw error("a value cannot mix text and $P{...}");
            }
            return sb.toString();
        }

        private String word() {
            StringBuilder sb = new StringBuilder();
            while (pos < items.size() && items.get(pos) instanceof Character c
                    && (Character.isLetterOrDigit(c) || c == '_')) {
                sb.append(c);
                pos++;
            }
            return sb.toString();
        }

        private void skipSpace() {
            while (pos < items.size() && isSpace(items.get(pos))) {
                pos++;
            }
        }

        private static boolean isSpace(Object o) {
            return o instanceof Character c && Character.isWhitespace(c);
        }

        private JRRuntimeException error(String rule) {
            return new JRRuntimeException("clv query \"" + text + "\": " + rule);
        }

        private static String knownQueries() {
            return NamedQueries.all().stream().map(NamedQuery::name).collect(Collectors.joining(", "));
        }
    }

    private Connection connection() throws JRException {
        Object supplied = parameters.containsKey(JRParameter.REPORT_CONNECTION)
                ? parameters.get(JRParameter.REPORT_CONNECTION).getValue() : null;
        if (supplied instanceof Connection c) {
            requireClvSchema(c);
            return c;
        }
        String store = storePath();
        if (store == null || store.isBlank()) {
            throw new JRException("the clv query language needs a store: a DuckDB JDBC connection (REPORT_CONNECTION,"
                    + " e.g. a JDBC data source " + STORE_URL_FORM + "), the store file in parameter "
                    + ClvQueryExecuterFactory.STORE_PARAMETER + ", or property " + ClvQueryExecuterFactory.STORE_PROPERTY);
        }
        Path file = Path.of(store);
        if (!Files.isRegularFile(file)) {
            throw new JRException("clv store " + file.toAbsolutePath() + " does not exist");
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try {
            // The driver class directly, not DriverManager: in a web application the caller's class
            // loader may not see drivers registered by another one.
            ownedConnection = new DuckDBDriver().connect("jdbc:duckdb:" + file.toAbsolutePath(), readOnly);
        } catch (SQLException e) {
            throw new JRException("cannot open clv store " + file.toAbsolutePath() + " read-only: " + e.getMessage(), e);
        }
        requireClvSchema(ownedConnection);
        return ownedConnection;
    }

    /**
     * Refuses a database that is not a CLV store (no {@code schema_migrations} table): typically a JDBC URL the
     * driver read as a new file name (with DuckDB's driver 2.0, {@code jdbc:duckdb:/path/clv.duckdb?...} creates an
     * empty file named {@code clv.duckdb?...}), which would otherwise fail later with "Table ... does not exist".
     */
    static void requireClvSchema(Connection c) throws JRException {
        String sql = "SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()"
                + " AND table_name = 'schema_migrations'), (SELECT path FROM duckdb_databases() WHERE database_name = current_database())";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) == 0) {
                String path = rs.getString(2);
                throw new JRException("the clv query language needs a CLV store, and the database of this connection ("
                        + (path == null || path.isBlank() ? "in memory" : path) + ") has no CLV schema. Name the store file in the"
                        + " JDBC URL and open it read-only: " + STORE_URL_FORM + " (DuckDB's driver takes settings after ';';"
                        + " with '?' it opens a new, empty file of that whole name)");
            }
        } catch (SQLException e) {
            throw new JRException("the clv query language needs a DuckDB connection to a CLV store; this one cannot be"
                    + " checked: " + e.getMessage(), e);
        }
    }

    private String storePath() {
        JRValueParameter p = parameters.get(ClvQueryExecuterFactory.STORE_PARAMETER);
        if (p != null && p.getValue() != null) {
            return p.getValue().toString();
        }
        return JRPropertiesUtil.getInstance(context).getProperty(dataset, ClvQueryExecuterFactory.STORE_PROPERTY);
    }

    @Override
    public void close() {
        closeQuietly(serverRows);
        serverRows = null;
        closeQuietly(resultSet);
        closeQuietly(statement);
        closeQuietly(ownedConnection);
        resultSet = null;
        statement = null;
        ownedConnection = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Closing after the report is filled: nothing left to protect.
            }
        }
    }

    @Override
    public boolean cancelQuery() throws JRException {
        ServerRows rows = serverRows;
        if (rows != null) {
            rows.close();
            return true;
        }
        PreparedStatement s = statement;
        if (s == null) {
            return false;
        }
        try {
            s.cancel();
            return true;
        } catch (SQLException e) {
            throw new JRException("cancelling the clv query failed: " + e.getMessage(), e);
        }
    }
}
