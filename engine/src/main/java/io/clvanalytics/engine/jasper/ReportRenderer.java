package io.clvanalytics.engine.jasper;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRParameter;
import net.sf.jasperreports.engine.JRRuntimeException;
import net.sf.jasperreports.engine.JRTextElement;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.SimpleJasperReportsContext;
import net.sf.jasperreports.engine.base.JRVirtualPrintPage;
import net.sf.jasperreports.engine.fill.JRSwapFileVirtualizer;
import net.sf.jasperreports.engine.util.JRLoader;
import net.sf.jasperreports.engine.util.JRSwapFile;
import net.sf.jasperreports.export.SimpleCsvMetadataReportConfiguration;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleHtmlExporterOutput;
import net.sf.jasperreports.export.SimpleHtmlReportConfiguration;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;
import net.sf.jasperreports.export.SimpleWriterExporterOutput;
import net.sf.jasperreports.export.SimpleXlsxExporterConfiguration;
import net.sf.jasperreports.export.SimpleXlsxReportConfiguration;
import net.sf.jasperreports.pdf.JRPdfExporter;
import net.sf.jasperreports.pdf.SimplePdfExporterConfiguration;

/**
 * The rendering service: a built-in template, parameters and a format in, the report written to a
 * stream out.
 *
 * <p>Contract:
 * <ul>
 *   <li>Only {@link ReportTemplate} names are accepted; templates come from the classpath, never
 *       from a file or an upload.</li>
 *   <li>Parameters are given as text and converted to the type the template declares; a name the
 *       template does not declare, a value that does not convert or a missing required parameter
 *       is a {@link DataValidationException} naming the parameter and the rule.</li>
 *   <li>Filled pages are swapped to a temporary file (a JasperReports virtualizer), so reports of
 *       100,000+ rows render in a small heap; the file is deleted afterwards.</li>
 *   <li>A list template ({@link #PAGED_LIST_PROPERTY}) goes to XLSX and CSV row by row from its query
 *       ({@link StreamedList}): the same sheet and columns without laying out pages.</li>
 *   <li>The JasperReports expression class filter is on for every fill.</li>
 *   <li>The header's generation time comes from the engine's clock.</li>
 * </ul>
 * Thread-safe: each call uses its own connection.
 */
public final class ReportRenderer {

    /** Template parameter filled with the generation time (java.util.Date, from the clock). */
    public static final String GENERATED_AT = "GENERATED_AT";
    /** Template parameter filled with the user's parameters as "name=value" text for the header. */
    public static final String PARAMETERS_TEXT = "PARAMETERS_TEXT";
    /** Template parameter filled with the symbol of the store's main currency (empty when it records none). */
    public static final String CURRENCY_SYMBOL = "CURRENCY_SYMBOL";
    /** Parameter property marking a parameter a template cannot do without. */
    public static final String REQUIRED_PROPERTY = "io.clvanalytics.required";

    /**
     * Report property of list templates: XLSX and CSV stream the rows from the query ({@link StreamedList});
     * other consumers of the template (HTML) fill it page by page, since small pages swap out cheaply and
     * one 100,000-row page would not.
     */
    public static final String PAGED_LIST_PROPERTY = "io.clvanalytics.paged.list";

    /**
     * Report property: the most detail rows the HTML of the template shows (one page in a browser; 100,000
     * customers made a 14 MB page). The template's summary says when the list was cut; other formats hold every row.
     */
    public static final String HTML_MAX_ROWS_PROPERTY = "io.clvanalytics.html.max.rows";

    private static final int PAGES_IN_MEMORY = 50;
    private static final String XLSX_EXCLUDE_PREFIX = "net.sf.jasperreports.export.xlsx.exclude.origin.";
    private static final String SHEET_NAMES = "net.sf.jasperreports.export.xls.sheet.names.all";
    private static final String CLASS_FILTER = "net.sf.jasperreports.report.class.filter.enabled";
    private static final String CLASS_WHITELIST_PREFIX = "net.sf.jasperreports.report.class.whitelist.";

    private final Engine engine;
    private final Clock clock;
    private final JasperReportsContext context;
    private final Map<ReportTemplate, JasperReport> compiled = new EnumMap<>(ReportTemplate.class);

    private ReportRenderer(Engine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
        this.context = secureContext();
    }

    /** A renderer over {@code engine}'s store, using its clock for the generation time. */
    public static ReportRenderer of(Engine engine) {
        Objects.requireNonNull(engine, "engine");
        return new ReportRenderer(engine, engine.clock());
    }

