package io.clvanalytics.server.schedule;

import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportTemplate;
import io.clvanalytics.engine.schedule.ArchivedFile;
import io.clvanalytics.engine.schedule.Schedule;
import io.clvanalytics.engine.schedule.ScheduleRun;
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
     * @param error     what was wrong with the form, empty if nothing
     */
    public record ListView(List<Schedule> schedules, boolean canEdit, List<String> templates, List<String> formats, String error) {
        static ListView of(List<Schedule> schedules, boolean canEdit, String error) {
            return new ListView(schedules, canEdit, Arrays.stream(ReportTemplate.values()).map(ReportTemplate::templateName).toList(),
                    Arrays.stream(ReportFormat.values()).map(ReportFormat::extension).toList(), error);
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
