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

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Replace the store with a backup written by `clv backup`, after verifying it (it opens,",
            "its schema version is known, every table matches the counts and checksums recorded at backup time).",
            "A bad backup is refused with exit code 2 and the store is left unchanged. Stop the server first.",
            "A backup of another store (each store has an id, recorded in its backups) needs --force."})
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "FILE", required = true, description = "Backup file to restore.")
    Path from;

    @Option(names = "--force", description = "Restore even when the backup is of another store, or records no store id.")
    boolean force;

    @Override
    public Integer call() {
        StoreBackup.RestoreReport r = StoreOperation.showing("restore: verifying " + from,
                () -> StoreBackup.restore(common.dbPath(), from, force));
        StoreOperation.print(common, spec, r, List.of(
                List.of("store", r.store()),
                List.of("store id", r.storeId()),
                List.of("restored from", r.backup()),
                List.of("backup made at", r.backupCreatedAt()),
                List.of("schema version", r.schemaVersion()),
                List.of("tables verified", r.tables()),
                List.of("customers", r.customers()),
                List.of("transactions", r.transactions()),
                List.of("seconds", String.format("%.1f", r.seconds()))));
        return ClvCli.EXIT_OK;
    }
}
