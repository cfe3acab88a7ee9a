package io.clvanalytics.engine.lifecycle;

import java.time.LocalDate;

/** A product entered {@code stage} on {@code enteredOn} (first day of the month it was first seen in it). */
public record StageChange(String stage, double confidence, LocalDate enteredOn) {}
