-- Local users with a role per workspace, API tokens and browser sessions (stored as SHA-256 hashes only), and the audit log.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id       TEXT NOT NULL REFERENCES users (id),
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (user_id, workspace_id)
);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    workspace_id  TEXT REFERENCES workspaces (id),
    kind          TEXT NOT NULL CHECK (kind IN ('api', 'session')),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    workspace_id  TEXT,
    action        TEXT NOT NULL,
    target        TEXT,
    status        INTEGER NOT NULL,
    before        TEXT,
    after         TEXT
);
