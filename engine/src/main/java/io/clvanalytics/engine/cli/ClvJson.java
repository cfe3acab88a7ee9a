package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.clv.ClvService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON documents {@code clv fit} and {@code clv score} print, for every front end that reports
 * the same runs (the CLI, engine-spark's job): print them with {@link Output#json}.
 */
public final class ClvJson {

    private ClvJson() {}

    /** {@code clv fit --json} of one run. */
    public static Map<String, Object> fit(ClvService.FitReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", r.runId());
        m.put("model", r.model());
        m.put("time_unit", r.window().unit().label());
        m.put("calibration_start", r.window().firstDate());
        m.put("calibration_end", r.window().calibrationEnd());
        m.put("holdout_end", r.window().holdoutEnd());
        m.put("customers", r.fit().customers());
        m.put("unique_rows", r.fit().uniqueRows());
        m.put("log_likelihood", r.fit().logLikelihood());
        m.put("converged", r.fit().converged());
        m.put("iterations", r.fit().iterations());
        m.put("penalizer", r.fit().penalizer());
        m.put("parameters", ClvService.parametersJson(r.fit()));
        m.put("fitted_at", r.fittedAt());
        if (r.fit().boundary() != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("parameter", r.fit().boundary().parameter());
            b.put("unidentified", r.fit().boundary().unidentified());
            b.put("likelihood_ratio_vs_nbd", r.fit().boundary().likelihoodRatio());
            b.put("predicts_as", "nbd");
            m.put("boundary", b);
        }
        m.put("warning", r.warning());
        if (r.holdout() != null) {
            Map<String, Object> h = new LinkedHashMap<>();
            boolean spend = r.model().equals("gg");
            h.put("customers", r.holdout().customers());
            h.put(spend ? "expected_mean_spend" : "expected_purchases", r.holdout().expected());
            h.put(spend ? "actual_mean_spend" : "actual_purchases", r.holdout().actual());
            h.put("difference", r.holdout().expected() - r.holdout().actual());
            h.put("mean_absolute_error", r.holdout().meanAbsoluteError());
            m.put("holdout", h);
        }
        return m;
    }

    /**
     * {@code clv score --refit --json}: the purchase fit, the spend fit (null when none was possible)
     * and the scoring summary.
     */
    public static Map<String, Object> pipeline(ClvService.FitReport purchases, ClvService.FitReport spend, ClvService.ScoreReport score) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fit", fit(purchases));
        json.put("spend_fit", spend == null ? null : fit(spend));
        json.put("score", score);
        return json;
    }
}
