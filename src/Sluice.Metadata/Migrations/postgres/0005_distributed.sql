-- Distributed mode: the registry of worker and scheduler processes, and the queue a task instance is claimed from.

-- One row per process (kind worker or scheduler), refreshed by its heartbeat; kept after it stops so the list shows it.
CREATE TABLE workers (
    id              text PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('worker', 'scheduler')),
    host            text NOT NULL,
    pid             integer NOT NULL,
    slots           integer NOT NULL,
    queues          text NOT NULL,
    labels          text NOT NULL,
    started_at      timestamptz NOT NULL,
    last_heartbeat  timestamptz NOT NULL,
    state           text NOT NULL CHECK (state IN ('active', 'draining', 'stopped'))
);

ALTER TABLE task_instances ADD COLUMN queue text NOT NULL DEFAULT 'default';
-- The claim reads only queued rows; a partial index keeps it small however long the history grows.
CREATE INDEX task_instances_claim ON task_instances (queue, priority DESC, id) WHERE state = 'queued';
CREATE INDEX task_instances_worker ON task_instances (worker_id) WHERE state = 'running';
