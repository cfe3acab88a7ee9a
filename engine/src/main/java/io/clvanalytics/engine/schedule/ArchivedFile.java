package io.clvanalytics.engine.schedule;

import java.time.Instant;

/** A file a run wrote to the archive; {@code deleted} is set once the keep setting removed it. */
public record ArchivedFile(String id, String runId, String scheduleId, String format, String fileName, long sizeBytes,
        String sha256, Instant created, Instant deleted) {}
