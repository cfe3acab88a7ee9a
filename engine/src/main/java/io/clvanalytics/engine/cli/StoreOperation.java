package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How the store-operation commands (backup, restore, archive, maintain) run: one progress line while
 * the work runs (cleared also when it fails), then the report as JSON with {@code --json}, otherwise
 * as a table.
 */
final class StoreOperation {

    private StoreOperation() {
    }

    /** Opens the existing store named by {@code --db} and runs {@code work} on it. */
    static <R> R onStore(CommonOptions common, String status, Function<Engine, R> work) {
        StoreFiles.requireExisting(common.dbPath());
        return showing(status, () -> {
            try (Engine engine = common.openEngine()) {
                return work.apply(engine);
            }
        });
    }

    /** Runs {@code work} while the terminal shows {@code status}. */
    static <R> R showing(String status, Supplier<R> work) {
        Progress progress = Progress.onTerminal();
        try {
            progress.update(status, 0, 0);
            return work.get();
        } finally {
            progress.done();
        }
    }

    /** Prints {@code report} as JSON with {@code --json}, otherwise as a two-column what/value table. */
    static void print(CommonOptions common, CommandSpec spec, Object report, List<List<?>> whatValue) {
        print(common, spec, report, List.of("what", "value"), whatValue);
    }

    /** Prints {@code report} as JSON with {@code --json}, otherwise as a table of {@code rows}. */
    static void print(CommonOptions common, CommandSpec spec, Object report, List<String> header, List<List<?>> rows) {
        if (common.json()) {
            Output.json(spec.commandLine().getOut(), report);
        } else {
            Output.table(spec.commandLine().getOut(), header, rows);
        }
    }
}
