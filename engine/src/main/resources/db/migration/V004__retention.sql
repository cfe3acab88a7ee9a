-- Retention scores per customer (issue: retention manager). Owned by the retention package.
-- One row per retention run: the as-of date, the CLV model run whose P(alive) was used (NULL when
-- no model run existed and the recency fallback scored everybody) and the settings as JSON.
CREATE SEQUENCE retention_run_seq START 1;
CREATE TABLE retention_runs (
    id            BIGINT PRIMARY KEY,
    run_id        BIGINT,
    as_of         DATE NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    customers     BIGINT,
    settings_json VARCHAR NOT NULL
);
-- run_id is the model run whose P(alive) was used, NULL when the recency fallback was used.
-- churn_source is 'model' or 'recency_fallback'. value_at_risk = clv * churn_probability.
-- recency_days, tenure_days and frequency (distinct purchase days) are as of retention_runs.as_of,
-- monetary is the net revenue to that date, recent_purchases and prior_purchases count purchase
-- days in the last and the previous trend window.
CREATE TABLE retention_scores (
    retention_run_id  BIGINT NOT NULL,
    run_id            BIGINT,
    customer_id       BIGINT NOT NULL,
    churn_probability DOUBLE,
    churn_source      VARCHAR NOT NULL,
    value_at_risk     DOUBLE,
    risk_level        VARCHAR,
    engagement_score  DOUBLE,
    r_score           INTEGER,
    f_score           INTEGER,
    m_score           INTEGER,
    segment           VARCHAR,
    status            VARCHAR,
    action            VARCHAR,
    action_reason     VARCHAR,
    action_priority   INTEGER,
    scored_at         TIMESTAMP NOT NULL,
    p_alive           DOUBLE,
    clv               DOUBLE,
    clv_source        VARCHAR,
    value_tier        VARCHAR,
    recency_days      INTEGER,
    tenure_days       INTEGER,
    frequency         INTEGER,
    monetary          DOUBLE,
    recent_purchases  INTEGER,
    prior_purchases   INTEGER
);
