-- DAGs belong to a workspace; their runs, task instances and task logs belong to it through their DAG. DAG names stay
-- unique across the instance (runs and versions refer to a DAG by name). Existing DAGs, and audit entries written
-- before every entry carried a workspace, go to the default workspace, which is created here when a database has
-- such rows but no default workspace yet.

INSERT INTO workspaces (id, name, created_at)
SELECT gen_random_uuid(), 'default', now()
WHERE NOT EXISTS (SELECT 1 FROM workspaces WHERE name = 'default')
  AND (EXISTS (SELECT 1 FROM dags) OR EXISTS (SELECT 1 FROM audit_log WHERE workspace_id IS NULL));

ALTER TABLE dags ADD COLUMN workspace_id uuid REFERENCES workspaces (id);
UPDATE dags SET workspace_id = (SELECT id FROM workspaces WHERE name = 'default') WHERE workspace_id IS NULL;
ALTER TABLE dags ALTER COLUMN workspace_id SET NOT NULL;
CREATE INDEX dags_workspace ON dags (workspace_id, name);

UPDATE audit_log SET workspace_id = (SELECT id FROM workspaces WHERE name = 'default') WHERE workspace_id IS NULL;
