package io.clvanalytics.server.imports;

import io.clvanalytics.engine.ingest.ImportRefusedException;
import io.clvanalytics.engine.ingest.ImportResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files admins uploaded for import, in a private folder of the server (mode 0700, made at start,
 * deleted at stop). Each upload is known by a random id of 128 bits: the only handle pages get, so
 * no request can name a path. The uploaded file is deleted once it was imported; everything of an
 * upload (the file, its rejects) is deleted {@link #KEEP} after the upload unless an import of it is
 * running. The registry lives in memory: a restart forgets uploads (and deletes their folder).
 */
public final class Uploads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    /** How long an upload, its preview and its rejects are kept. */
    public static final Duration KEEP = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Where the app keeps its uploads ({@code app.unsafeConfig().pvt.appDataManager.get(KEY)}; tests look there). */
    public static final io.javalin.config.Key<Uploads> KEY = new io.javalin.config.Key<>("clv.uploads");

    /** How an import of an upload ended: imported (a result), refused with bad rows, or failed with a message. */
    public record Outcome(ImportResult result, ImportRefusedException refused, String failure) {}

    /** One uploaded file. Mutable state is set by the import job and read by pages. */
    public static final class Upload {
        private final String id;
        private final String name;
        private final Path file;
        private final long bytes;
        private final Instant created;
        private volatile ImportForm form;
        private volatile Long jobId;
        private volatile boolean running;
        private volatile Outcome outcome;
        private volatile Path rejects;
        private volatile List<String> columns = List.of();

        private Upload(String id, String name, Path file, long bytes, Instant created) {
            this.id = id;
            this.name = name;
            this.file = file;
            this.bytes = bytes;
            this.created = created;
            this.form = ImportForm.detected();
        }

        public String id() { return id; }
        /** The file name the admin's browser gave (for display only). */
        public String name() { return name; }
        /** Where the server keeps the file (never shown). */
        Path file() { return file; }
        public long bytes() { return bytes; }
        public Instant created() { return created; }
        public ImportForm form() { return form; }
        void form(ImportForm f) { form = f; }
        public Optional<Long> jobId() { return Optional.ofNullable(jobId); }
        void jobId(long id) { jobId = id; }
        boolean running() { return running; }
        void running(boolean r) { running = r; }
        public Optional<Outcome> outcome() { return Optional.ofNullable(outcome); }
        void outcome(Outcome o) { outcome = o; }
        /** The rejects file of a skip import that rejected rows, if any. */
        Optional<Path> rejects() { return Optional.ofNullable(rejects); }
        void rejects(Path p) { rejects = p; }
        /** The file's columns as the latest preview showed them (what the mapping form offered). */
        List<String> columns() { return columns; }
        void columns(List<String> c) { columns = List.copyOf(c); }

        /** {@code message} with the server's path of the file replaced by the name the admin knows it by. */
        public String hidePath(String message) {
            return message == null ? null : message.replace(file.toAbsolutePath().toString(), name).replace(file.toString(), name);
        }
    }

    private final Path folder;
    private final Clock clock;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    private Uploads(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    /** A new private folder under the system's temporary folder. */
    public static Uploads inTempFolder(Clock clock) {
        try {
            return new Uploads(Files.createTempDirectory("clv-uploads-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"))), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private upload folder: " + e.getMessage(), e);
        }
    }

    /** The private folder (also where Jetty spools large multipart parts). */
    public Path folder() {
        return folder;
    }

    /**
     * Stores {@code content} as a new upload named {@code name} (display only) with the extension
     * {@code extension} (one the import reads, checked by the caller).
     */
    public Upload add(String name, String extension, InputStream content) {
        sweep();
        String id = newId();
        Path file = folder.resolve(id + extension);
        try {
            long bytes = Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
            Upload u = new Upload(id, name, file, bytes, clock.instant());
            uploads.put(id, u);
            return u;
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException("cannot store the upload: " + e.getMessage(), e);
        }
    }

    /** The upload {@code id}, unless it expired (or the id is not one of ours). */
    public Optional<Upload> find(String id) {
        sweep();
        return id == null || !id.matches("[A-Za-z0-9_-]{22}") ? Optional.empty() : Optional.ofNullable(uploads.get(id));
    }

    /** Where an import of {@code u} writes its rejects (in the private folder, named by the upload's id). */
    Path rejectsPath(Upload u) {
        return folder.resolve(u.id() + "-rejects.csv");
    }

    /** The file was imported: delete it (its rejects stay until the upload expires). */
    void imported(Upload u) {
        delete(u.file());
    }

    /** Forgets the upload now: the file and its rejects are deleted. */
    void discard(Upload u) {
        uploads.remove(u.id());
        delete(u.file());
        delete(rejectsPath(u));
    }

    /** Deletes every upload older than {@link #KEEP} whose import is not running. */
    public void sweep() {
        Instant limit = clock.instant().minus(KEEP);
        for (Upload u : uploads.values()) {
            if (u.created().isBefore(limit) && !u.running()) {
                discard(u);
            }
        }
    }

    /** Deletes every upload and the folder. */
    @Override
    public void close() {
        uploads.clear();
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(Uploads::delete);
        } catch (IOException e) {
            LOG.warn("cannot delete the upload folder {}: {}", folder, e.toString());
        }
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }
}
