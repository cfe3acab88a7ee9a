package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.ops.StoreBackup;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a consistent copy of the store to a new file (checkpoint first, then one snapshot).",
            "Row counts and checksums of every table are recorded in it, so `clv restore` can verify it.",
            "The store's id is recorded too: restoring it over another store needs `clv restore --force`.",
            "Archive Parquet files are not included: back up the archive folder with it.",
            "The backup file must not exist yet (a backup never replaces a file); it is written under",
            "FILE.clv-PID.partial and renamed when complete. Such files of killed backups are removed by the next backup."})
final class BackupCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", paramLabel = "FILE", required = true, description = "Backup file to create (must not exist).")
    Path to;

    @Override
    public Integer call() {
        StoreBackup.BackupReport r = StoreOperation.onStore(common, "backup: copying " + common.dbPath(),
                engine -> StoreBackup.backup(engine, to));
        StoreOperation.print(common, spec, r, List.of(
                List.of("store", r.store()),
                List.of("store id", r.storeId()),
                List.of("backup", r.backup()),
                List.of("schema version", r.schemaVersion()),
                List.of("bytes", r.bytes()),
                List.of("tables verified", r.tables()),
                List.of("customers", r.customers()),
                List.of("transactions", r.transactions()),
                List.of("seconds", String.format("%.1f", r.seconds()))));
        return ClvCli.EXIT_OK;
    }
}
