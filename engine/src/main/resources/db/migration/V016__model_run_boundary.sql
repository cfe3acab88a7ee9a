-- Fits on the no-drop-out boundary and model choice (issue 16 items 6-7; owned by the clv package).
-- dropout_boundary: the drop-out parameter the data put at 0 (s for Pareto/NBD, a for BG/NBD and
-- MBG/NBD), NULL for an interior fit; such a run scores as the NBD it reduces to (P(alive) = 1).
-- warning: plain words for reports and the CLI, NULL when there is nothing to warn about.
-- choice: set on the run `clv fit --model auto` chose (why, in words); `clv score` without --model
-- scores with the model of the latest chosen run.
ALTER TABLE model_runs ADD COLUMN dropout_boundary VARCHAR;
ALTER TABLE model_runs ADD COLUMN warning VARCHAR;
ALTER TABLE model_runs ADD COLUMN choice VARCHAR;
CREATE OR REPLACE VIEW model_comparison AS
SELECT id AS run_id, model, fitted_at, time_unit, calibration_end, holdout_end, customers,
       log_likelihood, penalizer, holdout_customers, holdout_expected, holdout_actual,
       holdout_expected - holdout_actual AS holdout_error,
       CASE WHEN holdout_actual <> 0 THEN (holdout_expected - holdout_actual) / holdout_actual END AS holdout_relative_error,
       holdout_mae, dropout_boundary, warning, choice
FROM model_runs;
