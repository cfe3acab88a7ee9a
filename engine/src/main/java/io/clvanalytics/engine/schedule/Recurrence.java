package io.clvanalytics.engine.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.clvanalytics.engine.DataValidationException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule fires: a five-field Unix cron expression (or a simple form such as
 * {@code every monday at 07:00}, translated to one) read on the wall clock of a time zone.
 *
 * <p>Contract, daylight-saving changes included:
 * <ul>
 *   <li>The expression is matched against local date-times; each matching local time gives one
 *       slot, so a daily schedule fires once every day.</li>
 *   <li>A local time that does not exist (the spring gap) fires at the same wall-clock distance
 *       after the gap (02:30 becomes 03:30 summer time), once.</li>
 *   <li>A local time that exists twice (the autumn overlap) fires at its first occurrence only.</li>
 *   <li>Slots are strictly increasing instants: a slot mapped onto or before an earlier one is dropped.</li>
 * </ul>
 * cron-utils evaluates the expression on a zone without transitions (UTC), so its own handling of
 * daylight-saving changes never comes into play; this class maps local times to instants with
 * java.time's rules. Immutable and thread-safe.
 */
public final class Recurrence {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Bounds the walks over local candidates that map before the wanted instant (overlaps, gaps). */
    private static final int MAX_STEPS = 10_000;

    private static final Pattern AT = Pattern.compile("at (\\d{1,2}):(\\d{2})");
    private static final Map<String, String> DAYS = Map.of(
            "monday", "1", "tuesday", "2", "wednesday", "3", "thursday", "4", "friday", "5",
            "saturday", "6", "sunday", "0", "weekday", "1-5", "day", "*");

    private final String expression;
    private final ZoneId zone;
    private final Cron cron;
    private final ExecutionTime executions;

    private Recurrence(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
        this.executions = ExecutionTime.forCron(cron);
    }

    /**
     * A recurrence from {@code text}: a Unix cron expression ({@code minute hour day-of-month month
     * day-of-week}, e.g. {@code 0 7 * * 1}) or a simple form: {@code every minute}, {@code every hour},
     * {@code every day at HH:MM}, {@code every weekday at HH:MM}, {@code every monday at HH:MM} (any
     * day name), {@code every month on day D at HH:MM}.
     *
     * @throws DataValidationException naming {@code field} and the rule broken
     */
    public static Recurrence parse(String field, String text, String zoneId) {
        if (text == null || text.isBlank()) {
            throw new DataValidationException(field + ": missing; give a cron expression such as \"0 7 * * 1\" or a form such as \"every monday at 07:00\"");
        }
        ZoneId zone = zone(zoneId);
        String t = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        String cronText = t.startsWith("every ") ? simpleToCron(field, t) : t;
        try {
            Cron cron = UNIX.parse(cronText);
            cron.validate();
            return new Recurrence(cronText, zone, cron);
        } catch (IllegalArgumentException e) {
            throw new DataValidationException(field + ": \"" + text + "\" is not a five-field cron expression"
                    + " (minute hour day-of-month month day-of-week): " + e.getMessage());
        }
    }

    private static ZoneId zone(String zoneId) {
        if (zoneId == null || zoneId.isBlank()) {
            throw new DataValidationException("--zone: missing; give a time-zone id such as Europe/Berlin or UTC");
        }
        try {
            return ZoneId.of(zoneId.strip());
        } catch (DateTimeException e) {
            throw new DataValidationException("--zone: \"" + zoneId + "\" is not a time-zone id (such as Europe/Berlin or UTC)");
        }
    }

    private static String simpleToCron(String field, String t) {
        String rest = t.substring("every ".length());
        if (rest.equals("minute")) {
            return "* * * * *";
        }
        if (rest.equals("hour")) {
            return "0 * * * *";
        }
        Matcher monthly = Pattern.compile("month on day (\\d{1,2}) " + AT.pattern()).matcher(rest);
        if (monthly.matches() && Integer.parseInt(monthly.group(1)) >= 1 && Integer.parseInt(monthly.group(1)) <= 31) {
            return minuteHour(field, t, monthly.group(2), monthly.group(3)) + " " + Integer.parseInt(monthly.group(1)) + " * *";
        }
        int space = rest.indexOf(' ');
        if (space > 0 && DAYS.containsKey(rest.substring(0, space))) {
            Matcher at = AT.matcher(rest.substring(space + 1));
            if (at.matches()) {
                return minuteHour(field, t, at.group(1), at.group(2)) + " * * " + DAYS.get(rest.substring(0, space));
            }
        }
        throw new DataValidationException(field + ": \"" + t + "\" is not a recurrence; use a cron expression or one of"
                + " \"every minute\", \"every hour\", \"every day at HH:MM\", \"every weekday at HH:MM\","
                + " \"every monday at HH:MM\", \"every month on day D at HH:MM\"");
    }

    private static String minuteHour(String field, String t, String hour, String minute) {
        int h = Integer.parseInt(hour);
        int m = Integer.parseInt(minute);
        if (h > 23 || m > 59) {
            throw new DataValidationException(field + ": \"" + t + "\": " + hour + ":" + minute + " is not a time of day (00:00 to 23:59)");
        }
        return m + " " + h;
    }

    /** The cron expression (a simple form already translated). */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The recurrence in words, e.g. "at 07:00 at Monday day". */
    public String describe() {
        return CronDescriptor.instance(Locale.UK).describe(cron) + " (" + zone.getId() + ")";
    }

    /** The first slot strictly after {@code after}, if the expression ever fires again. */
    public Optional<Instant> nextAfter(Instant after) {
        ZonedDateTime cursor = wallClock(after);
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<ZonedDateTime> next = executions.nextExecution(cursor);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Instant slot = instant(next.get());
            if (slot.isAfter(after)) {
                return Optional.of(slot);
            }
            cursor = next.get();
        }
        return Optional.empty();
    }

    /** The last slot at or before {@code atOrBefore}, if any. */
    public Optional<Instant> latestAtOrBefore(Instant atOrBefore) {
        ZonedDateTime cursor = wallClock(atOrBefore).plusSeconds(1);
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<ZonedDateTime> previous = executions.lastExecution(cursor);
            if (previous.isEmpty()) {
                return Optional.empty();
            }
            Instant slot = instant(previous.get());
            // A gap-shifted time can land after the instant asked about, and the second pass of an
            // overlap maps onto the first: walk back until a slot lies at or before it.
            if (!slot.isAfter(atOrBefore) && isSlot(previous.get(), slot)) {
                return Optional.of(slot);
            }
            cursor = previous.get();
        }
        return Optional.empty();
    }

    /** Whether {@code local} is the local time that produces {@code slot} (not one dropped as a repeat). */
    private boolean isSlot(ZonedDateTime local, Instant slot) {
        Optional<ZonedDateTime> before = executions.lastExecution(local);
        return before.isEmpty() || instant(before.get()).isBefore(slot);
    }

    /** The local date-time of {@code instant} in {@link #zone}, as a UTC date-time for cron-utils. */
    private ZonedDateTime wallClock(Instant instant) {
        return instant.atZone(zone).toLocalDateTime().atZone(ZoneOffset.UTC);
    }

    /** The instant of a wall-clock time: gaps shift forward, overlaps take the earlier offset. */
    private Instant instant(ZonedDateTime wallClock) {
        LocalDateTime local = wallClock.toLocalDateTime();
        return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    }

    @Override
    public String toString() {
        return expression + " " + zone.getId();
    }
}
