-- Orchestration: DAGs with their version history, DAG runs, task instances with their logs, pools, and the
-- scheduler's lease. Ids of runs and task instances are integers so people can type them (`sluice runs show 42`).

CREATE TABLE dags (
    name             text PRIMARY KEY,
    paused           boolean NOT NULL DEFAULT false,
    current_version  integer NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE dag_versions (
    dag         text NOT NULL REFERENCES dags (name) ON DELETE CASCADE,
    version     integer NOT NULL,
    definition  text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (dag, version)
);

-- UNIQUE (dag, logical_date): even two schedulers racing cannot create the same run twice.
CREATE TABLE dag_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dag             text NOT NULL REFERENCES dags (name) ON DELETE CASCADE,
    logical_date    timestamptz NOT NULL,
    interval_start  timestamptz NOT NULL,
    interval_end    timestamptz NOT NULL,
    state           text NOT NULL,
    run_type        text NOT NULL CHECK (run_type IN ('scheduled', 'manual', 'backfill', 'event')),
    params          jsonb NOT NULL,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    ended_at        timestamptz,
    UNIQUE (dag, logical_date)
);
CREATE INDEX dag_runs_state ON dag_runs (state, dag);

CREATE TABLE task_instances (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         bigint NOT NULL REFERENCES dag_runs (id) ON DELETE CASCADE,
    task_id        text NOT NULL,
    state          text NOT NULL,
    attempt        integer NOT NULL,
    try_number     integer NOT NULL DEFAULT 0,
    pool           text NOT NULL,
    priority       integer NOT NULL,
    queued_at      timestamptz,
    started_at     timestamptz,
    ended_at       timestamptz,
    worker_id      text,
    heartbeat_at   timestamptz,
    next_retry_at  timestamptz,
    exit_code      integer,
    error          text,
    UNIQUE (run_id, task_id)
);
CREATE INDEX task_instances_state ON task_instances (state, priority);

CREATE TABLE task_logs (
    task_instance_id  bigint NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
    attempt           integer NOT NULL,
    text              text NOT NULL,
    PRIMARY KEY (task_instance_id, attempt)
);

CREATE TABLE pools (
    name   text PRIMARY KEY,
    slots  integer NOT NULL CHECK (slots >= 0)
);
INSERT INTO pools (name, slots) VALUES ('default', 128);

-- A single row (id = 1). The token grows with every change of holder, so a deposed scheduler's writes can be told apart.
CREATE TABLE scheduler_lease (
    id          integer PRIMARY KEY CHECK (id = 1),
    holder      text NOT NULL,
    token       bigint NOT NULL,
    expires_at  timestamptz NOT NULL
);
INSERT INTO scheduler_lease (id, holder, token, expires_at) VALUES (1, '', 0, '1970-01-01 00:00:00+00:00');
