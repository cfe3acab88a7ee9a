package io.clvanalytics.engine.jasper;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The wire format of the query API ({@link QueryApi}): the rows of one named query as JSON, written
 * row by row from a {@link ResultSet} and read row by row by the plugin, so neither side holds the
 * whole answer:
 * <pre>{"version": "0.1.0", "query": "customer_scores",
 *  "columns": [{"name": "customer", "type": "text"}, {"name": "clv", "type": "number"}, ...],
 *  "rows": [["C1", 812.5, ...], ...],
 *  "row_count": 2}</pre>
 * Types: {@code text}, {@code integer}, {@code number} (a double), {@code decimal}, {@code boolean},
 * {@code date} ({@code 2025-01-31}), {@code timestamp} (ISO local date-time). Doubles are written in
 * their shortest exact form, so they read back to the same value. When the query fails after rows
 * were sent, the answer ends with {@code "error"} instead of {@code row_count}.
 */
public final class QueryRowsJson {

    /** The type of a column, from its JDBC type. */
    public enum ColumnType {
        TEXT, INTEGER, NUMBER, DECIMAL, BOOLEAN, DATE, TIMESTAMP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ColumnType of(String label) {
            for (ColumnType t : values()) {
                if (t.label().equals(label)) {
                    return t;
                }
            }
            return TEXT;
        }

