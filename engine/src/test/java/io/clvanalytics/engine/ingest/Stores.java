package io.clvanalytics.engine.ingest;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Helpers of the import tests: the command line as a user runs it, and what the store holds. */
final class Stores {

    private Stores() {}

    /** What one run of {@code clv} returned and printed. */
    record CliRun(int exitCode, String out, String err) {}

    static CliRun clv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    static long count(Path db, String sql) {
        try (Engine e = Engine.open(db)) {
            return count(e, sql);
        }
    }

    static long count(Engine e, String sql) {
        try (Connection c = e.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String text(Engine e, String sql) {
        try (Connection c = e.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Row counts and a content checksum of every table an import writes: equal strings = an unchanged store. */
    static String fingerprint(Path db) {
        try (Engine e = Engine.open(db)) {
            StringBuilder sb = new StringBuilder();
            for (String table : new String[] {"transactions", "customers", "products", "import_batches"}) {
                sb.append(table).append('=').append(text(e, "SELECT count(*) || '/' || coalesce(sum(hash(t)), 0) FROM " + table + " t")).append(' ');
            }
            return sb.toString().trim();
        }
    }
}
