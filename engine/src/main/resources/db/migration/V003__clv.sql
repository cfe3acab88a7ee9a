-- CLV model runs and per-customer predictions (issue: CLV engine). Owned by the clv package.
-- parameters_json holds each parameter with its value, standard error and 95 % interval.
CREATE SEQUENCE model_run_seq START 1;
CREATE TABLE model_runs (
    id                BIGINT PRIMARY KEY,
    model             VARCHAR NOT NULL,
    fitted_at         TIMESTAMP NOT NULL,
    calibration_start DATE,
    calibration_end   DATE,
    holdout_end       DATE,
    time_unit         VARCHAR NOT NULL,
    customers         BIGINT,
    log_likelihood    DOUBLE,
    converged         BOOLEAN,
    iterations        INTEGER,
    penalizer         DOUBLE,
    parameters_json   VARCHAR NOT NULL,
    details_json      VARCHAR,
    unique_rows       INTEGER,
    holdout_customers BIGINT,
    holdout_expected  DOUBLE,
    holdout_actual    DOUBLE,
    holdout_mae       DOUBLE
);
-- One row per customer and scoring run. run_id is the purchase model run, spend_run_id the
-- Gamma-Gamma run used for expected spend (NULL when spend came from the history).
CREATE TABLE customer_scores (
    run_id             BIGINT NOT NULL,
    spend_run_id       BIGINT,
    customer_id        BIGINT NOT NULL,
    frequency          DOUBLE,
    recency            DOUBLE,
    t                  DOUBLE,
    monetary_value     DOUBLE,
    p_alive            DOUBLE,
    expected_purchases DOUBLE,
    expected_spend     DOUBLE,
    clv                DOUBLE,
    horizon            DOUBLE,
    discount_rate      DOUBLE,
    scored_at          TIMESTAMP NOT NULL,
    historic_clv       DOUBLE
);

-- Diagnostics of a model run, stored as data for reports and charts. holdout_* are filled when
-- the run had a holdout period. For a purchase model holdout_expected and holdout_actual are the
-- summed repeat purchases of all customers in the holdout and holdout_mae the mean absolute
-- per-customer error. For Gamma-Gamma they are mean spend per transaction of the customers who
-- bought in the holdout.

-- Calibration vs holdout: mean expected and actual holdout purchases by calibration frequency.
CREATE TABLE model_run_holdout (
    run_id             BIGINT NOT NULL,
    frequency          INTEGER NOT NULL,
    customers          BIGINT NOT NULL,
    expected_purchases DOUBLE NOT NULL,
    actual_purchases   DOUBLE NOT NULL
);

-- Tracking: repeat purchases of the whole cohort per period, expected vs actual. period 0 starts
-- at the first purchase in the data, in_holdout marks periods after the calibration end.
CREATE TABLE model_run_tracking (
    run_id              BIGINT NOT NULL,
    period              INTEGER NOT NULL,
    period_start        DATE NOT NULL,
    in_holdout          BOOLEAN NOT NULL,
    actual              DOUBLE NOT NULL,
    expected            DOUBLE NOT NULL,
    cumulative_actual   DOUBLE NOT NULL,
    cumulative_expected DOUBLE NOT NULL
);

-- Period-transactions histogram: customers by number of repeat purchases in the calibration
-- period, actual vs expected. The last row (or_more) counts that many or more.
CREATE TABLE model_run_frequency_histogram (
    run_id             BIGINT NOT NULL,
    frequency          INTEGER NOT NULL,
    or_more            BOOLEAN NOT NULL,
    actual_customers   BIGINT NOT NULL,
    expected_customers DOUBLE NOT NULL
);

-- Frequency-recency matrix for a customer observed for T = the longest calibration tenure:
-- expected purchases in the next period and P(alive) by frequency and recency (in the run's unit).
CREATE TABLE model_run_frequency_recency (
    run_id             BIGINT NOT NULL,
    frequency          INTEGER NOT NULL,
    recency            DOUBLE NOT NULL,
    t                  DOUBLE NOT NULL,
    expected_purchases DOUBLE NOT NULL,
    p_alive            DOUBLE NOT NULL
);

-- Model comparison: fit and holdout error side by side, one row per run.
CREATE VIEW model_comparison AS
SELECT id AS run_id, model, fitted_at, time_unit, calibration_end, holdout_end, customers,
       log_likelihood, penalizer, holdout_customers, holdout_expected, holdout_actual,
       holdout_expected - holdout_actual AS holdout_error,
       CASE WHEN holdout_actual <> 0 THEN (holdout_expected - holdout_actual) / holdout_actual END AS holdout_relative_error,
       holdout_mae
FROM model_runs;
