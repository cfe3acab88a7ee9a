package io.clvanalytics.engine.jasper;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The output formats of the rendering service. */
public enum ReportFormat {
    /** One self-contained page: images inline as data URIs, no script. */
    HTML("html", "text/html; charset=UTF-8", true),
    /** Paginated, fonts embedded. */
    PDF("pdf", "application/pdf", false),
    /** Numeric and date cells with formats, a frozen header row, autofilter, one named sheet per section. */
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true),
    /** The report's main table, UTF-8, formula-like text neutralised. */
    CSV("csv", "text/csv; charset=UTF-8", true);

    private final String extension;
    private final String contentType;
    private final boolean ignorePagination;

    ReportFormat(String extension, String contentType, boolean ignorePagination) {
        this.extension = extension;
        this.contentType = contentType;
        this.ignorePagination = ignorePagination;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** Whether the report is filled as one long page (everything but PDF). */
    boolean ignorePagination() {
        return ignorePagination;
    }

    /** The format named {@code name} (its file extension, case-insensitive). */
    public static Optional<ReportFormat> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extension.equals(n)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(ReportFormat::extension).collect(Collectors.joining(", "));
    }
}
