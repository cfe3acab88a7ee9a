package io.clvanalytics.engine.jasper;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The built-in report templates: the only templates the rendering service accepts (an allowlist;
 * templates are never uploaded). Sources live in the clv-report-templates jar as
 * {@code io/clvanalytics/reports/NAME.jrxml}; the engine build compiles them to
 * {@code io/clvanalytics/reports/compiled/NAME.jasper}, so a broken template fails the build.
 */
public enum ReportTemplate {
    EXECUTIVE_SUMMARY("executive-summary", "CLV executive summary",
            "KPIs, CLV distribution, top customers, CLV by segment and the model run used"),
    CUSTOMER_LIST("customer-list", "Customer list",
            "every customer with CLV, expected purchases, P(alive), segment, risk and action; parameters segment, risk, minClv"),
    CUSTOMER_PROFILE("customer-profile", "Customer profile",
            "one customer (parameter customer): history, predictions, segment and recommendation"),
    RETENTION("retention", "Retention",
            "cohort retention matrix, survival curve and the at-risk list with actions"),
    PRODUCT_PERFORMANCE("product-performance", "Product performance and lifecycle",
            "product metrics with ABC class and lifecycle stage, revenue trends and related products"),
    DATA_QUALITY("data-quality", "Data quality",
            "the latest quality run's results and the quality score's history"),
    MODEL_DIAGNOSTICS("model-diagnostics", "Model diagnostics",
            "fitted model runs, calibration against the holdout period and tracking of repeat purchases");

    /** Classpath folder of the JRXML sources (clv-report-templates jar). */
    public static final String SOURCE_FOLDER = "io/clvanalytics/reports/";
    /** Classpath folder of the compiled templates (engine jar). */
    public static final String COMPILED_FOLDER = "io/clvanalytics/reports/compiled/";

    private final String templateName;
    private final String title;
    private final String description;

    ReportTemplate(String templateName, String title, String description) {
        this.templateName = templateName;
        this.title = title;
        this.description = description;
    }

    /** The name users pass to {@code clv report --template}. */
    public String templateName() {
        return templateName;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** Classpath resource of the JRXML source. */
    public String sourceResource() {
        return SOURCE_FOLDER + templateName + ".jrxml";
    }

    /** Classpath resource of the compiled template. */
    public String compiledResource() {
        return COMPILED_FOLDER + templateName + ".jasper";
    }

    /** The template called {@code name} (exactly, case-insensitive), if it is one of ours. */
    public static Optional<ReportTemplate> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.templateName.equals(n)).findFirst();
    }

    /** The names of every template, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(ReportTemplate::templateName).collect(Collectors.joining(", "));
    }
}
