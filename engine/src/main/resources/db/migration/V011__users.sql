-- Users of the web server and their API tokens (owned by the users package).
CREATE SEQUENCE user_seq START 1;
CREATE TABLE users (
    id                  BIGINT PRIMARY KEY,
    name                VARCHAR NOT NULL UNIQUE,
    role                VARCHAR NOT NULL CHECK (role IN ('manager', 'analyst', 'admin')),
    -- argon2id in PHC string form ($argon2id$v=19$m=...,t=...,p=...$salt$hash)
    password_hash       VARCHAR NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT false,
    created_at          TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE api_token_seq START 1;
CREATE TABLE api_tokens (
    id           BIGINT PRIMARY KEY,
    user_id      BIGINT NOT NULL,
    label        VARCHAR NOT NULL,
    -- SHA-256 (hex) of the whole token; the token itself is shown once and never stored
    token_sha256 VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- Sign-in attempts, for per-account and per-address lockout. Appends only.
CREATE TABLE login_attempts (
    attempted_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    address   VARCHAR NOT NULL,
    success   BOOLEAN NOT NULL
);
