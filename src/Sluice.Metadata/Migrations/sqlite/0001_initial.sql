-- Definitions (workspaces, sources and destinations, connections), jobs with their attempts, and sync state.
-- Ids are UUID text; times are UTC text as Microsoft.Data.Sqlite writes a DateTimeOffset; JSON columns hold JSON text.

CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE actors (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    kind          TEXT NOT NULL CHECK (kind IN ('source', 'destination')),
    name          TEXT NOT NULL,
    connector     TEXT NOT NULL,
    config        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, kind, name)
);

CREATE TABLE connections (
    id                     TEXT PRIMARY KEY,
    workspace_id           TEXT NOT NULL REFERENCES workspaces (id),
    name                   TEXT NOT NULL,
    source_id              TEXT NOT NULL REFERENCES actors (id),
    destination_id         TEXT NOT NULL REFERENCES actors (id),
    catalog                TEXT NOT NULL,
    schedule               TEXT,
    status                 TEXT NOT NULL,
    prefix                 TEXT,
    destination_namespace  TEXT,
    schema_change_policy   TEXT NOT NULL,
    version                INTEGER NOT NULL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE INDEX connections_source_id ON connections (source_id);
CREATE INDEX connections_destination_id ON connections (destination_id);

-- AUTOINCREMENT: a job id doubles as the sync id written into destination rows, so it must never be reused.
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    ended_at       TEXT,
    stats          TEXT NOT NULL,
    error          TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_connection_id ON jobs (connection_id, id);

CREATE TABLE job_attempts (
    job_id      INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    status      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    stats       TEXT NOT NULL,
    error       TEXT,
    log         TEXT,
    PRIMARY KEY (job_id, number)
);

-- stream_key is '' for the global state and a JSON [namespace, name] pair for a stream, so that a null namespace
-- still takes part in the primary key (NULLs never collide in a UNIQUE constraint).
CREATE TABLE sync_state (
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream_key        TEXT NOT NULL,
    stream_namespace  TEXT,
    stream_name       TEXT,
    data              TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (connection_id, stream_key)
);
