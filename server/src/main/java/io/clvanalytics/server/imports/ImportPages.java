package io.clvanalytics.server.imports;

import io.clvanalytics.engine.ingest.Field;
import io.clvanalytics.engine.ingest.ImportPreview;
import io.clvanalytics.engine.ingest.ImportProblem;
import io.clvanalytics.server.store.Jobs;
import io.clvanalytics.server.web.PageContext;
import io.clvanalytics.server.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The import pages' templates and view records. */
public final class ImportPages {

    /** Errors listed per page of a refused import. */
    public static final int ERRORS_PER_PAGE = 50;

    /**
     * The upload form.
     *
     * @param maxBytes the largest file accepted
     * @param error    why the last upload was refused, empty if none was
     */
    public record UploadView(long maxBytes, String error) {
        public String maxSize() {
            return size(maxBytes);
        }
    }

    /**
     * The preview of an upload with its mapping form.
     *
     * @param upload  the upload
     * @param preview what the import would read; empty when the file cannot be read so ({@code error} says why)
     * @param error   why the file cannot be read as chosen, empty if it can
     */
    public record PreviewView(Uploads.Upload upload, Optional<ImportPreview> preview, String error) {
        public ImportForm form() {
            return upload.form();
        }

        /** The fields of the mapping form, in the order of {@link Field}. */
        public List<Field> fields() {
            return List.of(Field.values());
        }

        /** The column {@code field} is mapped from, empty when none. */
        public String column(Field field) {
            return preview.map(p -> p.mapping().getOrDefault(field, "")).orElse("");
        }

        public String label(Field field) {
            return ImportPages.label(field);
        }

        public String size() {
            return ImportPages.size(upload.bytes());
        }
    }

    /**
     * An import's progress or outcome.
     *
     * @param upload  the upload
     * @param job     its import job
     * @param seconds how long the job has run
     * @param errors  the refused rows on this page (empty unless refused)
     * @param page    the page of errors shown, from 1
     * @param pages   how many pages of errors there are
     */
    public record ResultView(Uploads.Upload upload, Jobs.Job job, long seconds, List<ImportProblem> errors, int page, int pages) {
        public boolean hasRejects() {
            return upload.rejects().isPresent();
        }

        public long firstErrorNumber() {
            return (long) (page - 1) * ERRORS_PER_PAGE + 1;
        }
    }

    private final Views views;

    ImportPages(Views views) {
        this.views = views;
    }

    void upload(Context ctx, PageContext page, UploadView view) {
        views.send(ctx, "imports/upload.jte", Map.of("page", page, "view", view));
    }

    void preview(Context ctx, PageContext page, PreviewView view) {
        views.send(ctx, "imports/preview.jte", Map.of("page", page, "view", view));
    }

    void result(Context ctx, PageContext page, ResultView view) {
        views.send(ctx, "imports/result.jte", Map.of("page", page, "view", view));
    }

    void status(Context ctx, ResultView view) {
        views.send(ctx, "imports/status.jte", Map.of("view", view));
    }

    /** {@code customer_id} as "Customer id". */
    static String label(Field field) {
        String words = field.key().replace('_', ' ');
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    /** A byte count in words: "200 MB", "12.5 KB". */
    static String size(long bytes) {
        if (bytes >= 1024L * 1024) {
            return trim(bytes / (1024.0 * 1024)) + " MB";
        }
        return bytes >= 1024 ? trim(bytes / 1024.0) + " KB" : bytes + " bytes";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
