package io.clvanalytics.server.reports;

import io.clvanalytics.engine.jasper.ReportRenderer.TemplateParameter;
import io.clvanalytics.engine.jasper.ReportTemplate;
import io.clvanalytics.server.web.HttpError;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A report template's parameters as a form, and the values a request gave them, checked with the
 * same rules the form states in the browser ({@code required}, {@code type=number}, {@code type=date},
 * {@code maxlength}).
 *
 * @param template   the template
 * @param parameters what it takes
 * @param values     the values given, by parameter name (blank ones left out)
 */
public record ReportForm(ReportTemplate template, List<TemplateParameter> parameters, Map<String, String> values) {

    static final int MAX_TEXT = 200;

    /** The form of {@code template} filled from the query string of {@code ctx}, validated. */
    static ReportForm of(ReportTemplate template, List<TemplateParameter> parameters, Context ctx, boolean checkRequired) {
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParameter p : parameters) {
            String v = ctx.queryParam(p.name());
            v = v == null ? "" : v.trim();
            if (v.isEmpty()) {
                if (checkRequired && p.required()) {
                    throw HttpError.badField(p.name(), p.name() + " is required");
                }
                continue;
            }
            if (v.length() > MAX_TEXT) {
                throw HttpError.badField(p.name(), p.name() + " must be at most " + MAX_TEXT + " characters");
            }
            try {
                switch (inputType(p)) {
                    case "number" -> {
                        if (p.type().equals("Integer") || p.type().equals("Long")) {
                            Long.parseLong(v);
                        } else {
                            Double.parseDouble(v);
                        }
                    }
                    case "date" -> LocalDate.parse(v);
                    default -> { }
                }
            } catch (RuntimeException e) {
                throw HttpError.badField(p.name(), p.name() + " must be " + (inputType(p).equals("date") ? "a date (yyyy-mm-dd)" : "a number"));
            }
            values.put(p.name(), v);
        }
        return new ReportForm(template, parameters, Map.copyOf(values));
    }

    /** The HTML input type of a parameter. */
    public static String inputType(TemplateParameter p) {
        return switch (p.type()) {
            case "Integer", "Long", "Double", "BigDecimal", "Float" -> "number";
            case "Date", "LocalDate" -> "date";
            default -> "text";
        };
    }

    /** The {@code step} of a number input: whole numbers for integer types. */
    public static String step(TemplateParameter p) {
        return p.type().equals("Integer") || p.type().equals("Long") ? "1" : "any";
    }

    public String value(String name) {
        return values.getOrDefault(name, "");
    }

    /** The values as a query string ({@code a=1&b=x}), empty when none. */
    public String query() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The URL of the report in {@code format} ({@code html} for the in-app view). */
    public String url(String format) {
        String q = query();
        return "/reports/" + template.templateName() + "/" + format + (q.isEmpty() ? "" : "?" + q);
    }
}
