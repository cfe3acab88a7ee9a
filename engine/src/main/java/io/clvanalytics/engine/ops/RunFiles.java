package io.clvanalytics.engine.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files of a backup or an archive, named after the process writing them
 * ({@code FINAL.clv-PID.SUFFIX}), so the next run can tell a killed run's debris from a live run's file and
 * remove it. A file only ever gets its final name once it is complete and checked.
 */
final class RunFiles {

    private RunFiles() {}

    /** The temporary name this process writes {@code finalFile} under. */
    static Path temporary(Path finalFile, String suffix) {
        return finalFile.resolveSibling(finalFile.getFileName() + ".clv-" + ProcessHandle.current().pid() + suffix);
    }

    /**
     * Deletes the temporary files with {@code suffix} (and their DuckDB write-ahead logs) in {@code folder}
     * whose writing process is gone; returns what it deleted. A folder that cannot be listed is left alone.
     */
    static List<Path> removeDeadRuns(Path folder, String suffix) {
        Pattern name = Pattern.compile(".+\\.clv-(\\d{1,18})" + Pattern.quote(suffix) + "(\\.wal)?");
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return removed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                Matcher m = name.matcher(f.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1))) && Files.isRegularFile(f)) {
                    Files.deleteIfExists(f);
                    removed.add(f);
                }
            }
        } catch (IOException e) {
            // best effort: debris left here is never under a final name, so it misleads nothing
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
