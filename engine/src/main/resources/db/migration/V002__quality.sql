-- Data-quality runs (issue: data quality system). Owned by the quality package.
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
    warnings     INTEGER
);
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
    PRIMARY KEY (run_id, check_name)
);
-- Per-store overrides of the default thresholds, NULL meaning the default.
CREATE TABLE quality_thresholds (
    check_name VARCHAR PRIMARY KEY,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    warn_at    DOUBLE,
    fail_at    DOUBLE,
    updated_at TIMESTAMP NOT NULL
);
