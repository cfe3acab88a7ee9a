package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreInfo;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what the store holds: row counts, date range, schema version.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.exists(common.dbPath())) {
            throw new io.clvanalytics.engine.DataValidationException(
                    "--db: store " + common.dbPath() + " does not exist (create it with `clv generate` or `clv import`)");
        }
        try (Engine engine = common.openEngine()) {
            StoreInfo info = StoreInfo.of(engine);
            var out = spec.commandLine().getOut();
            if (common.json()) {
                Output.json(out, info);
            } else {
                Output.table(out, List.of("what", "value"), List.of(
                        List.of("store", info.file()),
                        List.of("schema version", info.schemaVersion()),
                        List.of("customers", info.customers()),
                        List.of("products", info.products()),
                        List.of("transactions", info.transactions()),
                        List.of("returns", info.returns()),
                        List.of("first date", String.valueOf(info.firstDate())),
                        List.of("last date", String.valueOf(info.lastDate())),
                        List.of("import batches", info.importBatches()),
                        List.of("amounts", info.hasNoAmounts() ? "none (purchase log of customers and dates: spend models and money figures need amounts)"
                                : info.transactionsWithoutAmount() > 0 ? info.transactionsWithoutAmount() + " transactions without an amount" : "on every transaction")));
            }
            return ClvCli.EXIT_OK;
        }
    }
}
