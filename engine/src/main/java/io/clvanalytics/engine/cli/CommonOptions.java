package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand takes: the store and the output format. */
public final class CommonOptions {

    @Option(names = "--db", paramLabel = "PATH",
            description = "DuckDB store file (default: $CLV_DB, else data/clv.duckdb).")
    Path db;

    @Option(names = "--json", description = "Print machine-readable JSON instead of a table.")
    boolean json;

    /** The store file this invocation works on. */
    public Path dbPath() {
        return Engine.resolveDbPath(db);
    }

    public boolean json() {
        return json;
    }

    /** Opens the store named by {@code --db}. */
    public Engine openEngine() {
        return Engine.open(dbPath());
    }
}
