package io.clvanalytics.server.models;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Jobs;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Models: fitted runs with parameters and intervals, calibration and tracking charts, and "fit and
 * score now", which runs in the background while the page polls its progress.
 */
public final class ModelRoutes {

    static final String JOB = "Fit and score";
    public static final List<String> MODELS = List.of("bgnbd", "pnbd", "mbgnbd");

    private ModelRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/models", ctx -> deps.views().send(ctx, "models/models.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                "runs", deps.store().rows("model_runs", Map.of("limit", 20)), "job", deps.jobs().latest(JOB))),
                Role.ANALYST, Role.ADMIN);
        app.post("/models/fit", ctx -> fit(ctx, deps), Role.ANALYST, Role.ADMIN);
        app.get("/jobs/{id}", ctx -> job(ctx, deps), Role.ANALYST, Role.ADMIN);
    }

    private static void fit(Context ctx, ServerDeps deps) {
        String model = ctx.formParam("model");
        if (model == null || !MODELS.contains(model)) {
            throw HttpError.badField("model", "model must be one of " + MODELS);
        }
        Jobs.Job job = deps.jobs().start(JOB + " " + model, () -> {
            var r = deps.store().fitAndScore(model);
            return "Model run #" + r.purchases().runId() + " (" + model + ") fitted and " + r.score().customers()
                    + " customers scored in " + Math.round(r.purchaseFitSeconds() + r.spendFitSeconds() + r.scoreSeconds() + r.summarySeconds())
                    + " s.";
        });
        if ("true".equals(ctx.header("HX-Request"))) {
            deps.views().send(ctx, "models/job.jte", Map.of("job", job, "seconds", job.seconds(deps.clock())));
        } else {
            ctx.redirect("/models", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private static void job(Context ctx, ServerDeps deps) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw HttpError.badField("id", "id must be a job number");
        }
        Jobs.Job job = deps.jobs().find(id).orElseThrow(() -> HttpError.notFound("No job " + id + " is known (jobs are forgotten"
                + " at restart)."));
        deps.views().send(ctx, "models/job.jte", Map.of("job", job, "seconds", job.seconds(deps.clock())));
    }
}