    /**
     * The JasperReports context every fill uses: the expression class filter on, and big pages
     * virtualised in chunks (one-page exports of long lists would otherwise sit in the heap whole).
     */
    static JasperReportsContext secureContext() {
        SimpleJasperReportsContext c = new SimpleJasperReportsContext(DefaultJasperReportsContext.getInstance());
        c.setProperty(CLASS_FILTER, "true");
        // The JVM's reflection accessors are loaded through the expression class loader after a
        // report class has been instantiated often; they are not reachable from expressions.
        c.setProperty(CLASS_WHITELIST_PREFIX + "clv.reflection", "jdk.internal.reflect.*");
        c.setProperty(JRVirtualPrintPage.PROPERTY_VIRTUAL_PAGE_ELEMENT_SIZE, "2000");
        c.setProperty("net.sf.jasperreports.text.measurer.factory", RepeatedTextMeasurerFactory.class.getName());
        // Element properties reach filled elements only under a registered prefix: the engine's PDF exporter reads these.
        c.setProperty("net.sf.jasperreports.print.transfer.clv", "io.clvanalytics.pdf.");
        // A text cut at its box keeps its whole value in the filled element: CSV and XLSX carry the
        // whole value (SafeExport.Xlsx), only the page formats (PDF, HTML) show what fits the box.
        c.setProperty(JRTextElement.PROPERTY_PRINT_KEEP_FULL_TEXT, "true");
        return c;
    }

    /** The parameters a user can set on {@code template}: name, type and description. */
    public List<TemplateParameter> parameters(ReportTemplate template) {
        JasperReport report = load(template);
        return userParameters(report).stream()
                .map(p -> new TemplateParameter(p.getName(), p.getValueClass().getSimpleName(),
                        Objects.requireNonNullElse(p.getDescription(), ""), isRequired(p)))
                .toList();
    }

    /** A parameter a user can set on a template. */
    public record TemplateParameter(String name, String type, String description, boolean required) {}

