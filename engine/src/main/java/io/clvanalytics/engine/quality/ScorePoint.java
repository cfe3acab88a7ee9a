package io.clvanalytics.engine.quality;

import java.time.LocalDateTime;

/** The score of one stored run, for history charts. */
public record ScorePoint(long runId, LocalDateTime startedAt, double score, int failures, int warnings) {}
