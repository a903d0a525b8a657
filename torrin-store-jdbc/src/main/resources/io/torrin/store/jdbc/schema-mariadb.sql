-- Torrin JDBC store schema for MariaDB and MySQL (InnoDB). ${prefix} is the table prefix (default torrin_).
CREATE TABLE IF NOT EXISTS ${prefix}upload (
    upload_id    VARCHAR(128) NOT NULL PRIMARY KEY,
    record       MEDIUMTEXT   NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    expires_at   BIGINT       NOT NULL,
    total_chunks INTEGER      NOT NULL,
    chunks       MEDIUMBLOB   NOT NULL,
    location     TEXT,
    INDEX ${prefix}upload_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS ${prefix}lock_head (
    lock_key VARCHAR(255) NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS ${prefix}lock (
    lock_key   VARCHAR(255) NOT NULL,
    owner      VARCHAR(64)  NOT NULL,
    mode       CHAR(1)      NOT NULL,
    expires_at BIGINT       NOT NULL,
    PRIMARY KEY (lock_key, owner)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
