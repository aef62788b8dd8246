-- Schema version 18: dashboard users, their one-time links, and dashboard sessions kept in the store.
-- Times are epoch milliseconds (UTC).

-- a user holds one role (analyst, admin, owner) in the workspaces listed in workspaces: '*' for every workspace,
-- otherwise their ids separated by commas. password_hash is an Argon2id PHC string, NULL until the invitation is
-- accepted; the e-mail is stored lower-cased.
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL,
    workspaces      TEXT NOT NULL,
    password_hash   TEXT,
    created_at      BIGINT NOT NULL,
    password_set_at BIGINT
);

-- one-time invitation or reset links: the SHA-256 of the link's token, one live link per user
CREATE TABLE user_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL
);

-- dashboard sessions: the SHA-256 of the cookie's session id, never the id; a user's session names the user, the
-- administrator's the hash of the credential it was opened with
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    user_id    TEXT,
    admin_hash TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
