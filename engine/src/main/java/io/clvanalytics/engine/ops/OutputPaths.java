package io.clvanalytics.engine.ops;

import io.clvanalytics.engine.DataValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one rule every command applies to a path it is about to write, before any work: the path must not be
 * the store, one of the store's companion files (its write-ahead log, DuckDB's temporary folder, a restore's
 * staged copy), an input of the same command, or an archive Parquet file. Paths are compared after following
 * symbolic links (and as the same file, for hard links), so another spelling of the store is refused too.
 * A refusal is a {@link DataValidationException} (exit code 2) naming the option, the path and the reason.
 *
 * <p>Whether an existing file may be replaced is each command's own rule, stated in its help (reports are
 * replaced atomically, backups never overwrite); this class only keeps the commands off files they were
 * never meant to touch.
 */
public final class OutputPaths {

    /** Files DuckDB and the restore keep beside a store, by suffix of the store's file name. */
    private static final List<String> STORE_COMPANIONS = List.of(".wal", ".tmp", StoreBackup.RESTORING_SUFFIX,
            StoreBackup.RESTORING_SUFFIX + ".wal", ".wal.before-restore");
    /** Names {@link TransactionArchive} gives its Parquet files (with or without the store's id). */
    static final Pattern ARCHIVE_FILE = Pattern.compile("transactions-([0-9a-f]{8}-)?\\d+-before-\\d{4}-\\d{2}-\\d{2}\\.parquet");

    private OutputPaths() {}

    /**
     * Refuses {@code output} (given with {@code option}) when writing the file would destroy the store at
     * {@code store}, one of its companion files, one of {@code inputs} (nulls are ignored) or an archive file,
     * or when it names a folder. A null {@code output} (the option was not given) passes.
     */
    public static void checkFile(String option, Path output, Path store, Path... inputs) {
        if (output == null) {
            return;
        }
        check(option, output, store, inputs);
        if (Files.isDirectory(output)) {
            throw refuse(option, output, "is a folder; name the file to write");
        }
        if (ARCHIVE_FILE.matcher(output.getFileName().toString()).matches()) {
            throw refuse(option, output, "is named like an archive Parquet file (the view transactions_all reads those);"
                    + " pick another name");
        }
    }

    /** Refuses {@code folder} (given with {@code option}) as a folder to write into, by the same rules. */
    public static void checkFolder(String option, Path folder, Path store, Path... inputs) {
        check(option, folder, store, inputs);
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw refuse(option, folder, "is a file, not a folder");
        }
    }

    private static void check(String option, Path output, Path store, Path... inputs) {
        Path out = canonical(output);
        Path db = canonical(store);
        if (same(out, db)) {
            throw refuse(option, output, "is the store itself (--db)");
        }
        for (String suffix : STORE_COMPANIONS) {
            Path companion = db.resolveSibling(db.getFileName() + suffix);
            if (same(out, companion) || out.startsWith(companion)) {
                throw refuse(option, output, "is a file the store keeps beside it (" + companion.getFileName() + ")");
            }
        }
        for (Path input : inputs) {
            if (input != null && same(out, canonical(input))) {
                throw refuse(option, output, "is also an input of this command (" + input + ")");
            }
        }
    }

    private static DataValidationException refuse(String option, Path output, String why) {
        return new DataValidationException(option + ": " + output.toAbsolutePath().normalize() + " " + why
                + "; nothing was written");
    }

    /** The absolute path with symbolic links of its existing part resolved. */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs)) {
                return abs.toRealPath();
            }
            Path parent = abs.getParent();
            if (parent != null && Files.exists(parent)) {
                return parent.toRealPath().resolve(abs.getFileName());
            }
        } catch (IOException e) {
            // unreadable: compare the path as written
        }
        return abs;
    }

    private static boolean same(Path a, Path b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
