-- Distributed mode: sync jobs asked for through the API wait in the jobs table until a worker claims them, like task
-- instances. A claim names the worker, counts up (a worker that lost its claim cannot write with the old number) and
-- is kept alive by heartbeats; a job whose worker went silent is put back for another worker with a new attempt.
ALTER TABLE jobs ADD COLUMN queued boolean NOT NULL DEFAULT false;
ALTER TABLE jobs ADD COLUMN worker_id text;
ALTER TABLE jobs ADD COLUMN claim integer NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE jobs ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
CREATE INDEX jobs_waiting ON jobs (id) WHERE queued AND status = 'pending';
CREATE INDEX jobs_claimed ON jobs (heartbeat_at) WHERE worker_id IS NOT NULL AND status = 'running';
