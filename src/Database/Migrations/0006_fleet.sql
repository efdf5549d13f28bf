-- GPU servers. Each row is the durable part of one GpuServerGrain: its registration, its agent token's hash and its
-- status (written on status changes, not on every heartbeat; live telemetry stays in the grain).
CREATE TABLE IF NOT EXISTS gpu_servers (
    id                    uuid          PRIMARY KEY,
    name                  text          NOT NULL,
    host                  text          NOT NULL,
    gpu_count             integer       NOT NULL CHECK (gpu_count >= 0),
    max_concurrent_tasks  integer       NOT NULL CHECK (max_concurrent_tasks >= 1),
    total_memory          numeric(10,2) NOT NULL CHECK (total_memory >= 0),
    description           text,
    token_hash            text          NOT NULL,
    status                text          NOT NULL CHECK (status IN ('online', 'offline', 'busy', 'maintenance')),
    maintenance           boolean       NOT NULL DEFAULT false,
    last_heartbeat        timestamptz,
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL,
    deleted_at            timestamptz,
    version               bigint        NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_gpu_servers_name ON gpu_servers (lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_gpu_servers_status ON gpu_servers (status) WHERE deleted_at IS NULL;
