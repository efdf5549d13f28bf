-- Accounts. Each row is the durable state of one UserGrain (written only by that grain, version-guarded) and, at
-- the same time, the read side the admin lists and stats query.
CREATE TABLE IF NOT EXISTS users (
    id             uuid          PRIMARY KEY,
    email          text          NOT NULL,
    username       text          NOT NULL,
    full_name      text,
    password_hash  text          NOT NULL,
    role           text          NOT NULL CHECK (role IN ('user', 'admin', 'super_admin')),
    is_active      boolean       NOT NULL,
    balance        numeric(14,2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    token_version  integer       NOT NULL DEFAULT 0,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL,
    last_login     timestamptz,
    version        bigint        NOT NULL
);

-- Uniqueness ignoring case is decided here, inside the registering grain's own write: two racing registrations
-- cannot both commit.
CREATE UNIQUE INDEX IF NOT EXISTS ux_users_email ON users (lower(email));
CREATE UNIQUE INDEX IF NOT EXISTS ux_users_username ON users (lower(username));
CREATE INDEX IF NOT EXISTS ix_users_role ON users (role);
CREATE INDEX IF NOT EXISTS ix_users_created_at ON users (created_at DESC);
