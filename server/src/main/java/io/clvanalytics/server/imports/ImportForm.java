package io.clvanalytics.server.imports;

import io.clvanalytics.engine.ingest.Field;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.server.web.HttpError;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin's choices for one import, as the preview form sends them: the column of each field and
 * the options of {@code clv import} (same names and values). Validated once here, from allowlists;
 * the engine then applies them.
 *
 * @param explicitMapping false until the admin submitted the mapping: the engine's recognition applies
 * @param mapping         field → column; an empty column leaves the field out ("not in the file")
 * @param delimiter       {@code ""} (detect), {@code ,} {@code ;} {@code |} {@code tab} or {@code whitespace}
 * @param header          {@code ""} (detect), {@code yes} or {@code no}
 * @param dateFormat      {@code ""} (detect) or a pattern such as {@code dd/MM/yyyy}, {@code %d/%m/%Y}, {@code iso}
 * @param decimal         {@code .} or {@code ,}, or empty to detect it
 * @param onError         {@code fail} (nothing imported if a row is bad) or {@code skip}
 * @param missingCustomer {@code reject} or {@code guest}
 * @param duplicates      {@code keep} or {@code reject}
 * @param currency        {@code ""} or a three-letter code for files without a currency column
 */
public record ImportForm(boolean explicitMapping, Map<Field, String> mapping, String delimiter, String header, String dateFormat,
                         String decimal, String onError, String missingCustomer, String duplicates, String currency) {

    public static final List<String> DELIMITERS = List.of("", ",", ";", "|", "tab", "whitespace");
    public static final List<String> HEADERS = List.of("", "yes", "no");
    /** Decimal separators offered: detected ({@code ""}), point, comma. */
    public static final List<String> DECIMALS = List.of("", ".", ",");
    public static final List<String> ON_ERROR = List.of("fail", "skip");
    public static final List<String> MISSING_CUSTOMER = List.of("reject", "guest");
    public static final List<String> DUPLICATES = List.of("keep", "reject");
    private static final int MAX_DATE_FORMAT = 40;

    public ImportForm {
        mapping = Collections.unmodifiableMap(mapping.isEmpty() ? new EnumMap<>(Field.class) : new EnumMap<>(mapping));
    }

    /** Every choice left to detection, the engine's defaults for the rest. */
    public static ImportForm detected() {
        return new ImportForm(false, Map.of(), "", "", "", "", "fail", "reject", "keep", "");
    }

    /**
     * The form posted in {@code ctx}, for a file whose preview showed {@code columns} under {@code previous}.
     * When the layout changed (delimiter or header), the mapping goes back to recognition: the columns are others.
     *
     * @throws HttpError 400 naming the field whose value is not one the form offers
     */
    public static ImportForm parse(Context ctx, List<String> columns, ImportForm previous) {
        String delimiter = oneOf(ctx, "delimiter", DELIMITERS, "");
        String header = oneOf(ctx, "header", HEADERS, "");
        boolean sameLayout = delimiter.equals(previous.delimiter()) && header.equals(previous.header());
        Map<Field, String> mapping = new EnumMap<>(Field.class);
        boolean explicit = sameLayout && ctx.formParam("map_" + Field.CUSTOMER_ID.key()) != null;
        if (explicit) {
            for (Field f : Field.values()) {
                String column = value(ctx, "map_" + f.key());
                if (!column.isEmpty() && !columns.contains(column)) {
                    throw HttpError.badField("map_" + f.key(), f.key() + ": '" + column + "' is not a column of the file");
                }
                mapping.put(f, column);
            }
        }
        String dateFormat = value(ctx, "date_format");
        if (dateFormat.length() > MAX_DATE_FORMAT) {
            throw HttpError.badField("date_format", "date_format: at most " + MAX_DATE_FORMAT + " characters");
        }
        String currency = value(ctx, "currency").toUpperCase(Locale.ROOT);
        if (!currency.isEmpty() && !currency.matches("[A-Z]{3}")) {
            throw HttpError.badField("currency", "currency: a three-letter code such as EUR, or empty");
        }
        return new ImportForm(explicit, mapping, delimiter, header, dateFormat, oneOf(ctx, "decimal", DECIMALS, ""),
                oneOf(ctx, "on_error", ON_ERROR, "fail"), oneOf(ctx, "missing_customer", MISSING_CUSTOMER, "reject"),
                oneOf(ctx, "duplicates", DUPLICATES, "keep"), currency);
    }

    /** The engine's options for importing {@code file} as chosen, rejects (under skip) to {@code rejects}. */
    public ImportOptions options(Path file, Path rejects) {
        ImportOptions.Builder b = ImportOptions.builder(file).rejectsFile(rejects)
                .onError(ImportOptions.OnError.valueOf(onError.toUpperCase(Locale.ROOT)))
                .missingCustomer(ImportOptions.MissingCustomer.valueOf(missingCustomer.toUpperCase(Locale.ROOT)))
                .duplicates(ImportOptions.Duplicates.valueOf(duplicates.toUpperCase(Locale.ROOT)));
        if (explicitMapping) {
            mapping.forEach((f, column) -> {
                if (column.isEmpty()) {
                    b.unmap(f);
                } else {
                    b.map(f, column);
                }
            });
        }
        switch (delimiter) {
            case "" -> { }
            case "tab" -> b.delimiter('\t');
            case "whitespace" -> b.whitespaceDelimited();
            default -> b.delimiter(delimiter.charAt(0));
        }
        if (!header.isEmpty()) {
            b.header(header.equals("yes"));
        }
        if (!decimal.isEmpty()) {
            b.decimalSeparator(decimal.charAt(0));
        }
        if (!dateFormat.isEmpty()) {
            b.dateFormat(dateFormat);
        }
        if (!currency.isEmpty()) {
            b.currency(currency);
        }
        return b.build();
    }

    private static String value(Context ctx, String field) {
        String v = ctx.formParam(field);
        return v == null ? "" : v.strip();
    }

    private static String oneOf(Context ctx, String field, List<String> allowed, String fallback) {
        String v = ctx.formParam(field);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw HttpError.badField(field, field + ": must be one of " + allowed.stream().map(a -> a.isEmpty() ? "(detect)" : a).toList());
        }
        return v;
    }
}
