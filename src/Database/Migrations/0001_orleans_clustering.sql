-- Owl Factory: schema for Microsoft.Orleans.Clustering.AdoNet 10.4.x on PostgreSQL 15.
--
-- The ADO.NET providers ship no SQL. At start-up each provider runs
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and then executes the stored text through Npgsql with named @parameters.
-- The contract is therefore: the OrleansQuery table, the query keys, the
-- @parameter names and the result column names. Everything else (our own
-- tables, columns, functions) is ours; result columns are aliased to the
-- names the provider reads (Npgsql resolves names case-insensitively, so the
-- folded lower-case aliases are found).
--
-- Idempotent: safe to run twice. No BEGIN/COMMIT here, DbUp wraps each
-- script in its own transaction. Only untagged $$ quoting is used, because
-- DbUp reads a dollar-word-dollar sequence as one of its script variables.
--
-- Silo status values used below (Orleans.Runtime.SiloStatus): 3 = Active, 6 = Dead.

-- Named queries shared by every Orleans ADO.NET provider.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT orleans_query_pk PRIMARY KEY (QueryKey)
);

-- One row per cluster (the provider's "DeploymentId" is the ClusterId).
-- Every membership change bumps "version"; the provider uses it as the
-- optimistic-concurrency token (the table ETag) for inserts and updates.
-- It must only grow (silos order membership snapshots by it), so it is never
-- wrapped: reaching the integer limit raises an error rather than lying.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

-- One row per silo incarnation (address, port, generation).
-- Times are timestamptz: Npgsql sends the provider's UTC DateTime values
-- (DbType.DateTime) as timestamptz, and reading timestamptz back yields UTC.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL,
    address         varchar(45) NOT NULL,  -- IPv4 or IPv6 text form
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,  -- gateway port, 0 = not a gateway
    suspect_times   text        NULL,              -- "silo,date|silo,date" as the provider formats it
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_version_fk FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE
);

-- Insert a silo row, but only if the caller's table version is still current.
-- The version bump and the insert succeed or fail together: when the silo row
-- already exists, the inner block raises and its rollback undoes the bump.
-- Returns true on success, false on a version or key conflict.
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_silo_name        text,
    p_host_name        text,
    p_status           integer,
    p_proxy_port       integer,
    p_start_time       timestamptz,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    BEGIN
        UPDATE orleans_membership_version
           SET version = version + 1,
               updated_at = now()
         WHERE deployment_id = p_deployment_id
           AND version = p_expected_version;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        INSERT INTO orleans_membership
            (deployment_id, address, port, generation, silo_name, host_name,
             status, proxy_port, suspect_times, start_time, i_am_alive_time)
        VALUES
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
             p_status, COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
        ON CONFLICT ON CONSTRAINT orleans_membership_pk DO NOTHING;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'silo row already exists' USING ERRCODE = 'OR001';
        END IF;

        RETURN true;
    EXCEPTION
        WHEN SQLSTATE 'OR001' THEN
            RETURN false;
    END;
END;
$$;

