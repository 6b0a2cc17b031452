-- Distributed mode: the registry of worker and scheduler processes, and the queue a task instance is claimed from.

-- One row per process (kind worker or scheduler), refreshed by its heartbeat; kept after it stops so the list shows it.
CREATE TABLE workers (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('worker', 'scheduler')),
    host            TEXT NOT NULL,
    pid             INTEGER NOT NULL,
    slots           INTEGER NOT NULL,
    queues          TEXT NOT NULL,
    labels          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    last_heartbeat  TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('active', 'draining', 'stopped'))
);

ALTER TABLE task_instances ADD COLUMN queue TEXT NOT NULL DEFAULT 'default';
CREATE INDEX task_instances_claim ON task_instances (queue, priority DESC, id) WHERE state = 'queued';
CREATE INDEX task_instances_worker ON task_instances (worker_id) WHERE state = 'running';
