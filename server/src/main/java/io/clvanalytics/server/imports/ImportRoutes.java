package io.clvanalytics.server.imports;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.ImportPreview;
import io.clvanalytics.engine.ingest.ImportProblem;
import io.clvanalytics.engine.ingest.ImportRefusedException;
import io.clvanalytics.engine.ingest.ImportResult;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Jobs;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data import by upload, for admins: upload a file (CSV or text, optionally gzip; Parquet; XLSX) into
 * the server's private upload folder, see the engine's preview of it (layout, mapping, date format,
 * first rows) with a form to change the mapping and the options of {@code clv import}, then import it
 * in the background with the engine's all-or-nothing rules. A refused import lists every bad row;
 * an import that skipped bad rows offers their rejects file.
 */
public final class ImportRoutes {

    private static final Logger LOG = LoggerFactory.getLogger("clv.import");
    /** Rows the preview shows. */
    static final int PREVIEW_ROWS = 20;
    /** Room for the multipart envelope around the file (boundaries, the other fields) in a request's length. */
    static final long ENVELOPE_BYTES = 64 * 1024;
    /** Extensions the engine's importer reads, longest first. */
    static final List<String> EXTENSIONS = List.of(".csv.gz", ".txt.gz", ".tsv.gz", ".csv", ".txt", ".tsv", ".parquet", ".xlsx");
    private static final String JOB = "Import of ";

    private ImportRoutes() {}

    public static void register(Javalin app, ServerDeps deps, Uploads uploads) {
        ImportPages pages = new ImportPages(deps.views());
        long max = deps.config().uploadMaxBytes();
        // Refuse an oversized upload by its declared length, before the gate parses the body for the CSRF token.
        app.before("/admin/import", ctx -> {
            if (ctx.method() == io.javalin.http.HandlerType.POST && ctx.contentLength() > max + ENVELOPE_BYTES) {
                throw tooLarge(max);
            }
        });
        app.get("/admin/import", ctx -> pages.upload(ctx, page(ctx, deps), new ImportPages.UploadView(max, "")), Role.ADMIN);
        app.post("/admin/import", ctx -> upload(ctx, deps, uploads, pages, max), Role.ADMIN);
        app.get("/admin/import/{id}", ctx -> preview(ctx, deps, find(ctx, uploads), pages), Role.ADMIN);
        app.post("/admin/import/{id}/preview", ctx -> {
            Uploads.Upload u = find(ctx, uploads);
            u.form(ImportForm.parse(ctx, u.columns(), u.form()));
            ctx.redirect("/admin/import/" + u.id(), HttpStatus.SEE_OTHER);
        }, Role.ADMIN);
        app.post("/admin/import/{id}/run", ctx -> run(ctx, deps, uploads, find(ctx, uploads)), Role.ADMIN);
        app.get("/admin/import/{id}/result", ctx -> pages.result(ctx, page(ctx, deps), result(ctx, deps, find(ctx, uploads))), Role.ADMIN);
        app.get("/admin/import/{id}/status", ctx -> {
            ImportPages.ResultView view = result(ctx, deps, find(ctx, uploads));
            if (view.job().finished()) {
                ctx.header("HX-Refresh", "true"); // the outcome needs the whole page (paged errors, summary)
            }
            pages.status(ctx, view);
        }, Role.ADMIN);
        app.get("/admin/import/{id}/rejects.csv", ctx -> rejects(ctx, find(ctx, uploads)), Role.ADMIN);
    }

    private static PageContext page(Context ctx, ServerDeps deps) {
        return PageContext.of(ctx, deps.store());
    }

    private static HttpError tooLarge(long max) {
        return new HttpError(413, "too_large", "The file is larger than the upload limit of " + ImportPages.size(max)
                + " (CLV_UPLOAD_MAX_MB); import larger files with clv import on the server.", "file");
    }

