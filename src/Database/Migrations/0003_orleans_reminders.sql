-- Owl Factory: schema for Microsoft.Orleans.Reminders.AdoNet 10.4.x on PostgreSQL 15.
-- Needs the OrleansQuery table from 0001_orleans_clustering.sql.
--
-- Parameters the provider sends: @ServiceId, @GrainId (GrainId.ToString()),
-- @ReminderName, @StartTime (UTC, sent as timestamptz), @Period (milliseconds;
-- int4, or int8 when it exceeds int4), @GrainHash (the grain's uniform hash,
-- a uint cast to a signed int), @BeginHash / @EndHash (same signed form) and
-- @Version (the reminder ETag, int4).
-- Result columns it reads by name: GrainId, ReminderName, StartTime, Period,
-- Version.
--
-- Idempotent; no BEGIN/COMMIT (DbUp wraps the script); untagged $$ only.

CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT orleans_reminder_pk PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo loads the reminders of its slice of the hash ring.
CREATE INDEX IF NOT EXISTS orleans_reminder_ring_ix
    ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- All reminders of one grain.
('ReadReminderRowsKey', $$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId;
$$),

-- One reminder (zero rows when it does not exist).
('ReadReminderRowKey', $$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
   AND reminder_name = @ReminderName;
$$),

-- Ring range (begin, end] that does not wrap. The provider picks this key
-- when (int)begin < (int)end, i.e. it compares in signed order, which is how
-- grain_hash is stored.
('ReadRangeRows1Key', $$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_hash > @BeginHash
   AND grain_hash <= @EndHash;
$$),

-- Ring range that wraps past the top (also begin = end, the whole ring):
-- (begin, max] plus [min, end].
('ReadRangeRows2Key', $$
SELECT grain_id      AS GrainId,
       reminder_name AS ReminderName,
       start_time    AS StartTime,
       period_ms     AS Period,
       version       AS Version
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$$),

-- Insert or replace a reminder; returns its new ETag in column Version.
-- The version wraps before integer overflow; it only has to change.
('UpsertReminderRowKey', $$
INSERT INTO orleans_reminder AS r
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT ON CONSTRAINT orleans_reminder_pk DO UPDATE
   SET start_time = EXCLUDED.start_time,
       period_ms  = EXCLUDED.period_ms,
       grain_hash = EXCLUDED.grain_hash,
       version    = CASE WHEN r.version >= 2147483647 THEN 1 ELSE r.version + 1 END
RETURNING r.version AS Version;
$$),

-- Delete one reminder if its ETag still matches; one boolean column.
('DeleteReminderRowKey', $$
WITH removed AS (
    DELETE FROM orleans_reminder
     WHERE service_id = @ServiceId
       AND grain_id = @GrainId
       AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed) AS Deleted;
$$),

-- Delete every reminder of the service (tests and tooling).
('DeleteReminderRowsKey', $$
DELETE FROM orleans_reminder
 WHERE service_id = @ServiceId;
$$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
