-- Distributed mode: sync jobs asked for through the API wait in the jobs table until a worker claims them, like task
-- instances. A claim names the worker, counts up (a worker that lost its claim cannot write with the old number) and
-- is kept alive by heartbeats; a job whose worker went silent is put back for another worker with a new attempt.
ALTER TABLE jobs ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN worker_id TEXT;
ALTER TABLE jobs ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_waiting ON jobs (id) WHERE queued AND status = 'pending';
CREATE INDEX jobs_claimed ON jobs (heartbeat_at) WHERE worker_id IS NOT NULL AND status = 'running';
