-- The monthly series of each product's latest lifecycle analysis (the lifecycle package's TrendPoint), written with
-- product_lifecycle and product_stage_history, so a product's page reads the stored analysis instead of running
-- it again. Rewritten for a product each time its lifecycle is analysed.
CREATE TABLE product_lifecycle_series (
    product_id  BIGINT NOT NULL,
    month       DATE NOT NULL,     -- first day of a complete month
    revenue     DOUBLE NOT NULL,   -- net revenue of the month
    units       DOUBLE NOT NULL,   -- units sold in the month
    revenue_ma  DOUBLE NOT NULL,   -- mean net revenue of this and the two previous months
    mom_growth  DOUBLE,
    yoy_growth  DOUBLE,
    stage       VARCHAR NOT NULL,  -- the stage evaluated at the end of the month
    confidence  DOUBLE NOT NULL
);

-- DataVersion.transactions at the run, so a reader can tell whether the transactions changed since (empty for runs
-- recorded before this column existed).
ALTER TABLE product_analysis_runs ADD COLUMN transactions_version VARCHAR;

-- The catalogue analysis (product_analysis_runs.id) that wrote a product's lifecycle; empty when one product's own
-- analysis wrote it (possibly with other thresholds or another end date).
ALTER TABLE product_lifecycle ADD COLUMN run_id BIGINT;
