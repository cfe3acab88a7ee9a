package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.ops.TransactionArchive;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Move transactions dated before DATE into a Parquet file (written, read back and checked",
            "before anything is deleted). They stay queryable through the view transactions_all; the table",
            "archives lists the files. Keep the files where they are written."})
final class ArchiveCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--before", paramLabel = "DATE", required = true, description = "Archive transactions dated before this day (yyyy-MM-dd).")
    LocalDate before;

    @Option(names = "--to", paramLabel = "DIR", description = "Folder for the Parquet files (default: archive/ beside the store).")
    Path to;

    @Override
    public Integer call() {
        TransactionArchive.Report r = StoreOperation.onStore(common, "archive: moving transactions before " + before,
                engine -> TransactionArchive.archive(engine, before, to == null ? TransactionArchive.defaultFolder(engine) : to));
        StoreOperation.print(common, spec, r, List.of(
                List.of("store", r.store()),
                List.of("before", r.before().toString()),
                List.of("file", r.file() == null ? "(nothing to archive)" : r.file()),
                List.of("rows archived", r.rows()),
                List.of("amount archived", r.amount().toPlainString()),
                List.of("dates archived", r.firstDate() == null ? "" : r.firstDate() + " to " + r.lastDate()),
                List.of("transactions left in the store", r.remainingTransactions()),
                List.of("rows in all archives", r.archivedTotal())));
        return ClvCli.EXIT_OK;
    }
}