        static ColumnType ofJdbc(int sqlType) {
            return switch (sqlType) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
                case Types.FLOAT, Types.REAL, Types.DOUBLE -> NUMBER;
                case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
                case Types.BOOLEAN, Types.BIT -> BOOLEAN;
                case Types.DATE -> DATE;
                case Types.TIMESTAMP -> TIMESTAMP;
                default -> TEXT;
            };
        }
    }

    /** A column of the answer. */
    public record Column(String name, ColumnType type) {}

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Messages of a broken answer must not name the stream classes of the HTTP client.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private QueryRowsJson() {}

    /**
     * Writes the rows of {@code rs} (the named query {@code query}) to {@code out} and flushes it; returns the
     * row count. {@code escapes} may be null. When reading a row fails after the answer began, the answer is
     * closed with an {@code error} and the {@link SQLException} is rethrown for the caller to log.
     */
    public static long write(String query, ResultSet rs, OutputStream out, CharacterEscapes escapes) throws SQLException, IOException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        ColumnType[] types = new ColumnType[n];
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (escapes != null) {
                g.setCharacterEscapes(escapes);
            }
            g.writeStartObject();
            g.writeStringField("version", QueryApi.version());
            g.writeStringField("query", query);
            g.writeArrayFieldStart("columns");
            for (int i = 0; i < n; i++) {
                types[i] = ColumnType.ofJdbc(md.getColumnType(i + 1));
                g.writeStartObject();
                g.writeStringField("name", md.getColumnLabel(i + 1));
                g.writeStringField("type", types[i].label());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            long rows = 0;
            int column = -1;
            try {
                while (rs.next()) {
                    g.writeStartArray();
                    for (column = 0; column < n; column++) {
                        writeValue(g, rs, column + 1, types[column]);
                    }
                    g.writeEndArray();
                    column = -1;
                    rows++;
                }
            } catch (SQLException e) {
                if (column >= 0) {
                    // complete the broken row, so the reader gets to the error below
                    for (; column < n; column++) {
                        g.writeNull();
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeStringField("error", "the query failed on the server after " + rows + " rows (the server logged why)");
                g.writeEndObject();
                g.flush();
                throw e;
            }
            g.writeEndArray();
            g.writeNumberField("row_count", rows);
            g.writeEndObject();
            g.flush();
            return rows;
        }
    }

    private static void writeValue(JsonGenerator g, ResultSet rs, int i, ColumnType type) throws SQLException, IOException {
        switch (type) {
            case INTEGER -> {
                Object v = rs.getObject(i);
                if (v == null) {
                    g.writeNull();
                } else if (v instanceof BigInteger b) {
                    g.writeNumber(b);
                } else {
                    g.writeNumber(((Number) v).longValue());
                }
            }
            case NUMBER -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeNumber(v); // non-finite values come out as "NaN" / "Infinity" strings
                }
            }
            case DECIMAL -> {
                BigDecimal v = rs.getBigDecimal(i);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(i);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeBoolean(v);
                }
            }
            case DATE -> {
                LocalDate v = rs.getObject(i, LocalDate.class);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeString(v.toString());
                }
            }
            case TIMESTAMP -> {
                LocalDateTime v = rs.getObject(i, LocalDateTime.class);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeString(v.toString());
                }
            }
            case TEXT -> {
                String v = rs.getString(i);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeString(v);
                }
            }
        }
    }

    /** Thrown when an answer is not in this format or ends early; the message says what was wrong, without internals. */
    public static final class BrokenAnswer extends IOException {
        BrokenAnswer(String message) {
            super(message);
        }
    }

    /**
     * Reads an answer row by row from {@code in}: the header (version, columns) at once, then one row per
     * {@link #next()}. Values come as {@link String}, {@link Long} or {@link BigInteger}, {@link Double},
     * {@link BigDecimal}, {@link Boolean}, {@link LocalDate} and {@link LocalDateTime}, by column type.
     */
    public static Reader read(InputStream in) throws IOException {
        return new Reader(FACTORY.createParser(in));
    }

    /** An answer being read; close it to release the stream. */
    public static final class Reader implements Closeable {
        private final JsonParser p;
        private final String version;
        private final String query;
        private final List<Column> columns;
        private long rows;
        private boolean done;

        private Reader(JsonParser p) throws IOException {
            this.p = p;
            expect(p.nextToken() == JsonToken.START_OBJECT, "it is not a JSON object");
            String v = null;
            String q = null;
            List<Column> cols = null;
            while (true) {
                JsonToken t = p.nextToken();
                expect(t == JsonToken.FIELD_NAME, "the rows are missing");
                String field = p.currentName();
                p.nextToken();
                if (field.equals("rows")) {
                    expect(p.currentToken() == JsonToken.START_ARRAY, "rows is not an array");
                    break;
                }
                switch (field) {
                    case "version" -> v = p.getValueAsString();
                    case "query" -> q = p.getValueAsString();
                    case "columns" -> cols = columns(p);
                    default -> p.skipChildren();
                }
            }
            expect(cols != null, "the columns are missing");
            this.version = v;
            this.query = q;
            this.columns = List.copyOf(cols);
        }

        private static List<Column> columns(JsonParser p) throws IOException {
            expect(p.currentToken() == JsonToken.START_ARRAY, "columns is not an array");
            List<Column> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                String type = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("name")) {
                        name = p.getValueAsString();
                    } else if (f.equals("type")) {
                        type = p.getValueAsString();
                    } else {
                        p.skipChildren();
                    }
                }
                expect(name != null, "a column has no name");
                out.add(new Column(name, ColumnType.of(type)));
            }
            return out;
        }

        /** The CLV version the server wrote (null when absent). */
        public String version() {
            return version;
        }

        /** The query the server answered. */
        public String query() {
            return query;
        }

        public List<Column> columns() {
            return columns;
        }

        /** Rows read so far. */
        public long rows() {
            return rows;
        }

        /** The next row (one value per column, null for SQL NULL), or null after the last one. */
        public Object[] next() throws IOException {
            if (done) {
                return null;
            }
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                done = true;
                trailer();
                return null;
            }
            expect(t == JsonToken.START_ARRAY, "row " + (rows + 1) + " is not an array");
            Object[] row = new Object[columns.size()];
            int i = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                expect(t != null && i < row.length, "row " + (rows + 1) + " has more values than columns");
                row[i] = value(t, columns.get(i).type());
                i++;
            }
            expect(i == row.length, "row " + (rows + 1) + " has " + i + " values for " + row.length + " columns");
            rows++;
            return row;
        }

        private void trailer() throws IOException {
            Long count = null;
            String error = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("row_count")) {
                    count = p.getLongValue();
                } else if (f.equals("error")) {
                    error = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
            if (error != null) {
                throw new BrokenAnswer(error);
            }
            expect(t == JsonToken.END_OBJECT && count != null, "it ends without its row count");
            expect(count == rows, "it announced " + count + " rows and sent " + rows);
        }

        private Object value(JsonToken t, ColumnType type) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            try {
                return switch (type) {
                    case INTEGER -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
                    case NUMBER -> t == JsonToken.VALUE_STRING ? Double.valueOf(p.getText()) : p.getDoubleValue();
                    case DECIMAL -> p.getDecimalValue();
                    case BOOLEAN -> p.getBooleanValue();
                    case DATE -> LocalDate.parse(p.getText());
                    case TIMESTAMP -> LocalDateTime.parse(p.getText());
                    case TEXT -> p.getValueAsString();
                };
            } catch (RuntimeException e) {
                throw new BrokenAnswer("row " + (rows + 1) + " has a value that is not a " + type.label() + ": " + p.getText());
            }
        }

        private static void expect(boolean ok, String what) throws BrokenAnswer {
            if (!ok) {
                throw new BrokenAnswer("the answer is not the CLV query format: " + what);
            }
        }

        @Override
        public void close() throws IOException {
            p.close();
        }
    }
}