    /**
     * Fills {@code templateName} with {@code parameters} and writes it to {@code out} in {@code format}.
     * {@code out} is not closed.
     *
     * @throws DataValidationException for an unknown template or a bad parameter
     * @throws StoreException when the store cannot be read or the report cannot be produced
     */
    public RenderedReport render(String templateName, ReportFormat format, Map<String, String> parameters, OutputStream out) {
        ReportTemplate template = ReportTemplate.named(templateName).orElseThrow(() -> new DataValidationException(
                "--template: unknown template \"" + templateName + "\"; the templates are " + ReportTemplate.names()));
        Objects.requireNonNull(format, "format");
        JasperReport report = load(template);
        Map<String, Object> values = convert(template, report, parameters == null ? Map.of() : parameters);
        Path swapDir = null;
        JRSwapFileVirtualizer virtualizer = null;
        try (Connection connection = engine.connect()) {
            swapDir = Files.createTempDirectory("clv-report-");
            virtualizer = new JRSwapFileVirtualizer(PAGES_IN_MEMORY, new JRSwapFile(context, swapDir.toString(), 4096, 1024), true);
            values.put(JRParameter.REPORT_CONNECTION, connection);
            values.put(JRParameter.REPORT_VIRTUALIZER, virtualizer);
            boolean pagedList = "true".equals(report.getProperty(PAGED_LIST_PROPERTY))
                    && (format == ReportFormat.XLSX || format == ReportFormat.CSV);
            values.put(JRParameter.IS_IGNORE_PAGINATION, format.ignorePagination() && !pagedList);
            values.put(JRParameter.REPORT_LOCALE, Locale.US);
            values.put(JRParameter.REPORT_TIME_ZONE, TimeZone.getTimeZone(clock.getZone()));
            values.put(GENERATED_AT, Date.from(clock.instant()));
            values.put(PARAMETERS_TEXT, describe(parameters));
            values.put(CURRENCY_SYMBOL, currencySymbol(connection));
            String htmlMaxRows = report.getProperty(HTML_MAX_ROWS_PROPERTY);
            if (format == ReportFormat.HTML && htmlMaxRows != null) {
                values.put(JRParameter.REPORT_MAX_COUNT, Integer.valueOf(htmlMaxRows.strip()));
            }
            if (format == ReportFormat.XLSX && StreamedList.supports(report)) {
                return streamList(report, template, values, connection, out);
            }
            if (format == ReportFormat.CSV && StreamedList.supports(report)) {
                StreamedList.csv(report, values, connection, out);
                return new RenderedReport(template, format, 1);
            }
            JasperPrint print = JasperFillManager.getInstance(context).fill(report, values);
            virtualizer.setReadOnly(true);
            print.setName(template.title());
            if (pagedList) {
                print.setProperty(XLSX_EXCLUDE_PREFIX + "keep.first.band.clv1", "columnHeader");
                print.setProperty(XLSX_EXCLUDE_PREFIX + "band.clv2", "pageFooter");
                print.setProperty(XLSX_EXCLUDE_PREFIX + "band.clv3", "pageHeader");
            }
            export(print, template, format, out);
            return new RenderedReport(template, format, print.getPages().size());
        } catch (SQLException e) {
            throw new StoreException("cannot read store " + engine.file() + " for report " + template.templateName()
                    + ": " + e.getMessage(), e);
        } catch (JRException | JRRuntimeException e) {
            throw new StoreException("report " + template.templateName() + " (" + format.extension() + ") failed: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("report " + template.templateName() + ": " + e.getMessage(), e);
        } finally {
            if (virtualizer != null) {
                virtualizer.cleanup();
            }
            deleteQuietly(swapDir);
        }
    }

    /**
     * A list to XLSX: JasperReports fills the template for its first row only (the title band, with
     * its parameters, generation time and notes), the rows stream from the query into the sheet.
     */
    private RenderedReport streamList(JasperReport report, ReportTemplate template, Map<String, Object> values,
            Connection connection, OutputStream out) throws JRException, SQLException, IOException {
        Map<String, Object> head = new HashMap<>(values);
        head.remove(JRParameter.REPORT_VIRTUALIZER);
        head.put(JRParameter.IS_IGNORE_PAGINATION, true);
        head.put(JRParameter.REPORT_MAX_COUNT, 1);
        JasperPrint title = JasperFillManager.getInstance(context).fill(report, head);
        title.setName(template.title());
        String sheets = report.getProperty(SHEET_NAMES);
        String sheet = sheets == null || sheets.isBlank() ? template.title() : sheets.split("/")[0];
        StreamedList.xlsx(report, sheet, title, values, connection, out);
        return new RenderedReport(template, ReportFormat.XLSX, 1);
    }

    private void export(JasperPrint print, ReportTemplate template, ReportFormat format, OutputStream out) throws JRException {
        SimpleExporterInput input = new SimpleExporterInput(print);
        switch (format) {
            case HTML -> {
                SafeExport.Html exporter = new SafeExport.Html(context);
                exporter.setExporterInput(input);
                exporter.setExporterOutput(new SimpleHtmlExporterOutput(out, "UTF-8"));
                SimpleHtmlReportConfiguration rc = new SimpleHtmlReportConfiguration();
                rc.setEmbedImage(true);
                rc.setConvertSvgToImage(true);
                rc.setWhitePageBackground(true);
                rc.setWrapBreakWord(true);
                exporter.setConfiguration(rc);
                exporter.exportReport();
            }
            case PDF -> {
                JRPdfExporter exporter = new PlainTextPdfExporter(context);
                exporter.setExporterInput(input);
                exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(out));
                SimplePdfExporterConfiguration ec = new SimplePdfExporterConfiguration();
                ec.setMetadataTitle(template.title());
                ec.setMetadataCreator("CLV Analytics");
                ec.setDisplayMetadataTitle(true);
                exporter.setConfiguration(ec);
                exporter.exportReport();
            }
            case XLSX -> {
                SafeExport.Xlsx exporter = new SafeExport.Xlsx(context);
                exporter.setExporterInput(input);
                // Sheets of the non-list templates are small (a list streams through StreamedList): held in memory
                // so their number format ids can be moved out of Excel's built-in range on the way out.
                ByteArrayOutputStream workbook = new ByteArrayOutputStream();
                exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(workbook));
                SimpleXlsxReportConfiguration rc = new SimpleXlsxReportConfiguration();
                rc.setOnePagePerSheet(false);
                rc.setDetectCellType(true);
                rc.setRemoveEmptySpaceBetweenRows(true);
                rc.setRemoveEmptySpaceBetweenColumns(true);
                rc.setIgnorePageMargins(true);
                rc.setWhitePageBackground(false);
                rc.setCollapseRowSpan(true);
                rc.setIgnoreHyperlink(true);
                rc.setShowGridLines(true);
                exporter.setConfiguration(rc);
                SimpleXlsxExporterConfiguration ec = new SimpleXlsxExporterConfiguration();
                ec.setMetadataTitle(template.title());
                ec.setMetadataApplication("CLV Analytics");
                exporter.setConfiguration(ec);
                exporter.exportReport();
                try {
                    XlsxNumberFormats.renumber(workbook.toByteArray(), out);
                } catch (IOException e) {
                    throw new JRException("cannot write the workbook: " + e.getMessage(), e);
                }
            }
            case CSV -> {
                SafeExport.Csv exporter = new SafeExport.Csv(context);
                exporter.setExporterInput(input);
                exporter.setExporterOutput(new SimpleWriterExporterOutput(out, "UTF-8"));
                SimpleCsvMetadataReportConfiguration rc = new SimpleCsvMetadataReportConfiguration();
                rc.setWriteHeader(true);
                exporter.setConfiguration(rc);
                exporter.exportReport();
            }
        }
    }

    private JasperReport load(ReportTemplate template) {
        synchronized (compiled) {
            return compiled.computeIfAbsent(template, t -> {
                try (InputStream in = ReportRenderer.class.getClassLoader().getResourceAsStream(t.compiledResource())) {
                    if (in == null) {
                        throw new StoreException("compiled template " + t.compiledResource() + " is missing from the"
                                + " classpath; rebuild the engine jar (the build compiles the templates)");
                    }
                    return (JasperReport) JRLoader.loadObject(context, in);
                } catch (IOException | JRException e) {
                    throw new StoreException("cannot load template " + t.compiledResource() + ": " + e.getMessage(), e);
                }
            });
        }
    }

    private static List<JRParameter> userParameters(JasperReport report) {
        return Arrays.stream(report.getParameters())
                .filter(p -> !p.isSystemDefined() && p.isForPrompting())
                .toList();
    }

    private static boolean isRequired(JRParameter p) {
        return p.hasProperties() && "true".equals(p.getPropertiesMap().getProperty(REQUIRED_PROPERTY));
    }

    private static Map<String, Object> convert(ReportTemplate template, JasperReport report, Map<String, String> given) {
        Map<String, JRParameter> declared = userParameters(report).stream()
                .collect(Collectors.toMap(JRParameter::getName, p -> p, (a, b) -> a, TreeMap::new));
        Map<String, Object> values = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            JRParameter p = declared.get(e.getKey());
            if (p == null) {
                problems.add("--param " + e.getKey() + ": template " + template.templateName() + " has no such parameter; it takes "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())));
                continue;
            }
            try {
                values.put(p.getName(), convertValue(p.getValueClass(), e.getValue()));
            } catch (RuntimeException ex) {
                problems.add("--param " + e.getKey() + ": must be " + describeType(p.getValueClass()) + " (got \"" + e.getValue() + "\")");
            }
        }
        for (JRParameter p : declared.values()) {
            if (isRequired(p) && values.get(p.getName()) == null) {
                problems.add("--param " + p.getName() + ": template " + template.templateName() + " requires it ("
                        + Objects.requireNonNullElse(p.getDescription(), p.getName()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new DataValidationException(problems.get(0), problems);
        }
        return values;
    }

    private static Object convertValue(Class<?> type, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (type == String.class) {
            return text;
        }
        if (type == Double.class) {
            double d = Double.parseDouble(t);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException("not finite");
            }
            return d;
        }
        if (type == Integer.class) {
            return Integer.valueOf(t);
        }
        if (type == Long.class) {
            return Long.valueOf(t);
        }
        if (type == BigDecimal.class) {
            return new BigDecimal(t);
        }
        if (type == Boolean.class) {
            if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not a boolean");
            }
            return Boolean.valueOf(t);
        }
        if (type == java.sql.Date.class) {
            return java.sql.Date.valueOf(LocalDate.parse(t));
        }
        if (Date.class.isAssignableFrom(type)) {
            try {
                return java.sql.Date.valueOf(LocalDate.parse(t));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
        throw new IllegalArgumentException("parameters of type " + type.getName() + " cannot be given as text");
    }

    private static String describeType(Class<?> type) {
        if (type == Double.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (Date.class.isAssignableFrom(type)) {
            return "a date (yyyy-MM-dd)";
        }
        return "text";
    }

    private static String describe(Map<String, String> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return "defaults";
        }
        return parameters.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The symbol of the most used currency of the store's transactions; none (empty) when the store records no currency. */
    private static String currencySymbol(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT currency FROM transactions WHERE currency IS NOT NULL"
                        + " GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1")) {
            if (rs.next()) {
                try {
                    return Currency.getInstance(rs.getString(1).trim().toUpperCase(Locale.ROOT)).getSymbol(Locale.US);
                } catch (IllegalArgumentException unknownCode) {
                    return rs.getString(1).trim() + " ";
                }
            }
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind is cleaned by the OS; the report itself succeeded.
        }
    }
}
