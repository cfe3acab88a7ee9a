package io.clvanalytics.engine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clvanalytics.engine.DataValidationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Row count and an order-independent checksum (sum of DuckDB's row hashes) of every table in one
 * database: what a backup records and a restore checks. {@code store_meta}'s backup-manifest row is left
 * out, since the manifest is written after the sums are taken.
 */
record TableSums(Map<String, Sum> tables) {

    static final String MANIFEST_KEY = "backup_manifest";

    record Sum(long rows, String checksum) {}

    /** The sums of every base table of database {@code catalog} (as named in this connection). */
    static TableSums of(Connection c, String catalog) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM duckdb_tables()"
                + " WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name")) {
            ps.setString(1, catalog);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        Map<String, Sum> sums = new TreeMap<>();
        try (Statement st = c.createStatement()) {
            for (String table : names) {
                String where = table.equals("store_meta") ? " WHERE t.key <> '" + MANIFEST_KEY + "'" : "";
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM "
                        + SqlText.identifier(catalog) + ".main." + SqlText.identifier(table) + " t" + where)) {
                    rs.next();
                    sums.put(table, new Sum(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        return new TableSums(sums);
    }

    long rows(String table) {
        Sum s = tables.get(table);
        return s == null ? 0 : s.rows();
    }

    ObjectNode toJson(ObjectMapper m) {
        ObjectNode n = m.createObjectNode();
        tables.forEach((name, s) -> n.putObject(name).put("rows", s.rows()).put("checksum", s.checksum()));
        return n;
    }

    /**
     * The sums a backup manifest records under {@code tables}; a manifest without them, or with a table lacking
     * its row count or checksum, is refused naming the missing part ({@code where} starts the message).
     */
    static TableSums fromJson(JsonNode manifest, String where) {
        JsonNode n = manifest == null ? null : manifest.get("tables");
        if (n == null || !n.isObject() || n.isEmpty()) {
            throw new DataValidationException(where + ": the backup manifest (store_meta key '" + MANIFEST_KEY
                    + "') has no table list (\"tables\"), so the backup cannot be verified and is not restored");
        }
        Map<String, Sum> sums = new TreeMap<>();
        n.fields().forEachRemaining(e -> {
            JsonNode rows = e.getValue().get("rows");
            JsonNode checksum = e.getValue().get("checksum");
            if (rows == null || !rows.canConvertToLong() || checksum == null || !checksum.isTextual()) {
                throw new DataValidationException(where + ": the backup manifest's entry for table " + e.getKey() + " lacks its "
                        + (rows == null || !rows.canConvertToLong() ? "row count (\"rows\")" : "checksum (\"checksum\")")
                        + ", so the backup cannot be verified and is not restored");
            }
            sums.put(e.getKey(), new Sum(rows.asLong(), checksum.asText()));
        });
        return new TableSums(sums);
    }

    /** The first difference from {@code expected}, or null when equal. */
    String firstDifference(TableSums expected) {
        for (var e : expected.tables.entrySet()) {
            Sum actual = tables.get(e.getKey());
            if (actual == null) {
                return "table " + e.getKey() + " is missing";
            }
            if (actual.rows() != e.getValue().rows()) {
                return "table " + e.getKey() + " has " + actual.rows() + " rows, the manifest says " + e.getValue().rows();
            }
            if (!actual.checksum().equals(e.getValue().checksum())) {
                return "table " + e.getKey() + " does not match its checksum (" + actual.checksum() + " != "
                        + e.getValue().checksum() + ")";
            }
        }
        for (String name : tables.keySet()) {
            if (!expected.tables.containsKey(name)) {
                return "table " + name + " is not in the manifest";
            }
        }
        return null;
    }
}