-- Update a silo row (status, suspicions, liveness) under the same
-- version-check-and-bump rule as the insert. A missing silo row rolls the
-- bump back. Returns true on success, false on conflict.
CREATE OR REPLACE FUNCTION orleans_update_membership(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_status           integer,
    p_suspect_times    text,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    BEGIN
        UPDATE orleans_membership_version
           SET version = version + 1,
               updated_at = now()
         WHERE deployment_id = p_deployment_id
           AND version = p_expected_version;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        UPDATE orleans_membership
           SET status = p_status,
               suspect_times = p_suspect_times,
               -- never move liveness backwards if writes arrive out of order
               i_am_alive_time = GREATEST(i_am_alive_time, p_i_am_alive_time)
         WHERE deployment_id = p_deployment_id
           AND address = p_address
           AND port = p_port
           AND generation = p_generation;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'silo row not found' USING ERRCODE = 'OR001';
        END IF;

        RETURN true;
    EXCEPTION
        WHEN SQLSTATE 'OR001' THEN
            RETURN false;
    END;
END;
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Create the cluster's version row if it is missing.
-- Returns one boolean column: true when this call created it.
('InsertMembershipVersionKey', $$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS Inserted;
$$),

-- Conditional insert of a silo row; one boolean column.
('InsertMembershipKey', $$
SELECT orleans_insert_membership(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS Inserted;
$$),

-- Conditional update of a silo row; one boolean column.
('UpdateMembershipKey', $$
SELECT orleans_update_membership(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS Updated;
$$),

-- Heartbeat. Not versioned: the provider ignores the outcome.
('UpdateIAmAlivetimeKey', $$
UPDATE orleans_membership
   SET i_am_alive_time = GREATEST(i_am_alive_time, @IAmAliveTime)
 WHERE deployment_id = @DeploymentId
   AND address = @Address
   AND port = @Port
   AND generation = @Generation;
$$),

-- One silo plus the table version. The LEFT JOIN keeps the version row even
-- when the silo is unknown: the provider always reads Version from the first
-- row and treats a NULL StartTime as "no such silo".
('MembershipReadRowKey', $$
SELECT v.deployment_id   AS DeploymentId,
       m.address         AS Address,
       m.port            AS Port,
       m.generation      AS Generation,
       m.silo_name       AS SiloName,
       m.host_name       AS HostName,
       m.status          AS Status,
       m.proxy_port      AS ProxyPort,
       m.suspect_times   AS SuspectTimes,
       m.start_time      AS StartTime,
       m.i_am_alive_time AS IAmAliveTime,
       v.version         AS Version
  FROM orleans_membership_version AS v
  LEFT JOIN orleans_membership AS m
         ON m.deployment_id = v.deployment_id
        AND m.address = @Address
        AND m.port = @Port
        AND m.generation = @Generation
 WHERE v.deployment_id = @DeploymentId;
$$),

-- All silos plus the table version (same shape and LEFT JOIN reason as above).
('MembershipReadAllKey', $$
SELECT v.deployment_id   AS DeploymentId,
       m.address         AS Address,
       m.port            AS Port,
       m.generation      AS Generation,
       m.silo_name       AS SiloName,
       m.host_name       AS HostName,
       m.status          AS Status,
       m.proxy_port      AS ProxyPort,
       m.suspect_times   AS SuspectTimes,
       m.start_time      AS StartTime,
       m.i_am_alive_time AS IAmAliveTime,
       v.version         AS Version
  FROM orleans_membership_version AS v
  LEFT JOIN orleans_membership AS m
         ON m.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId;
$$),

-- Gateways for clients: active silos (@Status is 3) that expose a gateway port.
('GatewaysQueryKey', $$
SELECT address    AS Address,
       proxy_port AS ProxyPort,
       generation AS Generation
  FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = @Status
   AND proxy_port > 0;
$$),

-- Drop a whole cluster (tests and tooling).
('DeleteMembershipTableEntriesKey', $$
DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$$),

-- Bulk clean-up of long-dead silos older than @IAmAliveTime. Required by
-- the provider, but 10.4 only runs it when CleanupDefunctSiloEntryKey is absent.
('CleanupDefunctSiloEntriesKey', $$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = 6
   AND i_am_alive_time < @IAmAliveTime
   AND start_time < @IAmAliveTime;
$$),

-- Optional in 10.4 and preferred when present: the provider reads all rows,
-- picks dead ones older than its cut-off, and deletes each only if the row
-- still holds the values it read (so a concurrent change is never lost).
('CleanupDefunctSiloEntryKey', $$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND address = @Address
   AND port = @Port
   AND generation = @Generation
   AND status = 6
   AND start_time = @StartTime
   AND i_am_alive_time = @IAmAliveTime
   AND COALESCE(suspect_times, '') = COALESCE(@SuspectTimes, '');
$$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
