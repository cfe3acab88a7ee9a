package io.clvanalytics.server.schedule;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.schedule.ArchivedFile;
import io.clvanalytics.engine.schedule.MissedSlotPolicy;
import io.clvanalytics.engine.schedule.Schedule;
import io.clvanalytics.engine.schedule.ScheduleRun;
import io.clvanalytics.engine.schedule.ScheduleSpec;
import io.clvanalytics.engine.schedule.Schedules;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.api.ApiParams;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.schedule.ScheduleViews.FormValues;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Scheduled reports in the server: pages under {@code /schedules}, JSON under {@code /api/schedules},
 * downloads of archived files, and the {@link ScheduleRunner} that runs due slots while the server
 * holds the store.
 *
 * <p>Analysts and admins see, create, pause, resume, run and delete every schedule; managers see the
 * schedules shared with them (their user name or role) and download their files. A schedule, run or
 * file the user may not see answers 404, as does any id that is not one (ids are 128 random bits;
 * no request text reaches the file system: files are found by id in the store).
 */
public final class ScheduleRoutes {

    static final Role[] EDITORS = {Role.ANALYST, Role.ADMIN};

    private ScheduleRoutes() {}

    /** Registers the routes and starts the runner with the server (stopped with it). */
    public static ScheduleRunner register(Javalin app, ServerDeps deps) {
        ScheduleRunner runner = ScheduleRunner.of(deps.engine(), System.getenv());
        app.unsafeConfig().events.serverStarted(runner::start);
        app.unsafeConfig().events.serverStopped(runner::close);
        Schedules schedules = runner.scheduler().schedules();

        // ---- pages (session, CSRF on every POST by the access gate)
        app.get("/schedules", ctx -> list(ctx, deps, schedules, FormValues.defaults(), ""), Role.SIGNED_IN);
        app.post("/schedules", ctx -> saveForm(ctx,
                sent -> schedules.create(specFromForm(sent, CurrentUser.of(ctx).orElseThrow().name())),
                (sent, error) -> list(ctx, deps, schedules, sent, error)), EDITORS);
        app.get("/schedules/{id}/edit", ctx -> {
            Schedule s = visible(ctx, schedules);
            edit(ctx, deps, s, FormValues.of(s), "");
        }, EDITORS);
        // The edit form posts here; the schedule keeps its owner, runs, files and paused state.
        app.post("/schedules/{id}", ctx -> {
            Schedule old = visible(ctx, schedules);
            saveForm(ctx, sent -> schedules.update(old.id(), specFromForm(sent, old.owner())),
                    (sent, error) -> edit(ctx, deps, old, sent, error));
        }, EDITORS);
        app.get("/schedules/{id}", ctx -> {
            Schedule s = visible(ctx, schedules);
            ctx.contentType("text/html; charset=UTF-8");
            deps.views().send(ctx, "schedule/detail.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                    "view", new ScheduleViews.DetailView(s, schedules.runs(s.id(), 50), schedules.files(s.id()), canEdit(ctx))));
        }, Role.SIGNED_IN);
        app.post("/schedules/{id}/pause", ctx -> {
            schedules.setPaused(visible(ctx, schedules).id(), true);
            ctx.redirect("/schedules/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }, EDITORS);
        app.post("/schedules/{id}/resume", ctx -> {
            schedules.setPaused(visible(ctx, schedules).id(), false);
            ctx.redirect("/schedules/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }, EDITORS);
        app.post("/schedules/{id}/run", ctx -> {
            join(runner.runNow(visible(ctx, schedules).id()));
            ctx.redirect("/schedules/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }, EDITORS);
        app.post("/schedules/{id}/delete", ctx -> {
            delete(runner, visible(ctx, schedules));
            ctx.redirect("/schedules", HttpStatus.SEE_OTHER);
        }, EDITORS);
        app.get("/schedules/{id}/files/{fileId}", ctx -> download(ctx, runner, schedules), Role.SIGNED_IN);

        // ---- JSON API (bearer tokens)
        app.get("/api/schedules", ctx -> {
            ApiParams.of(ctx, Set.of());
            ctx.json(visibleSchedules(ctx, schedules).stream().map(ScheduleViews::json).toList());
        }, Role.SIGNED_IN);
        app.post("/api/schedules", ctx -> {
            Schedule s = validated(() -> schedules.create(specFromJson(ctx, CurrentUser.of(ctx).orElseThrow().name())));
            ctx.status(201).json(ScheduleViews.json(s));
        }, EDITORS);
        // What `clv schedule run-due` does, for the server that holds the store: due slots now, on the scheduler thread.
        app.post("/api/schedules/run-due", ctx -> ctx.json(join(runner.tickNow())), Role.ADMIN);
        app.get("/api/schedules/{id}", ctx -> {
            ApiParams.of(ctx, Set.of());
            ctx.json(ScheduleViews.json(visible(ctx, schedules)));
        }, Role.SIGNED_IN);
        app.put("/api/schedules/{id}", ctx -> {
            Schedule old = visible(ctx, schedules);
            ctx.json(ScheduleViews.json(validated(() -> schedules.update(old.id(), specFromJson(ctx, old.owner())))));
        }, EDITORS);
        app.delete("/api/schedules/{id}", ctx -> {
            delete(runner, visible(ctx, schedules));
            ctx.status(204);
        }, EDITORS);
        app.post("/api/schedules/{id}/pause", ctx -> {
            schedules.setPaused(visible(ctx, schedules).id(), true);
            ctx.json(ScheduleViews.json(schedules.find(ctx.pathParam("id")).orElseThrow()));
        }, EDITORS);
        app.post("/api/schedules/{id}/resume", ctx -> {
            schedules.setPaused(visible(ctx, schedules).id(), false);
            ctx.json(ScheduleViews.json(schedules.find(ctx.pathParam("id")).orElseThrow()));
        }, EDITORS);
        app.post("/api/schedules/{id}/run", ctx -> ctx.json(join(runner.runNow(visible(ctx, schedules).id()))), EDITORS);
        app.get("/api/schedules/{id}/runs", ctx -> {
            ApiParams.of(ctx, Set.of("limit"));
            Schedule s = visible(ctx, schedules);
            List<Map<String, Object>> out = new ArrayList<>();
            for (ScheduleRun r : schedules.runs(s.id(), limit(ctx))) {
                out.add(runJson(schedules, r));
            }
            ctx.json(out);
        }, Role.SIGNED_IN);
        app.get("/api/schedules/{id}/runs/{runId}", ctx -> {
            ApiParams.of(ctx, Set.of());
            Schedule s = visible(ctx, schedules);
            ScheduleRun r = schedules.run(ctx.pathParam("runId")).filter(x -> x.scheduleId().equals(s.id()))
                    .orElseThrow(() -> HttpError.notFound("no such run of this schedule"));
            ctx.json(runJson(schedules, r));
        }, Role.SIGNED_IN);
        app.get("/api/schedules/{id}/files", ctx -> {
            ApiParams.of(ctx, Set.of());
            ctx.json(schedules.files(visible(ctx, schedules).id()));
        }, Role.SIGNED_IN);
        app.get("/api/schedules/{id}/files/{fileId}", ctx -> {
            ApiParams.of(ctx, Set.of());
            download(ctx, runner, schedules);
        }, Role.SIGNED_IN);
        return runner;
    }

    private static void list(Context ctx, ServerDeps deps, Schedules schedules, FormValues form, String error) {
        ctx.contentType("text/html; charset=UTF-8");
        deps.views().send(ctx, "schedule/list.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                "view", ScheduleViews.ListView.of(visibleSchedules(ctx, schedules), canEdit(ctx), form, error)));
    }

    private static void edit(Context ctx, ServerDeps deps, Schedule s, FormValues form, String error) {
        ctx.contentType("text/html; charset=UTF-8");
        deps.views().send(ctx, "schedule/edit.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                "view", new ScheduleViews.EditView(s, ScheduleViews.FormView.of(form), error)));
    }

    /**
     * Saves the schedule form sent with {@code ctx}: to the schedule's page when the engine takes it,
     * else 400 and the form shown again with what was sent and the rule it broke.
     */
    private static void saveForm(Context ctx, java.util.function.Function<FormValues, Schedule> save,
            java.util.function.BiConsumer<FormValues, String> showAgain) {
        FormValues sent = formValues(ctx);
        try {
            ctx.redirect("/schedules/" + save.apply(sent).id(), HttpStatus.SEE_OTHER);
        } catch (DataValidationException e) {
            ctx.status(400);
            showAgain.accept(sent, formMessage(e));
        }
    }

    /** The engine names the CLI's flag ("--cron: ..."); the form names the field ("cron: ..."). */
    private static String formMessage(DataValidationException e) {
        return Objects.requireNonNullElse(e.getMessage(), "bad input").replaceFirst("^--", "");
    }

    private static boolean canEdit(Context ctx) {
        CurrentUser u = CurrentUser.of(ctx).orElseThrow();
        return u.has(Role.ANALYST) || u.has(Role.ADMIN);
    }

    private static List<Schedule> visibleSchedules(Context ctx, Schedules schedules) {
        CurrentUser u = CurrentUser.of(ctx).orElseThrow();
        return canEdit(ctx) ? schedules.list() : schedules.visibleTo(u.name(), roleNames(u));
    }

    private static Set<String> roleNames(CurrentUser u) {
        return u.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** The schedule of the path's id if this user may see it; 404 otherwise (whether or not it exists). */
    private static Schedule visible(Context ctx, Schedules schedules) {
        CurrentUser u = CurrentUser.of(ctx).orElseThrow();
        return schedules.find(ctx.pathParam("id"))
                .filter(s -> canEdit(ctx) || s.visibleTo(u.name(), roleNames(u)))
                .orElseThrow(() -> HttpError.notFound("no such schedule"));
    }

    private static void download(Context ctx, ScheduleRunner runner, Schedules schedules) {
        Schedule s = visible(ctx, schedules);
        ArchivedFile f = schedules.file(s.id(), ctx.pathParam("fileId"))
                .orElseThrow(() -> HttpError.notFound("no such file of this schedule"));
        Path path = runner.scheduler().archive().resolve(s.id(), f.fileName());
        if (!Files.isRegularFile(path)) {
            throw HttpError.notFound("the file " + f.fileName() + " is no longer in the archive");
        }
        ctx.contentType(ReportFormat.named(f.format()).orElseThrow().contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + f.fileName() + "\"");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "private, no-store");
        try (InputStream in = Files.newInputStream(path)) {
            in.transferTo(ctx.outputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("reading archived file " + path + ": " + e.getMessage(), e);
        }
    }

    private static void delete(ScheduleRunner runner, Schedule s) {
        Schedules schedules = runner.scheduler().schedules();
        schedules.files(s.id()).forEach(f -> runner.scheduler().archive().delete(s.id(), f.fileName()));
        schedules.delete(s.id());
    }

    private static Map<String, Object> runJson(Schedules schedules, ScheduleRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("slot", r.slot());
        m.put("trigger", r.trigger());
        m.put("status", r.status().label());
        m.put("attempts", r.attempts());
        m.put("started", r.started());
        m.put("finished", r.finished());
        m.put("duration_ms", r.durationMillis());
        m.put("error", r.error());
        m.put("note", r.note());
        m.put("files", schedules.filesOfRun(r.id()));
        m.put("deliveries", schedules.deliveries(r.id()));
        return m;
    }

    private static int limit(Context ctx) {
        String l = ctx.queryParam("limit");
        if (l == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(l);
            if (n < 1 || n > 1000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badField("limit", "limit: a whole number from 1 to 1000");
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DataValidationException dve) {
                throw badRequest(dve);
            }
            throw e;
        }
    }

    private interface Action<T> {
        T run();
    }

    private static <T> T validated(Action<T> action) {
        try {
            return action.run();
        } catch (DataValidationException e) {
            throw badRequest(e);
        }
    }

    /** 400 naming the field the engine's message starts with ("--cron: ..." is the field cron). */
    private static HttpError badRequest(DataValidationException e) {
        String m = Objects.requireNonNullElse(e.getMessage(), "bad input");
        int colon = m.indexOf(':');
        String field = colon > 0 ? m.substring(0, colon).replaceFirst("^--", "").replace('-', '_') : null;
        return HttpError.badField(field, m);
    }

    /** The body of POST and PUT /api/schedules (snake_case fields). */
    record SpecJson(String name, String template, Map<String, String> parameters, List<String> formats, String cron, String zone,
                    List<String> roles, List<String> users, List<String> mailTo, Integer keep, Boolean skipIfEmpty, String missed,
                    Integer attempts) {}

    private static ScheduleSpec specFromJson(Context ctx, String owner) {
        SpecJson j;
        try {
            j = ctx.bodyAsClass(SpecJson.class);
        } catch (RuntimeException e) {
            throw HttpError.badField(null, "the body must be a JSON object with template, cron, zone and optional fields");
        }
        return spec(owner, j.name(), j.template(), j.parameters(), j.formats(), j.cron(), j.zone(), j.roles(), j.users(), j.mailTo(),
                j.keep(), j.skipIfEmpty(), j.missed(), j.attempts());
    }

    private static FormValues formValues(Context ctx) {
        return new FormValues(text(ctx, "name"), text(ctx, "template"), ctx.formParams("formats"), text(ctx, "cron"), text(ctx, "zone"),
                text(ctx, "keep"), text(ctx, "attempts"), text(ctx, "parameters"), text(ctx, "roles"), text(ctx, "users"),
                text(ctx, "mail_to"), text(ctx, "missed"), ctx.formParam("skip_if_empty") != null);
    }

    private static String text(Context ctx, String field) {
        return Objects.requireNonNullElse(ctx.formParam(field), "");
    }

    private static ScheduleSpec specFromForm(FormValues form, String owner) {
        Map<String, String> params = new LinkedHashMap<>();
        String text = form.parameters();
        for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new DataValidationException("parameters: \"" + line + "\" must be NAME=VALUE (one a line)");
            }
            params.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return spec(owner, form.name(), form.template(), params, form.formats(), form.cron(), form.zone(), lines(form.roles()),
                lines(form.users()), lines(form.mailTo()), integer("keep", form.keep()), form.skipIfEmpty(), form.missed(),
                integer("attempts", form.attempts()));
    }

    private static ScheduleSpec spec(String owner, String name, String template, Map<String, String> parameters, List<String> formats,
            String cron, String zone, List<String> roles, List<String> users, List<String> mailTo, Integer keep, Boolean skipIfEmpty,
            String missed, Integer attempts) {
        List<ReportFormat> fmts = new ArrayList<>();
        for (String f : Objects.requireNonNullElse(formats, List.<String>of())) {
            fmts.add(ReportFormat.named(f).orElseThrow(() -> new DataValidationException(
                    "formats: \"" + f + "\" is not a report format; use " + ReportFormat.names())));
        }
        return new ScheduleSpec(name, template, parameters, fmts, cron, zone == null || zone.isBlank() ? "UTC" : zone,
                owner, roles, users, mailTo,
                keep == null ? ScheduleSpec.DEFAULT_KEEP_RUNS : keep, Boolean.TRUE.equals(skipIfEmpty),
                missed == null || missed.isBlank() ? MissedSlotPolicy.RUN_LATEST_ONCE : MissedSlotPolicy.named("missed", missed),
                attempts == null ? ScheduleSpec.DEFAULT_MAX_ATTEMPTS : attempts);
    }

    private static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().flatMap(l -> java.util.Arrays.stream(l.split(","))).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static Integer integer(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new DataValidationException(field + ": \"" + text + "\" is not a whole number");
        }
    }
}
