-- Schema evolution: the source schema last seen per connection stream (the baseline the next sync compares with),
-- and the history of every schema change seen with what was done about it.

-- stream_key is the JSON pair [namespace, name], as in sync_state. schema is the stream's Airbyte-protocol JSON text.
CREATE TABLE schema_snapshots (
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream_key        TEXT NOT NULL,
    stream_namespace  TEXT,
    stream_name       TEXT NOT NULL,
    schema            TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (connection_id, stream_key)
);

-- job_id has no foreign key: the history outlives pruned jobs. It is null for changes accepted by a resume.
CREATE TABLE schema_changes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    at                TEXT NOT NULL,
    job_id            INTEGER,
    stream_namespace  TEXT,
    stream_name       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    column_name       TEXT,
    old_type          TEXT,
    new_type          TEXT,
    action            TEXT NOT NULL CHECK (action IN ('applied', 'ignored', 'paused')),
    message           TEXT NOT NULL
);
CREATE INDEX schema_changes_connection ON schema_changes (connection_id, id);
