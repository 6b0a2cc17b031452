-- Schema evolution: the source schema last seen per connection stream (the baseline the next sync compares with),
-- and the history of every schema change seen with what was done about it.

-- stream_key is the JSON pair [namespace, name], as in sync_state. schema is the stream's Airbyte-protocol JSON,
-- kept as text so it reads back exactly as written.
CREATE TABLE schema_snapshots (
    connection_id     uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream_key        text NOT NULL,
    stream_namespace  text,
    stream_name       text NOT NULL,
    schema            text NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (connection_id, stream_key)
);

-- job_id has no foreign key: the history outlives pruned jobs. It is null for changes accepted by a resume.
CREATE TABLE schema_changes (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id     uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    at                timestamptz NOT NULL,
    job_id            bigint,
    stream_namespace  text,
    stream_name       text NOT NULL,
    kind              text NOT NULL,
    column_name       text,
    old_type          text,
    new_type          text,
    action            text NOT NULL CHECK (action IN ('applied', 'ignored', 'paused')),
    message           text NOT NULL
);
CREATE INDEX schema_changes_connection ON schema_changes (connection_id, id);
