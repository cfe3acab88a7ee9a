package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on the --db file shared by commands that work on an existing store. */
final class StoreFiles {

    private StoreFiles() {}

    /** Refuses a store file that does not exist (instead of silently creating an empty one). */
    static void requireExisting(Path db) {
        if (!Files.exists(db)) {
            throw new DataValidationException("--db: store " + db + " does not exist (create it with `clv generate` or `clv import`)");
        }
    }
}
