package io.clvanalytics.engine.schedule;

import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportTemplate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A stored schedule. {@code id} is 128 random bits in hex: not guessable, and the only handle
 * callers use (never a path).
 */
public record Schedule(String id, String name, ReportTemplate template, Map<String, String> parameters,
        List<ReportFormat> formats, Recurrence recurrence, String owner, List<String> roles, List<String> users,
        List<String> mailTo, int keepRuns, boolean skipIfEmpty, MissedSlotPolicy missedPolicy, int maxAttempts,
        boolean paused, Instant createdAt) {

    /** Whether {@code user} with {@code userRoles} may see this schedule and download its files. */
    public boolean visibleTo(String user, Collection<String> userRoles) {
        return owner.equals(user) || users.contains(user) || userRoles.stream().anyMatch(roles::contains);
    }
}
