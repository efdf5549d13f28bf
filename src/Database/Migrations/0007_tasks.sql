-- Tasks. Each row is the durable state of one TaskGrain (version-guarded). The row is inserted by the owner's
-- UserGrain in the same transaction as the task's hold, and every later write that moves money (settlement, retry)
-- is made the same way, so a task's state and its ledger entries always commit together.
CREATE TABLE IF NOT EXISTS tasks (
    id                  uuid           PRIMARY KEY,
    user_id             uuid           NOT NULL REFERENCES users (id),
    title               text           NOT NULL,
    description         text,
    task_type           text           NOT NULL,
    priority            integer        NOT NULL CHECK (priority BETWEEN 1 AND 5),
    estimated_duration  integer,
    config              jsonb          NOT NULL,
    result              jsonb,
    error_message       text,
    status              text           NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    progress            double precision NOT NULL DEFAULT 0,
    gpu_server_id       uuid,
    attempt             integer        NOT NULL,
    lost_runs           integer        NOT NULL DEFAULT 0,
    hold_key            text           NOT NULL,
    hold_amount         numeric(14,2)  NOT NULL,
    price               numeric(14,4)  NOT NULL,
    cost                numeric(14,2)  NOT NULL DEFAULT 0,
    timeout_seconds     integer        NOT NULL,
    idempotency_key     text,
    assigned_at         timestamptz,
    started_at          timestamptz,
    completed_at        timestamptz,
    created_at          timestamptz    NOT NULL,
    updated_at          timestamptz    NOT NULL,
    deleted_at          timestamptz,
    version             bigint         NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_tasks_user_created ON tasks (user_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_tasks_user_status ON tasks (user_id, status) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_tasks_created ON tasks (created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_tasks_status ON tasks (status, updated_at);
-- What a server holds (assigned or running): its grain reloads its slots from here after a move or a crash.
CREATE INDEX IF NOT EXISTS ix_tasks_server_active ON tasks (gpu_server_id) WHERE status IN ('pending', 'running') AND gpu_server_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_tasks_idempotency ON tasks (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The dispatch queue: one row per pending task that no server holds. Inserted and removed by the task's own writes
-- (in the same statement); servers with a free slot claim rows (claimed_by/claimed_at) with FOR UPDATE SKIP LOCKED,
-- so any number of server grains on any number of silos dispatch in parallel. A claim that is not turned into an
-- assignment within 30 s (its silo died) may be claimed again; the task grain decides which claim wins.
CREATE TABLE IF NOT EXISTS task_queue (
    task_id      uuid         PRIMARY KEY REFERENCES tasks (id),
    task_type    text         NOT NULL,
    priority     integer      NOT NULL,
    front        boolean      NOT NULL DEFAULT false,
    enqueued_at  timestamptz  NOT NULL,
    claimed_by   uuid,
    claimed_at   timestamptz
);
CREATE INDEX IF NOT EXISTS ix_task_queue_order ON task_queue (front DESC, priority DESC, enqueued_at, task_id);

-- A task's log: the platform's lifecycle lines and the agent's lines, in the order they were appended.
CREATE TABLE IF NOT EXISTS task_logs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id     uuid         NOT NULL,
    ts          timestamptz  NOT NULL,
    level       text         NOT NULL,
    message     text         NOT NULL,
    source      text         NOT NULL CHECK (source IN ('platform', 'agent')),
    created_at  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ix_task_logs_task ON task_logs (task_id, id);
CREATE INDEX IF NOT EXISTS ix_task_logs_created ON task_logs (created_at);

-- The task types a server's agent runs (from its latest heartbeat), so a pending task can say that nothing runs it.
ALTER TABLE gpu_servers ADD COLUMN IF NOT EXISTS task_types text[] NOT NULL DEFAULT '{}';
