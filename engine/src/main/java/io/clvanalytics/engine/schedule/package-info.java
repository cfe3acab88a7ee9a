/**
 * Scheduled reports: a built-in template with parameters and formats rendered on a recurrence in a
 * time zone ({@link io.clvanalytics.engine.schedule.Recurrence}), every due slot exactly once across
 * restarts and crashes ({@link io.clvanalytics.engine.schedule.Scheduler}), archived files with size
 * and SHA-256 ({@link io.clvanalytics.engine.schedule.ReportArchive}) and optional mail
 * ({@link io.clvanalytics.engine.schedule.Mailer}). Headless: the command line and the server both
 * drive it; no web code here.
 */
package io.clvanalytics.engine.schedule;
