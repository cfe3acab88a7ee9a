-- Retention scores per customer (issue: retention manager). Owned by the retention package.
-- run_id is the model run whose P(alive) was used, NULL when the recency fallback was used.
CREATE SEQUENCE retention_run_seq START 1;
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
    scored_at         TIMESTAMP NOT NULL
);
