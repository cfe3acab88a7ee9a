-- Scheduled reports (owned by the schedule package). Instants are epoch milliseconds (UTC),
-- lists are JSON arrays, parameters a JSON object.
CREATE TABLE schedules (
    id                  VARCHAR PRIMARY KEY,
    name                VARCHAR NOT NULL,
    template            VARCHAR NOT NULL,
    parameters_json     VARCHAR NOT NULL,
    formats_json        VARCHAR NOT NULL,
    recurrence          VARCHAR NOT NULL,
    zone                VARCHAR NOT NULL,
    owner               VARCHAR NOT NULL,
    roles_json          VARCHAR NOT NULL,
    users_json          VARCHAR NOT NULL,
    mail_json           VARCHAR NOT NULL,
    keep_runs           INTEGER NOT NULL,
    skip_if_empty       BOOLEAN NOT NULL,
    missed_policy       VARCHAR NOT NULL,
    max_attempts        INTEGER NOT NULL,
    paused              BOOLEAN NOT NULL,
    created_epoch_ms    BIGINT NOT NULL
);

-- One row per (schedule, slot): the UNIQUE key is what makes a slot run at most once, across
-- restarts and crashes. A manual run uses the moment it was asked for as its slot.
CREATE TABLE schedule_runs (
    id                      VARCHAR PRIMARY KEY,
    schedule_id             VARCHAR NOT NULL,
    slot_epoch_ms           BIGINT NOT NULL,
    trigger                 VARCHAR NOT NULL,
    status                  VARCHAR NOT NULL,
    attempts                INTEGER NOT NULL,
    next_attempt_epoch_ms   BIGINT,
    started_epoch_ms        BIGINT,
    finished_epoch_ms       BIGINT,
    duration_ms             BIGINT,
    error                   VARCHAR,
    note                    VARCHAR,
    UNIQUE (schedule_id, slot_epoch_ms)
);

-- The archived files of a run (one per format). deleted_epoch_ms is set when the keep setting removed it.
CREATE TABLE schedule_files (
    id                  VARCHAR PRIMARY KEY,
    run_id              VARCHAR NOT NULL,
    schedule_id         VARCHAR NOT NULL,
    format              VARCHAR NOT NULL,
    file_name           VARCHAR NOT NULL,
    size_bytes          BIGINT NOT NULL,
    sha256              VARCHAR NOT NULL,
    created_epoch_ms    BIGINT NOT NULL,
    deleted_epoch_ms    BIGINT
);

-- One mail per run and recipient list.
CREATE TABLE schedule_deliveries (
    run_id              VARCHAR NOT NULL,
    recipients          VARCHAR NOT NULL,
    status              VARCHAR NOT NULL,
    error               VARCHAR,
    sent_epoch_ms       BIGINT
);
