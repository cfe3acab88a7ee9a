package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.ingest.Field;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.ImportResult;
import io.clvanalytics.engine.ingest.Importer;
import io.clvanalytics.engine.ingest.StagedBatchCheck;
import io.clvanalytics.engine.ops.OutputPaths;
import io.clvanalytics.engine.quality.DataQuality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Import transactions from CSV (any delimiter, blanks included, header or none, gzip), Parquet or XLSX.",
            "All or nothing: with --on-error fail (the default) any bad row refuses the file, exit code 2,",
            "and the first bad rows are listed as file:line:column: rule (value).",
            "Re-importing a file already imported changes nothing; a later file appends."},
        footer = {"", "Fields for --map: customer_id, date, amount, quantity, unit_price, order_id, product_id,",
            "product_name, category, subcategory, country, currency, customer_name, segment.",
            "Without --map, common column names are recognised (CustomerID, Customer ID, InvoiceNo, Order Date,",
            "InvoiceDate, Quantity, UnitPrice, Sales, dollar_value, StockCode, Description, Product Name, Country ...).",
            "",
            "Examples:",
            "  clv import ../shared/data/cdnow/CDNOW_master.txt",
            "  clv import --on-error skip ../shared/data/online_retail/online_retail.csv.gz",
            "  clv import --no-header --map customer_id=1 --map date=3 --map quantity=4 --map amount=5 CDNOW_sample.txt"})
