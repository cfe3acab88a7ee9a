package io.clvanalytics.engine.quality;

import java.time.LocalDateTime;

/** One check's outcome in one stored run, for history charts. */
public record CheckPoint(long runId, LocalDateTime startedAt, Status status, Double metric, long offendingRows) {}
