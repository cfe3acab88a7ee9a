package io.clvanalytics.engine.schedule;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The folder scheduled reports are written to: one sub-folder per schedule (its id), files named
 * after the template and the slot in the schedule's zone ({@code customer-list_2026-12-07T0700+0100.xlsx}).
 *
 * <p>Contract: a file appears under its final name whole or not at all (written to a hidden
 * {@code .part} file, forced to disk, then renamed atomically); {@link #resolve} only builds paths
 * from ids and names the engine made itself, never from a request.
 */
public final class ReportArchive {

    /** Environment variable naming the archive folder. */
    public static final String DIR_ENV = "CLV_REPORTS_DIR";

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmZ");
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmssZ");
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*_[0-9T+-]+\\.[a-z]+");
    private static final String PART = ".part";

    private final Path root;

    private ReportArchive(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** An archive in {@code folder}. */
    public static ReportArchive in(Path folder) {
        return new ReportArchive(Objects.requireNonNull(folder, "folder"));
    }

    /** The archive named by {@code flag}, else {@value #DIR_ENV}, else {@code reports/} beside the store file. */
    public static ReportArchive resolve(Path flag, Path storeFile) {
        if (flag != null) {
            return in(flag);
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return in(Path.of(env));
        }
        Path parent = storeFile.toAbsolutePath().normalize().getParent();
        return in((parent == null ? Path.of(".") : parent).resolve("reports"));
    }

    public Path root() {
        return root;
    }

    /** The file name of a run's file: template, slot in {@code zone} (seconds only when the slot has them), extension. */
    public static String fileName(String template, Instant slot, ZoneId zone, String extension) {
        DateTimeFormatter f = slot.getEpochSecond() % 60 == 0 && slot.getNano() == 0 ? MINUTE : SECOND;
        return template + "_" + f.format(slot.atZone(zone)) + "." + extension;
    }

    /** Writes a file through {@code writer}, whole or not at all. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** What {@link #write} stored. */
    public record Written(Path file, long sizeBytes, String sha256) {}

    /**
     * Writes {@code fileName} of schedule {@code scheduleId}: to a {@code .part} file first, forced to
     * disk, then renamed over any file of that name (a redone run replaces what an interrupted one left).
     */
    public Written write(String scheduleId, String fileName, Writer writer) {
        Path dir = folder(scheduleId);
        Path target = resolve(scheduleId, fileName);
        Path partial = null;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, "." + fileName + ".", PART);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream os = new DigestOutputStream(Files.newOutputStream(partial), sha)) {
                writer.write(os);
            }
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            long size = Files.size(partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(target, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("archive " + target + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** The path of an archived file; refuses anything but an id and a name the archive makes. */
    public Path resolve(String scheduleId, String fileName) {
        if (!Schedules.isId(scheduleId) || fileName == null || !SAFE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("not an archived file: " + scheduleId + "/" + fileName);
        }
        return folder(scheduleId).resolve(fileName);
    }

    /** Deletes an archived file (gone already is fine). */
    public void delete(String scheduleId, String fileName) {
        try {
            Files.deleteIfExists(resolve(scheduleId, fileName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + resolve(scheduleId, fileName) + ": " + e.getMessage(), e);
        }
    }

    /** Removes the {@code .part} files an interrupted process left; returns how many. */
    public int removePartialFiles() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> schedules = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : schedules) {
                try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*" + PART)) {
                    for (Path p : parts) {
                        Files.deleteIfExists(p);
                        removed++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + root + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private Path folder(String scheduleId) {
        return root.resolve(scheduleId);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Left behind, it is removed by removePartialFiles at the next start.
        }
    }
}
