package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.PreparedStatement;

/**
 * Loads the CDNOW purchase logs (see shared/data/cdnow/SOURCE.md) into a store's customers and
 * transactions tables with DuckDB's CSV reader. Both files are whitespace-aligned: the sample has
 * no header and columns (master id, sample id, date, cds, dollars); the master has a header line
 * and columns (id, date, cds, dollars).
 */
final class Cdnow {

    private Cdnow() {}

    static void loadSample(Engine engine, Path file) {
        load(engine, file, false);
    }

    static void loadMaster(Engine engine, Path file) {
        load(engine, file, true);
    }

    private static void load(Engine engine, Path file, boolean master) {
        int dateField = master ? 2 : 3;
        int dollarField = master ? 4 : 5;
        String rows = "SELECT row_number() OVER () AS line, f[1]::BIGINT AS cid, strptime(f[" + dateField + "], '%Y%m%d')::DATE AS d,"
                + " f[" + dollarField + "]::DECIMAL(18,4) AS amount"
                + " FROM (SELECT string_split_regex(trim(line), '\\s+') AS f FROM read_csv(?, columns={'line': 'VARCHAR'},"
                + " delim='|', header=false, quote='', escape='') WHERE trim(line) <> '' AND trim(line) NOT LIKE 'customer_id%')";
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("CREATE TEMP TABLE cdnow AS " + rows)) {
                ps.setString(1, file.toString());
                ps.execute();
            }
            c.createStatement().execute("INSERT INTO customers(id, source_id) SELECT DISTINCT cid, lpad(cid::VARCHAR, 5, '0') FROM cdnow");
            c.createStatement().execute("INSERT INTO transactions(id, customer_id, date, amount, batch_id, source_line)"
                    + " SELECT line, cid, d, amount, 1, line FROM cdnow");
            c.createStatement().execute("DROP TABLE cdnow");
            return null;
        });
    }
}
