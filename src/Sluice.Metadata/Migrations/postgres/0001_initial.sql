-- Definitions (workspaces, sources and destinations, connections), jobs with their attempts, and sync state.

CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL
);

CREATE TABLE actors (
    id            uuid PRIMARY KEY,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id),
    kind          text NOT NULL CHECK (kind IN ('source', 'destination')),
    name          text NOT NULL,
    connector     text NOT NULL,
    config        jsonb NOT NULL,
    version       integer NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (workspace_id, kind, name)
);

CREATE TABLE connections (
    id                     uuid PRIMARY KEY,
    workspace_id           uuid NOT NULL REFERENCES workspaces (id),
    name                   text NOT NULL,
    source_id              uuid NOT NULL REFERENCES actors (id),
    destination_id         uuid NOT NULL REFERENCES actors (id),
    catalog                jsonb NOT NULL,
    schedule               text,
    status                 text NOT NULL,
    prefix                 text,
    destination_namespace  text,
    schema_change_policy   text NOT NULL,
    version                integer NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE INDEX connections_source_id ON connections (source_id);
CREATE INDEX connections_destination_id ON connections (destination_id);

-- An identity never hands out the same value twice: a job id doubles as the sync id written into destination rows.
CREATE TABLE jobs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    kind           text NOT NULL,
    status         text NOT NULL,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    ended_at       timestamptz,
    stats          jsonb NOT NULL,
    error          text,
    attempts       integer NOT NULL DEFAULT 0
);
CREATE INDEX jobs_connection_id ON jobs (connection_id, id);

CREATE TABLE job_attempts (
    job_id      bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    number      integer NOT NULL,
    status      text NOT NULL,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    stats       jsonb NOT NULL,
    error       text,
    log         text,
    PRIMARY KEY (job_id, number)
);

-- stream_key is '' for the global state and a JSON [namespace, name] pair for a stream, so that a null namespace
-- still takes part in the primary key (NULLs never collide in a UNIQUE constraint).
CREATE TABLE sync_state (
    connection_id     uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream_key        text NOT NULL,
    stream_namespace  text,
    stream_name       text,
    data              jsonb NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (connection_id, stream_key)
);
