package io.clvanalytics.server.quality;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** Data quality: the latest run with every check and its sample, the score's history, "run checks now". */
public final class QualityRoutes {

    static final String JOB = "Data-quality checks";

    private QualityRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/quality", ctx -> page(ctx, deps), Role.ANALYST, Role.ADMIN);
        app.post("/quality/runs", ctx -> start(ctx, deps), Role.ANALYST, Role.ADMIN);
    }

    private static void page(Context ctx, ServerDeps deps) {
        deps.views().send(ctx, "quality/quality.jte", Map.of("page", PageContext.of(ctx, deps.store()),
                "run", deps.store().latestQualityRun(), "job", deps.jobs().latest(JOB)));
    }

    private static void start(Context ctx, ServerDeps deps) {
        var job = deps.jobs().start(JOB, () -> {
            var run = deps.store().runQualityChecks();
            return "Quality run #" + run.id() + " finished: score " + Math.round(run.score() * 10) / 10.0 + ", " + run.failures()
                    + " failed, " + run.warnings() + " warnings. Reload the page to see it.";
        });
        ctx.redirect("/quality?job=" + job.id(), io.javalin.http.HttpStatus.SEE_OTHER);
    }
}
