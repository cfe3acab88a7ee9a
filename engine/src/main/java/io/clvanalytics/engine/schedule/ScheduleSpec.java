package io.clvanalytics.engine.schedule;

import io.clvanalytics.engine.jasper.ReportFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a user asks for when creating or editing a schedule; {@link Schedules#create} validates it.
 *
 * @param name         shown in lists and mail subjects (defaults to the template's title when blank)
 * @param template     a built-in template name ({@code clv report --list})
 * @param parameters   template parameters as text
 * @param formats      one file per format and run (XLSX when empty)
 * @param recurrence   a cron expression or simple form ({@link Recurrence#parse})
 * @param zone         time-zone id the recurrence is read in
 * @param owner        who created it
 * @param roles        roles that may see it and download its files
 * @param users        users that may see it and download its files
 * @param mailTo       recipients of each run's files (none: no mail)
 * @param keepRuns     how many runs' files the archive keeps (older ones are deleted)
 * @param skipIfEmpty  no file when the report's main list has no rows
 * @param missedPolicy what happens to missed slots
 * @param maxAttempts  tries per slot before the run is marked failed
 */
public record ScheduleSpec(String name, String template, Map<String, String> parameters, List<ReportFormat> formats,
        String recurrence, String zone, String owner, List<String> roles, List<String> users, List<String> mailTo,
        int keepRuns, boolean skipIfEmpty, MissedSlotPolicy missedPolicy, int maxAttempts) {

    public static final int DEFAULT_KEEP_RUNS = 30;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public ScheduleSpec {
        parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
        formats = List.copyOf(Objects.requireNonNullElse(formats, List.of()));
        roles = List.copyOf(Objects.requireNonNullElse(roles, List.of()));
        users = List.copyOf(Objects.requireNonNullElse(users, List.of()));
        mailTo = List.copyOf(Objects.requireNonNullElse(mailTo, List.of()));
        missedPolicy = Objects.requireNonNullElse(missedPolicy, MissedSlotPolicy.RUN_LATEST_ONCE);
    }

    /** A spec with the defaults: XLSX, keep 30 runs, 3 attempts, run the latest missed slot once. */
    public static ScheduleSpec of(String template, String recurrence, String zone, String owner) {
        return new ScheduleSpec("", template, Map.of(), List.of(ReportFormat.XLSX), recurrence, zone, owner,
                List.of(), List.of(), List.of(), DEFAULT_KEEP_RUNS, false, MissedSlotPolicy.RUN_LATEST_ONCE, DEFAULT_MAX_ATTEMPTS);
    }

    public ScheduleSpec withParameters(Map<String, String> p) {
        return new ScheduleSpec(name, template, p, formats, recurrence, zone, owner, roles, users, mailTo, keepRuns, skipIfEmpty, missedPolicy, maxAttempts);
    }

    public ScheduleSpec withFormats(List<ReportFormat> f) {
        return new ScheduleSpec(name, template, parameters, f, recurrence, zone, owner, roles, users, mailTo, keepRuns, skipIfEmpty, missedPolicy, maxAttempts);
    }

    public ScheduleSpec withVisibility(List<String> r, List<String> u) {
        return new ScheduleSpec(name, template, parameters, formats, recurrence, zone, owner, r, u, mailTo, keepRuns, skipIfEmpty, missedPolicy, maxAttempts);
    }

    public ScheduleSpec withMailTo(List<String> m) {
        return new ScheduleSpec(name, template, parameters, formats, recurrence, zone, owner, roles, users, m, keepRuns, skipIfEmpty, missedPolicy, maxAttempts);
    }

    public ScheduleSpec withKeepRuns(int k) {
        return new ScheduleSpec(name, template, parameters, formats, recurrence, zone, owner, roles, users, mailTo, k, skipIfEmpty, missedPolicy, maxAttempts);
    }

    public ScheduleSpec withSkipIfEmpty(boolean s) {
        return new ScheduleSpec(name, template, parameters, formats, recurrence, zone, owner, roles, users, mailTo, keepRuns, s, missedPolicy, maxAttempts);
    }

    public ScheduleSpec withMissedPolicy(MissedSlotPolicy p) {
        return new ScheduleSpec(name, template, parameters, formats, recurrence, zone, owner, roles, users, mailTo, keepRuns, skipIfEmpty, p, maxAttempts);
    }

    public ScheduleSpec withMaxAttempts(int a) {
        return new ScheduleSpec(name, template, parameters, formats, recurrence, zone, owner, roles, users, mailTo, keepRuns, skipIfEmpty, missedPolicy, a);
    }

    public ScheduleSpec withName(String n) {
        return new ScheduleSpec(n, template, parameters, formats, recurrence, zone, owner, roles, users, mailTo, keepRuns, skipIfEmpty, missedPolicy, maxAttempts);
    }
}
