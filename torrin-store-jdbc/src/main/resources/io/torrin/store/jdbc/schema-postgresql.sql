-- Torrin JDBC store schema for PostgreSQL. ${prefix} is the table prefix (default torrin_).
CREATE TABLE IF NOT EXISTS ${prefix}upload (
    upload_id    VARCHAR(128) NOT NULL PRIMARY KEY,
    record       TEXT         NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    expires_at   BIGINT       NOT NULL,
    total_chunks INTEGER      NOT NULL,
    chunks       BYTEA        NOT NULL,
    location     TEXT
);
CREATE INDEX IF NOT EXISTS ${prefix}upload_expires ON ${prefix}upload (expires_at);
CREATE TABLE IF NOT EXISTS ${prefix}lock_head (
    lock_key VARCHAR(255) NOT NULL PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS ${prefix}lock (
    lock_key   VARCHAR(255) NOT NULL,
    owner      VARCHAR(64)  NOT NULL,
    mode       CHAR(1)      NOT NULL,
    expires_at BIGINT       NOT NULL,
    PRIMARY KEY (lock_key, owner)
);
