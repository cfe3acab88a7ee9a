-- RFM summaries kept for the next fit or scoring of the same data (RfmSummary): one entry per summary options
-- and transactions version (DataVersion.transactions), its rows a copy of the clv_rfm temp table.
CREATE SEQUENCE clv_summary_seq;

CREATE TABLE clv_summaries (
    id                   BIGINT NOT NULL,
    options              VARCHAR NOT NULL,
    transactions_version VARCHAR NOT NULL,
    customers            BIGINT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    repeat_days_stored   BOOLEAN NOT NULL  -- clv_summary_days holds this entry's rows (computed on first need)
);

CREATE TABLE clv_summary_rows (
    summary_id             BIGINT NOT NULL,
    customer_id            BIGINT,
    first_date             DATE,
    frequency              INTEGER,
    recency_days           INTEGER,
    t_days                 INTEGER,
    recency                DOUBLE,
    T                      DOUBLE,
    monetary_value         DOUBLE,
    calibration_amount     DOUBLE,
    frequency_holdout      INTEGER,
    monetary_value_holdout DOUBLE,
    duration_holdout       DOUBLE,
    active_months          HUGEINT
);

-- Repeat purchase days of the summarised customers per day, for the tracking diagnostics.
CREATE TABLE clv_summary_days (
    summary_id  BIGINT NOT NULL,
    date        DATE NOT NULL,
    repeat_days BIGINT NOT NULL
);
