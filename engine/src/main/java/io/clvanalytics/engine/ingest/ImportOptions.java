package io.clvanalytics.engine.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to import and how. Built with {@link #builder(Path)}; every setting has a default that
 * suits the common exports (auto-detected delimiter, header, column mapping and date format).
 */
public final class ImportOptions {

    /** What to do with rows that break a rule. */
    public enum OnError {
        /** Nothing is committed when any row is bad (the default). */
        FAIL,
        /** Good rows are committed, bad ones go to the rejects file with their reason. */
        SKIP
    }

    /** What to do with a line that repeats an earlier line of the same file exactly. */
    public enum Duplicates {
        /** Import it (it may be a genuine repeat purchase) and count it in the summary (the default). */
        KEEP,
        /** Treat the repeats as bad rows (rule "exact duplicate line"); the first occurrence is imported. */
        REJECT
    }

    /** What to do with a row without a customer id. */
    public enum MissingCustomer {
        /** The row breaks the rule "missing customer id" (the default: customer analytics need the customer). */
        REJECT,
        /**
         * Import it as a guest purchase: {@code transactions.customer_id} is NULL, no customer is created.
         * Product metrics, baskets and store revenue include guest lines; customer analyses leave them out.
         */
        GUEST
    }

    /** Stock codes of lines that are not goods (postage, fees, discounts, manual adjustments, vouchers). */
    public static final String DEFAULT_NON_PRODUCT_CODES =
            "(?i)POST|DOT|M|D|S|B|C2|CRUK|PADS|BANK CHARGES|AMAZONFEE|ADJUST\\d*|TEST\\d*|gift_.*";
    /** Order ids of cancellations, as in UCI Online Retail ({@code C536379}). */
    public static final String DEFAULT_CANCELLATION_ORDERS = "C\\d+";

    private final Path transactions;
    private Path customers;
    private Path products;
    private final Map<Field, String> mapping = new EnumMap<>(Field.class);
    private final java.util.Set<Field> unmapped = java.util.EnumSet.noneOf(Field.class);
    private Character delimiter;
    private boolean whitespaceDelimited;
    private Boolean header;
    private String dateFormat;
    private Character decimalSeparator;
    private OnError onError = OnError.FAIL;
    private Duplicates duplicates = Duplicates.KEEP;
    private MissingCustomer missingCustomer = MissingCustomer.REJECT;
    private Path rejectsFile;
    private Pattern nonProductCodes = Pattern.compile(DEFAULT_NON_PRODUCT_CODES);
    private Pattern cancellationOrders = Pattern.compile(DEFAULT_CANCELLATION_ORDERS);
    private String currency;
    private String sheet;
    private final List<StagedBatchCheck> checks = new ArrayList<>();

    private ImportOptions(Path transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions file");
    }

    /** Options to import {@code transactionsFile} with every default. */
    public static Builder builder(Path transactionsFile) {
        return new Builder(new ImportOptions(transactionsFile));
    }

    public Path transactions() { return transactions; }
    /** A file of customers (id, and optionally name, country, segment), or null. Transactions must then name known customers. */
    public Path customers() { return customers; }
    /** A file of products (id, and optionally name, category, subcategory), or null. Transactions must then name known products. */
    public Path products() { return products; }
    /** Explicit mappings field → source column (a header name, or a 1-based position for files without one). */
    public Map<Field, String> mapping() { return Collections.unmodifiableMap(mapping); }
    /** Fields left out even where a column has one of their usual names (a mapping form's "not in the file"). */
    public java.util.Set<Field> unmapped() { return Collections.unmodifiableSet(unmapped); }
    /** The delimiter, or null to detect it. */
    public Character delimiter() { return delimiter; }
    /** Columns separated by runs of spaces or tabs (such as CDNOW). */
    public boolean whitespaceDelimited() { return whitespaceDelimited; }
    /** Whether line 1 is a header, or null to detect it. */
    public Boolean header() { return header; }
    /** Date format ({@code yyyyMMdd}, {@code dd/MM/yy}, strptime {@code %d/%m/%y}, or {@code iso}), or null to detect it. */
    public String dateFormat() { return dateFormat; }
    /** {@code '.'} or {@code ','} as given, or null to detect it from the first rows' numbers. */
    public Character decimalSeparator() { return decimalSeparator; }
    public OnError onError() { return onError; }
    public Duplicates duplicates() { return duplicates; }
    public MissingCustomer missingCustomer() { return missingCustomer; }
    /** Where rejects go with {@link OnError#SKIP}, or null for {@code <store>.rejects/batch-<id>-<time>.csv} beside the store. */
    public Path rejectsFile() { return rejectsFile; }
    public Pattern nonProductCodes() { return nonProductCodes; }
    public Pattern cancellationOrders() { return cancellationOrders; }
    /** Currency written on every transaction when the file has no currency column, or null. */
    public String currency() { return currency; }
    /** XLSX sheet name, or null for the first sheet. */
    public String sheet() { return sheet; }
    public List<StagedBatchCheck> checks() { return Collections.unmodifiableList(checks); }

    /** Sets options; {@link #build()} returns the finished, immutable-by-contract options. */
    public static final class Builder {
        private final ImportOptions o;

        private Builder(ImportOptions o) {
            this.o = o;
        }

        public Builder customers(Path file) { o.customers = file; return this; }
        public Builder products(Path file) { o.products = file; return this; }
        public Builder map(Field field, String column) { o.mapping.put(field, column); o.unmapped.remove(field); return this; }
        /** Leaves {@code field} unmapped even where a column carries one of its usual names. */
        public Builder unmap(Field field) { o.unmapped.add(field); o.mapping.remove(field); return this; }
        public Builder delimiter(char delimiter) { o.delimiter = delimiter; o.whitespaceDelimited = false; return this; }
        public Builder whitespaceDelimited() { o.whitespaceDelimited = true; o.delimiter = null; return this; }
        public Builder header(boolean hasHeader) { o.header = hasHeader; return this; }
        public Builder dateFormat(String format) { o.dateFormat = format; return this; }
        public Builder decimalSeparator(char separator) {
            if (separator != '.' && separator != ',') {
                throw new IllegalArgumentException("decimal separator must be '.' or ',' (was '" + separator + "')");
            }
            o.decimalSeparator = separator;
            return this;
        }
        public Builder onError(OnError policy) { o.onError = Objects.requireNonNull(policy); return this; }
        public Builder duplicates(Duplicates policy) { o.duplicates = Objects.requireNonNull(policy); return this; }
        public Builder missingCustomer(MissingCustomer policy) { o.missingCustomer = Objects.requireNonNull(policy); return this; }
        public Builder rejectsFile(Path file) { o.rejectsFile = file; return this; }
        public Builder nonProductCodes(String regex) { o.nonProductCodes = Pattern.compile(regex); return this; }
        public Builder cancellationOrders(String regex) { o.cancellationOrders = Pattern.compile(regex); return this; }
        public Builder currency(String code) { o.currency = code; return this; }
        public Builder sheet(String name) { o.sheet = name; return this; }
        public Builder check(StagedBatchCheck check) { o.checks.add(Objects.requireNonNull(check)); return this; }

        public ImportOptions build() {
            return o;
        }
    }
}
