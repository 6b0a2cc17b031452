-- Orchestration: DAGs with their version history, DAG runs, task instances with their logs, pools, and the
-- scheduler's lease. Ids of runs and task instances are integers so people can type them (`sluice runs show 42`).

CREATE TABLE dags (
    name             TEXT PRIMARY KEY,
    paused           INTEGER NOT NULL DEFAULT 0,
    current_version  INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE dag_versions (
    dag         TEXT NOT NULL REFERENCES dags (name) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (dag, version)
);

-- UNIQUE (dag, logical_date): even two schedulers racing cannot create the same run twice.
CREATE TABLE dag_runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dag             TEXT NOT NULL REFERENCES dags (name) ON DELETE CASCADE,
    logical_date    TEXT NOT NULL,
    interval_start  TEXT NOT NULL,
    interval_end    TEXT NOT NULL,
    state           TEXT NOT NULL,
    run_type        TEXT NOT NULL CHECK (run_type IN ('scheduled', 'manual', 'backfill', 'event')),
    params          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    ended_at        TEXT,
    UNIQUE (dag, logical_date)
);
CREATE INDEX dag_runs_state ON dag_runs (state, dag);

CREATE TABLE task_instances (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         INTEGER NOT NULL REFERENCES dag_runs (id) ON DELETE CASCADE,
    task_id        TEXT NOT NULL,
    state          TEXT NOT NULL,
    attempt        INTEGER NOT NULL,
    try_number     INTEGER NOT NULL DEFAULT 0,
    pool           TEXT NOT NULL,
    priority       INTEGER NOT NULL,
    queued_at      TEXT,
    started_at     TEXT,
    ended_at       TEXT,
    worker_id      TEXT,
    heartbeat_at   TEXT,
    next_retry_at  TEXT,
    exit_code      INTEGER,
    error          TEXT,
    UNIQUE (run_id, task_id)
);
CREATE INDEX task_instances_state ON task_instances (state, priority);

CREATE TABLE task_logs (
    task_instance_id  INTEGER NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
    attempt           INTEGER NOT NULL,
    text              TEXT NOT NULL,
    PRIMARY KEY (task_instance_id, attempt)
);

CREATE TABLE pools (
    name   TEXT PRIMARY KEY,
    slots  INTEGER NOT NULL CHECK (slots >= 0)
);
INSERT INTO pools (name, slots) VALUES ('default', 128);

-- A single row (id = 1). The token grows with every change of holder, so a deposed scheduler's writes can be told apart.
CREATE TABLE scheduler_lease (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    holder      TEXT NOT NULL,
    token       INTEGER NOT NULL,
    expires_at  TEXT NOT NULL
);
INSERT INTO scheduler_lease (id, holder, token, expires_at) VALUES (1, '', 0, '1970-01-01 00:00:00+00:00');
