package io.clvanalytics.server.schedule;

import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportTemplate;
import io.clvanalytics.engine.schedule.ArchivedFile;
import io.clvanalytics.engine.schedule.MissedSlotPolicy;
import io.clvanalytics.engine.schedule.Schedule;
import io.clvanalytics.engine.schedule.ScheduleRun;
import io.clvanalytics.engine.schedule.ScheduleSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** View records of the schedule pages and the JSON shapes of the API. */
public final class ScheduleViews {

    private ScheduleViews() {}

    /**
     * The schedules page.
     *
     * @param schedules what the user may see
     * @param canEdit   whether the user may create, pause, resume and run (analysts and admins)
     * @param templates the template names offered in the form
     * @param formats   the format names offered in the form
     * @param form      the new-schedule form: the defaults, or what was sent when it was refused
     * @param error     what was wrong with the form, empty if nothing
     */
    public record ListView(List<Schedule> schedules, boolean canEdit, FormView form, String error) {
        static ListView of(List<Schedule> schedules, boolean canEdit, FormValues values, String error) {
            return new ListView(schedules, canEdit, FormView.of(values), error);
        }
    }

    /** The edit page of one schedule: its settings in the form, or what was sent when it was refused. */
    public record EditView(Schedule schedule, FormView form, String error) {}

    /** The schedule form with the choices it offers. */
    public record FormView(FormValues values, List<String> templates, List<String> formats) {
        static FormView of(FormValues values) {
            return new FormView(values, Arrays.stream(ReportTemplate.values()).map(ReportTemplate::templateName).toList(),
                    Arrays.stream(ReportFormat.values()).map(ReportFormat::extension).toList());
        }

        public boolean formatChosen(String format) {
            return values.formats().contains(format);
        }
    }

    /**
     * The fields of the schedule form as text, as the user sees and sends them: lists comma-separated,
     * parameters one {@code NAME=VALUE} a line. Parsed by the routes into a {@code ScheduleSpec}.
     */
    public record FormValues(String name, String template, List<String> formats, String cron, String zone, String keep,
                             String attempts, String parameters, String roles, String users, String mailTo, String missed,
                             boolean skipIfEmpty) {

        /** A new schedule's form: XLSX every Monday at 07:00 in Berlin, the engine's defaults for the rest. */
        static FormValues defaults() {
            return new FormValues("", ReportTemplate.values()[0].templateName(), List.of(ReportFormat.XLSX.extension()),
                    "every monday at 07:00", "Europe/Berlin", String.valueOf(ScheduleSpec.DEFAULT_KEEP_RUNS),
                    String.valueOf(ScheduleSpec.DEFAULT_MAX_ATTEMPTS), "", "", "", "", MissedSlotPolicy.RUN_LATEST_ONCE.label(), false);
        }

        /** The form showing a stored schedule's settings. */
        static FormValues of(Schedule s) {
            StringBuilder params = new StringBuilder();
            s.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> params.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
            return new FormValues(s.name(), s.template().templateName(), s.formats().stream().map(ReportFormat::extension).toList(),
                    s.recurrence().expression(), s.recurrence().zone().getId(), String.valueOf(s.keepRuns()),
                    String.valueOf(s.maxAttempts()), params.toString(), String.join(", ", s.roles()), String.join(", ", s.users()),
                    String.join(", ", s.mailTo()), s.missedPolicy().label(), s.skipIfEmpty());
        }
    }

    /** One schedule's page: its runs (newest first) and the files still in the archive. */
    public record DetailView(Schedule schedule, List<ScheduleRun> runs, List<ArchivedFile> files, boolean canEdit) {}

    static Map<String, Object> json(Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("template", s.template().templateName());
        m.put("parameters", s.parameters());
        m.put("formats", s.formats().stream().map(ReportFormat::extension).toList());
        m.put("cron", s.recurrence().expression());
        m.put("zone", s.recurrence().zone().getId());
        m.put("owner", s.owner());
        m.put("roles", s.roles());
        m.put("users", s.users());
        m.put("mail_to", s.mailTo());
        m.put("keep", s.keepRuns());
        m.put("skip_if_empty", s.skipIfEmpty());
        m.put("missed", s.missedPolicy().label());
        m.put("attempts", s.maxAttempts());
        m.put("paused", s.paused());
        m.put("created", s.createdAt());
        return m;
    }
}
