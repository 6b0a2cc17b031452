-- Local users with a role per workspace, API tokens and browser sessions (stored as SHA-256 hashes only), and the audit log.

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    password_hash  text NOT NULL,
    disabled       integer NOT NULL DEFAULT 0,
    version        integer NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE user_roles (
    user_id       uuid NOT NULL REFERENCES users (id),
    workspace_id  uuid NOT NULL REFERENCES workspaces (id),
    role          text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (user_id, workspace_id)
);

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id),
    workspace_id  uuid REFERENCES workspaces (id),
    kind          text NOT NULL CHECK (kind IN ('api', 'session')),
    name          text NOT NULL,
    token_hash    text NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text NOT NULL,
    workspace_id  uuid,
    action        text NOT NULL,
    target        text,
    status        integer NOT NULL,
    before        text,
    after         text
);
