-- Logs: every process's own log records (system_logs), the audit trail (user_actions). Task logs are in 0007.

-- Trigram indexes let a search term anywhere in a message use an index instead of reading every row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Written in batches by each process's PostgreSQL log sink (COPY), off the request path.
CREATE TABLE IF NOT EXISTS system_logs (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts         timestamptz NOT NULL,
    level      text        NOT NULL CHECK (level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')),
    category   text        NOT NULL,
    event_id   integer     NOT NULL DEFAULT 0,
    message    text        NOT NULL,
    exception  text,
    process    text        NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_system_logs_ts ON system_logs (ts DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_system_logs_level_ts ON system_logs (level, ts DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_system_logs_message_trgm ON system_logs USING gin (message gin_trgm_ops);

-- One row per state-changing request and per login attempt, written by the API host that served it.
CREATE TABLE IF NOT EXISTS user_actions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     uuid,
    action      text        NOT NULL,
    details     jsonb       NOT NULL DEFAULT '{}',
    ip_address  text,
    user_agent  text,
    created_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_user_actions_created ON user_actions (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_user_actions_user ON user_actions (user_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_user_actions_action ON user_actions (action, created_at DESC, id DESC);

-- Revenue for the admin stats: the charges, found without reading the rest of the ledger.
CREATE INDEX IF NOT EXISTS ix_ledger_entries_charges ON ledger_entries (kind) INCLUDE (amount) WHERE kind = 'charge';