    /** The upload named by the path's id; 404 when it is unknown or expired. */
    private static Uploads.Upload find(Context ctx, Uploads uploads) {
        return uploads.find(ctx.pathParam("id")).orElseThrow(() -> HttpError.notFound(
                "No such upload: uploads are kept for an hour and forgotten when the server restarts. Upload the file again."));
    }

    private static void upload(Context ctx, ServerDeps deps, Uploads uploads, ImportPages pages, long max) {
        UploadedFile f = ctx.uploadedFile("file");
        if (f == null || f.filename() == null || f.filename().isBlank()) {
            throw HttpError.badField("file", "file: choose a file to upload");
        }
        if (f.size() > max) {
            throw tooLarge(max);
        }
        String name = displayName(f.filename());
        String lower = name.toLowerCase(Locale.ROOT);
        String ext = EXTENSIONS.stream().filter(lower::endsWith).findFirst().orElseThrow(() -> HttpError.badField("file",
                "file: '" + name + "' is not a file the import reads; upload a .csv, .txt or .tsv file (optionally"
                        + " gzipped, .csv.gz), a .parquet or an .xlsx file"));
        Uploads.Upload u;
        try (InputStream in = f.content()) {
            u = uploads.add(name, ext, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String refusal = ext.endsWith(".gz") || !ext.matches("\\.(csv|txt|tsv)") ? "" : binaryContent(u);
        if (refusal.isEmpty()) {
            try {
                u.columns(deps.store().previewImport(u.form().options(u.file(), null), PREVIEW_ROWS).columns());
            } catch (DataValidationException e) {
                refusal = u.hidePath(e.getMessage());
            }
        }
        if (!refusal.isEmpty()) {
            uploads.discard(u);
            ctx.status(400);
            pages.upload(ctx, page(ctx, deps), new ImportPages.UploadView(max, refusal));
            return;
        }
        LOG.info("event=upload id={} bytes={} by={}", u.id(), u.bytes(), CurrentUser.nameForLog(ctx));
        ctx.redirect("/admin/import/" + u.id(), HttpStatus.SEE_OTHER);
    }

    /** Why a text upload is refused when its start holds NUL bytes (a binary file named .csv), else empty. */
    private static String binaryContent(Uploads.Upload u) {
        byte[] head = new byte[8192];
        try (InputStream in = Files.newInputStream(u.file())) {
            int n = in.readNBytes(head, 0, head.length);
            for (int i = 0; i < n; i++) {
                if (head[i] == 0) {
                    return "file: '" + u.name() + "' is not a text file (it holds binary data); upload a CSV file, or a"
                            + " Parquet or XLSX file under its own extension";
                }
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser's file name without any folder, at most 100 characters (shown, never used as a path). */
    static String displayName(String filename) {
        String n = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1).strip();
        return n.length() <= 100 ? n : n.substring(n.length() - 100);
    }

    private static void preview(Context ctx, ServerDeps deps, Uploads.Upload u, ImportPages pages) {
        if (u.outcome().map(o -> o.result() != null).orElse(false) || u.running()) {
            ctx.redirect("/admin/import/" + u.id() + "/result", HttpStatus.SEE_OTHER);
            return;
        }
        Optional<ImportPreview> preview = Optional.empty();
        String error = "";
        try {
            ImportPreview p = deps.store().previewImport(u.form().options(u.file(), null), PREVIEW_ROWS);
            u.columns(p.columns());
            preview = Optional.of(p);
        } catch (DataValidationException e) {
            error = u.hidePath(e.getMessage());
        }
        pages.preview(ctx, page(ctx, deps), new ImportPages.PreviewView(u, preview, error));
    }

    private static void run(Context ctx, ServerDeps deps, Uploads uploads, Uploads.Upload u) {
        if (u.running() || u.outcome().map(o -> o.result() != null).orElse(false)) {
            ctx.redirect("/admin/import/" + u.id() + "/result", HttpStatus.SEE_OTHER);
            return;
        }
        ImportForm form = ImportForm.parse(ctx, u.columns(), u.form());
        u.form(form);
        ImportOptions options = form.options(u.file(), uploads.rejectsPath(u));
        u.outcome(null);
        u.rejects(null);
        u.running(true);
        String user = CurrentUser.nameForLog(ctx);
        try {
            Jobs.Job job = deps.jobs().start(JOB + u.name(), () -> importNow(deps, uploads, u, options, user));
            u.jobId(job.id());
        } catch (RuntimeException e) {
            u.running(false);
            throw e;
        }
        ctx.redirect("/admin/import/" + u.id() + "/result", HttpStatus.SEE_OTHER);
    }

    /** The import job: runs the engine's import and records its outcome on the upload; answers the job's message. */
    private static String importNow(ServerDeps deps, Uploads uploads, Uploads.Upload u, ImportOptions options, String user) {
        try {
            ImportResult r = deps.store().runImport(options);
            if (r.rejectsFile() != null) {
                u.rejects(Path.of(r.rejectsFile()));
            }
            u.outcome(new Uploads.Outcome(r, null, null));
            uploads.imported(u);
            LOG.info("event=import id={} batch={} imported={} rejected={} already={} by={}", u.id(), r.batchId(), r.rowsImported(),
                    r.rowsRejected(), r.alreadyImported(), user);
            return r.alreadyImported()
                    ? "this file was imported before (batch " + r.batchId() + "); nothing was changed."
                    : r.rowsImported() + " rows imported as batch " + r.batchId() + (r.rowsRejected() > 0
                            ? "; " + r.rowsRejected() + " bad rows were skipped (download them below)." : ".");
        } catch (ImportRefusedException e) {
            u.outcome(new Uploads.Outcome(null, e, null));
            LOG.info("event=import_refused id={} rejected={} by={}", u.id(), e.rowsRejected(), user);
            throw new DataValidationException(e.rowsRejected() + " of " + e.rowsRead() + " rows break the import rules;"
                    + " nothing was imported. Fix them in the file, change the mapping, or import with \"skip bad rows\".");
        } catch (DataValidationException e) {
            String message = u.hidePath(e.getMessage());
            u.outcome(new Uploads.Outcome(null, null, message));
            throw new DataValidationException(message);
        } finally {
            u.running(false);
        }
    }

    private static ImportPages.ResultView result(Context ctx, ServerDeps deps, Uploads.Upload u) {
        Jobs.Job job = u.jobId().flatMap(deps.jobs()::find).orElseThrow(() -> HttpError.notFound(
                "This upload has not been imported yet (or the server restarted since): open its preview to import it."));
        List<ImportProblem> all = u.outcome().map(Uploads.Outcome::refused).map(ImportRefusedException::rows).orElse(List.of());
        int pages = Math.max(1, (all.size() + ImportPages.ERRORS_PER_PAGE - 1) / ImportPages.ERRORS_PER_PAGE);
        int page = pageParam(ctx, pages);
        List<ImportProblem> shown = all.subList(Math.min(all.size(), (page - 1) * ImportPages.ERRORS_PER_PAGE),
                Math.min(all.size(), page * ImportPages.ERRORS_PER_PAGE));
        return new ImportPages.ResultView(u, job, job.seconds(deps.clock()), shown, page, pages);
    }

    private static int pageParam(Context ctx, int pages) {
        String p = ctx.queryParam("page");
        if (p == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(p);
            if (n < 1 || n > pages) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badField("page", "page: a whole number from 1 to " + pages);
        }
    }

    private static void rejects(Context ctx, Uploads.Upload u) throws IOException {
        Path file = u.rejects().filter(Files::isRegularFile).orElseThrow(() -> HttpError.notFound(
                "This import has no rejects file: it rejected no rows, or the upload expired."));
        String base = u.name().replaceAll("(?i)\\.(csv|txt|tsv|parquet|xlsx)(\\.gz)?$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + base + "-rejects.csv\"")
                .result(Files.newInputStream(file));
    }
}
