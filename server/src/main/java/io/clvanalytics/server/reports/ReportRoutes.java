package io.clvanalytics.server.reports;

import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportTemplate;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The report templates: each one's parameters as a form, the HTML view inside the app (in a
 * sandboxed frame with its own CSP: Jasper's HTML needs inline styles, never scripts) and downloads
 * named after what and when ({@code customer-list-2026-12-05.xlsx}).
 */
public final class ReportRoutes {

    /** The in-app HTML view of the customer list stops here: above it the page says to download XLSX or CSV (streamed). */
    static final long HTML_VIEW_MAX_CUSTOMERS = 5_000;

    /** The report frame's policy: Jasper's inline styles and embedded images, nothing else; framed by our pages only. */
    static final String FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private ReportRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/reports", ctx -> deps.views().send(ctx, "reports/list.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                "templates", Arrays.asList(ReportTemplate.values()))), Role.SIGNED_IN);
        app.get("/reports/{name}", ctx -> form(ctx, deps), Role.SIGNED_IN);
        app.get("/reports/{name}/{format}", ctx -> render(ctx, deps), Role.SIGNED_IN);
    }

    private static ReportTemplate template(Context ctx) {
        String name = ctx.pathParam("name");
        return ReportTemplate.named(name).orElseThrow(() -> HttpError.notFound("There is no report called " + name + "."));
    }

    private static void form(Context ctx, ServerDeps deps) {
        ReportTemplate t = template(ctx);
        boolean view = ctx.queryParam("view") != null;
        ReportForm form = ReportForm.of(t, deps.store().reportParameters(t), ctx, view);
        String tooBig = view ? tooBigToView(deps, t) : null;
        deps.views().send(ctx, "reports/form.jte", Map.of("page", PageContext.of(ctx, deps.store()), "form", form,
                "view", view && tooBig == null, "note", tooBig == null ? "" : tooBig));
    }

    private static String tooBigToView(ServerDeps deps, ReportTemplate t) {
        if (t != ReportTemplate.CUSTOMER_LIST) {
            return null;
        }
        long customers = deps.store().row("kpis", Map.of()).map(r -> r.count("customers")).orElse(0L);
        return customers > HTML_VIEW_MAX_CUSTOMERS ? "The customer list has " + customers + " customers, too many to view in the"
                + " browser (the view stops at " + HTML_VIEW_MAX_CUSTOMERS + "): filter it, or download XLSX or CSV, which are"
                + " written row by row however long the list is." : null;
    }

    private static void render(Context ctx, ServerDeps deps) {
        ReportTemplate t = template(ctx);
        String f = ctx.pathParam("format");
        ReportFormat format = ReportFormat.named(f).orElseThrow(() -> HttpError.badField("format",
                "format must be one of " + ReportFormat.names()));
        ReportForm form = ReportForm.of(t, deps.store().reportParameters(t), ctx, true);
        if (format == ReportFormat.HTML && tooBigToView(deps, t) != null) {
            throw new HttpError(413, "too_large", tooBigToView(deps, t), null);
        }
        Path tmp = null;
        try {
            // Written to a private temporary file first: a failure midway sends an error page, not half a file.
            tmp = Files.createTempFile("clv-report-", "." + format.extension());
            try (OutputStream out = Files.newOutputStream(tmp)) {
                deps.store().renderReport(t, format, form.values(), out);
            }
            ctx.status(200);
            ctx.contentType(format.contentType());
            if (format == ReportFormat.HTML) {
                ctx.header("Content-Security-Policy", FRAME_CSP);
                ctx.header("X-Frame-Options", "SAMEORIGIN");
            } else {
                ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(t, format, LocalDate.now(deps.clock())) + "\"");
            }
            ctx.header("Content-Length", Long.toString(Files.size(tmp)));
            ctx.result(Files.newInputStream(tmp, StandardOpenOption.DELETE_ON_CLOSE));
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary folder is cleaned by the system
                }
            }
        }
    }

    /** {@code customer-list-2026-12-05.xlsx}: what and when. */
    static String fileName(ReportTemplate t, ReportFormat format, LocalDate day) {
        return t.templateName() + "-" + day + "." + format.extension();
    }

    /** The formats offered as downloads, in button order. */
    public static List<ReportFormat> downloads() {
        return List.of(ReportFormat.PDF, ReportFormat.XLSX, ReportFormat.CSV);
    }
}
