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
    details_json      VARCHAR
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
    scored_at          TIMESTAMP NOT NULL
);
