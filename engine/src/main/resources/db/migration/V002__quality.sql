-- Data-quality runs (issue: data quality system). Owned by the quality package.
-- One row per run of the check suite. window_start and window_end are the transaction dates the
-- run looked at, since_date the --since the caller asked for (NULL for the whole store).
CREATE SEQUENCE quality_run_seq START 1;
CREATE TABLE quality_runs (
    id           BIGINT PRIMARY KEY,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    window_start DATE,
    window_end   DATE,
    score        DOUBLE,
    checks_run   INTEGER,
    failures     INTEGER,
    warnings     INTEGER,
    errors       INTEGER,
    since_date   DATE,
    scope        VARCHAR
);
-- One row per check and run. metric is in unit, higher is worse. threshold is the rule as text
-- (warn above and fail above), sample_json a JSON array of up to a few offending rows.
CREATE TABLE quality_results (
    run_id         BIGINT NOT NULL,
    check_name     VARCHAR NOT NULL,
    category       VARCHAR,
    severity       VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    metric         DOUBLE,
    threshold      VARCHAR,
    offending_rows BIGINT,
    sample_json    VARCHAR,
    message        VARCHAR,
    unit           VARCHAR,
    warn_at        DOUBLE,
    fail_at        DOUBLE,
    duration_ms    BIGINT,
    PRIMARY KEY (run_id, check_name)
);
-- Per-store overrides of the default thresholds, NULL meaning the default.
-- params_json holds overrides of check parameters (for example max_amount or k) as a JSON object.
CREATE TABLE quality_thresholds (
    check_name  VARCHAR PRIMARY KEY,
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    warn_at     DOUBLE,
    fail_at     DOUBLE,
    updated_at  TIMESTAMP NOT NULL,
    params_json VARCHAR
);
