package io.clvanalytics.engine.schedule;

import java.time.Instant;

/** One mail of a run: its recipients, {@code sent}, {@code failed} or {@code pending}, and the error of a failure. */
public record Delivery(String runId, String recipients, String status, String error, Instant sent) {}