final class ImportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRANSACTIONS_FILE", description = "CSV/TXT (.gz), Parquet or XLSX file of transactions.")
    Path file;

    @Option(names = "--customers", paramLabel = "FILE",
            description = "Customers file (id; optional name, country, segment). Transactions must then name known customers.")
    Path customersFile;

    @Option(names = "--products", paramLabel = "FILE",
            description = "Products file (id; optional name, category, subcategory). Transactions must then name known products.")
    Path productsFile;

    @Option(names = "--map", paramLabel = "FIELD=COLUMN",
            description = "Map a field to a column by name, or by 1-based position when the file has no header (repeatable).")
    Map<String, String> map = new LinkedHashMap<>();

    @Option(names = "--delimiter", paramLabel = "D",
            description = "Column delimiter: a character, 'tab', or 'whitespace' for runs of blanks (default: detected).")
    String delimiter;

    @Option(names = "--header", negatable = true, description = "Line 1 is (--header) or is not (--no-header) a header (default: detected).")
    Boolean header;

    @Option(names = "--date-format", paramLabel = "PATTERN",
            description = "Date format such as yyyyMMdd, dd/MM/yy, yyyy-MM-dd HH:mm:ss, a strptime pattern, or iso (default: detected).")
    String dateFormat;

    @Option(names = "--decimal-separator", paramLabel = "C", description = "'.' or ',' for numbers such as 12,50 (default: detected from the first rows; ',' only when a comma cannot be a thousands separator).")
    Character decimalSeparator;

    @Option(names = "--on-error", paramLabel = "POLICY", description = "fail (default): import nothing if any row is bad; skip: import good rows, write bad ones to the rejects file.")
    String onError = "fail";

    @Option(names = "--rejects", paramLabel = "FILE", description = "Rejects file for --on-error skip (default: STORE.rejects/batch-ID-TIME.csv beside the store).")
    Path rejects;

    @Option(names = "--duplicates", paramLabel = "POLICY", description = "keep (default): import lines that repeat an earlier line exactly, and count them; reject: treat the repeats as bad rows.")
    String duplicates = "keep";

    @Option(names = "--missing-customer", paramLabel = "POLICY", description = "reject (default): a row without a customer id is a bad row;"
            + " guest: import it as a guest purchase (no customer; counted in product analytics, left out of customer analytics).")
    String missingCustomer = "reject";

    @Option(names = "--non-product-codes", paramLabel = "REGEX", description = "Product codes that are not goods (postage, fees, discounts). Default: ${DEFAULT-VALUE}")
    String nonProductCodes = ImportOptions.DEFAULT_NON_PRODUCT_CODES;

    @Option(names = "--cancellations", paramLabel = "REGEX", description = "Order ids of cancellations, imported as returns. Default: ${DEFAULT-VALUE}")
    String cancellations = ImportOptions.DEFAULT_CANCELLATION_ORDERS;

    @Option(names = "--currency", paramLabel = "CODE", description = "Currency of the amounts when the file has no currency column (e.g. GBP).")
    String currency;

    @Option(names = "--sheet", paramLabel = "NAME", description = "XLSX sheet to read (default: the first).")
    String sheet;


    ImportCommand() {
    }

    @Override
    public Integer call() {
        options(); // refuse bad options before the store is opened or created
        OutputPaths.checkFile("--rejects", rejects, common.dbPath(), file, customersFile, productsFile);
        for (Path input : new Path[] {file, customersFile, productsFile}) {
            if (input != null && !Files.isRegularFile(input)) {
                throw new DataValidationException(input + ": file not found");
            }
        }
        Path db = common.dbPath();
        boolean newStore = !Files.exists(db);
        Progress progress = Progress.onTerminal();
        ImportResult r;
        try {
            try (Engine engine = common.openEngine()) {
                limitMemory(engine);
                // the data-quality hard rules (with this store's settings) refuse a batch before commit, or with
                // --on-error skip reject the rows breaking them
                ImportOptions options = options(DataQuality.of(engine).batchChecks());
                r = Importer.into(engine).withStages(stage -> progress.update(stage, 0, 0)).run(options);
            } finally {
                progress.done();
            }
        } catch (RuntimeException e) {
            if (newStore) {
                deleteNewStore(db); // a refused first import leaves no empty store behind
            }
            throw e;
        }
        print(r);
        return ClvCli.EXIT_OK;
    }

    /** Peak memory of the import process stays bounded: DuckDB spills to disk past the limit (set by CLV_MEMORY_LIMIT). */
    private static void limitMemory(Engine engine) {
        String env = System.getenv("CLV_MEMORY_LIMIT");
        if (env != null && !env.isBlank()) {
            return; // the engine applied it
        }
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '" + ClvCli.IMPORT_MEMORY_LIMIT + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set DuckDB's memory limit: " + e.getMessage(), e);
        }
    }

    /** Removes the store file this command created and the files DuckDB keeps beside it. */
    private static void deleteNewStore(Path db) {
        for (Path p : new Path[] {db, db.resolveSibling(db.getFileName() + ".wal")}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // leave it: the refusal itself is what the user must see
            }
        }
    }

    ImportOptions options(StagedBatchCheck... checks) {
        ImportOptions.Builder b = ImportOptions.builder(file).customers(customersFile).products(productsFile);
        for (StagedBatchCheck check : checks) {
            b.check(check);
        }
        map.forEach((field, column) -> b.map(Field.byKey(field).orElseThrow(() -> new DataValidationException(
                "--map " + field + "=" + column + ": unknown field '" + field + "'")), column));
        if (delimiter != null) {
            switch (delimiter.toLowerCase(Locale.ROOT)) {
                case "whitespace", "blank", "blanks" -> b.whitespaceDelimited();
                case "tab", "\\t" -> b.delimiter('\t');
                default -> {
                    if (delimiter.length() != 1) {
                        throw new DataValidationException("--delimiter: one character, 'tab' or 'whitespace' (was '" + delimiter + "')");
                    }
                    b.delimiter(delimiter.charAt(0));
                }
            }
        }
        if (header != null) {
            b.header(header);
        }
        if (dateFormat != null) {
            b.dateFormat(dateFormat);
        }
        if (decimalSeparator != null) {
            if (decimalSeparator != '.' && decimalSeparator != ',') {
                throw new DataValidationException("--decimal-separator: '.' or ',' (was '" + decimalSeparator + "')");
            }
            b.decimalSeparator(decimalSeparator);
        }
        b.onError(policy("--on-error", onError, ImportOptions.OnError.class));
        b.duplicates(policy("--duplicates", duplicates, ImportOptions.Duplicates.class));
        b.missingCustomer(policy("--missing-customer", missingCustomer, ImportOptions.MissingCustomer.class));
        try {
            b.nonProductCodes(nonProductCodes).cancellationOrders(cancellations);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new DataValidationException("--non-product-codes/--cancellations: not a regular expression: " + e.getMessage());
        }
        b.rejectsFile(rejects).currency(currency).sheet(sheet);
        return b.build();
    }

    private static <E extends Enum<E>> E policy(String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new DataValidationException(option + ": unknown policy '" + value + "' (one of "
                + String.join(", ", java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()) + ")");
    }

    private void print(ImportResult r) {
        var out = spec.commandLine().getOut();
        if (common.json()) {
            Output.json(out, r);
            return;
        }
        if (r.rowsRead() == 0 && !r.alreadyImported()) {
            out.println(r.file() + ": 0 rows (the file holds no data rows); nothing imported, no batch recorded.");
            out.flush();
            return;
        }
        if (r.alreadyImported()) {
            out.println(r.file() + " was already imported as batch " + r.batchId() + " (same content, sha256 "
                    + r.sha256().substring(0, 12) + "...); nothing changed.");
            out.flush();
            return;
        }
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("file", r.file()));
        rows.add(List.of("format", r.format()));
        rows.add(List.of("columns", r.mapping().toString()));
        rows.add(List.of("date format", r.dateFormat()));
        if (r.decimalSeparator() != null) {
            rows.add(List.of("decimal separator", "'" + r.decimalSeparator() + "'"));
        }
        rows.add(List.of("batch", r.batchId()));
        rows.add(List.of("rows read", r.rowsRead()));
        rows.add(List.of("rows imported", r.rowsImported()));
        rows.add(List.of("rows rejected", r.rowsRejected()));
        r.rejectedByRule().forEach((rule, n) -> rows.add(List.of("  " + rule, n)));
        rows.add(List.of("exact duplicate lines", r.duplicateLines()));
        rows.add(List.of("returns (imported)", r.returns()));
        if (r.guestLines() > 0) {
            rows.add(List.of("guest lines (no customer id)", r.guestLines()));
        }
        rows.add(List.of("customers created", r.customersCreated()));
        rows.add(List.of("products created", r.productsCreated() + (r.nonProductCodes() > 0 ? " (" + r.nonProductCodes() + " non-product codes)" : "")));
        if (r.rejectsFile() != null) {
            rows.add(List.of("rejects file", r.rejectsFile()));
        }
        rows.add(List.of("seconds", String.format(Locale.ROOT, "%.1f", r.seconds())));
        Output.table(out, List.of("import", "value"), rows);
    }
}
