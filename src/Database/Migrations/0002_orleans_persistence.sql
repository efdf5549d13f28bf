-- Owl Factory: schema for Microsoft.Orleans.Persistence.AdoNet 10.4.x on PostgreSQL 15.
-- Needs the OrleansQuery table from 0001_orleans_clustering.sql.
--
-- Every call receives the same identity parameters:
--   @ServiceId, @GrainTypeString, @GrainTypeHash,
--   @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString
-- Integer keys arrive as N0 = 0, N1 = key; Guid keys as the two halves of the
-- Guid; either may carry a key extension in @GrainIdExtensionString.
-- String keys arrive as N0 = N1 = 0 with the whole key in
-- @GrainIdExtensionString, which is NULL when a numeric key has no extension.
-- The two hashes are computed by the provider and only narrow the lookup;
-- the natural key is always compared in full.
--
-- Concurrency: the grain's ETag is "version". The provider raises
-- InconsistentStateException when the returned version is missing, NULL or
-- equal to the ETag it sent, which is how a stale write is reported.
--
-- Idempotent; no BEGIN/COMMIT (DbUp wraps the script); untagged $$ only.

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id          text        NOT NULL,
    grain_type          text        NOT NULL,
    grain_type_hash     integer     NOT NULL,
    grain_id_hash       integer     NOT NULL,
    grain_id_n0         bigint      NOT NULL,
    grain_id_n1         bigint      NOT NULL,
    grain_id_extension  text        NULL,
    payload             bytea       NULL,      -- NULL after ClearState: the row keeps its version
    version             integer     NOT NULL,
    modified_at         timestamptz NOT NULL DEFAULT now()
);

-- One row per grain. Long strings are indexed through md5() so that very
-- long string keys cannot exceed the btree entry size; NULLS NOT DISTINCT
-- (PostgreSQL 15) makes "no extension" a single value. The leading hash
-- columns also serve the lookups.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_key_ux
    ON orleans_grain_state (grain_id_hash, grain_type_hash, service_id,
                            grain_id_n0, grain_id_n1,
                            md5(grain_type), md5(grain_id_extension))
    NULLS NOT DISTINCT;

-- Next version, wrapping before integer overflow (the provider only needs
-- the new value to differ from the old one).
CREATE OR REPLACE FUNCTION orleans_next_version(p_version integer)
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE WHEN p_version >= 2147483647 THEN 1 ELSE p_version + 1 END;
$$;

-- Write grain state.
--   p_expected_version NULL: the grain believes no row exists, so insert
--     version 1; if a row already exists that is a conflict.
--   otherwise: update only when the stored version still matches.
-- Returns the new version, or NULL on conflict.
CREATE OR REPLACE FUNCTION orleans_write_grain_state(
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_extension text,
    p_service_id         text,
    p_expected_version   integer,
    p_payload            bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_grain_state
            (service_id, grain_type, grain_type_hash, grain_id_hash,
             grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
        VALUES
            (p_service_id, p_grain_type, p_grain_type_hash, p_grain_id_hash,
             p_grain_id_n0, p_grain_id_n1, p_grain_id_extension, p_payload, 1)
        ON CONFLICT DO NOTHING   -- another activation got there first
        RETURNING version INTO v_new_version;
    ELSE
        UPDATE orleans_grain_state
           SET payload = p_payload,
               version = orleans_next_version(version),
               modified_at = now()
         WHERE grain_id_hash = p_grain_id_hash
           AND grain_type_hash = p_grain_type_hash
           AND service_id = p_service_id
           AND grain_id_n0 = p_grain_id_n0
           AND grain_id_n1 = p_grain_id_n1
           AND grain_type = p_grain_type
           AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
           AND version = p_expected_version
        RETURNING version INTO v_new_version;
    END IF;

    RETURN v_new_version;  -- NULL when nothing was written
END;
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- At most one row. Columns read by name: PayloadBinary (NULL = no state,
-- default state is created) and Version (the ETag; kept after a clear).
('ReadFromStorageKey', $$
SELECT payload AS PayloadBinary,
       version AS Version
  FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$$),

-- Exactly one row with column NewGrainStateVersion: the new version, or NULL
-- on an ETag conflict. @PayloadBinary is the serializer's output.
('WriteToStorageKey', $$
SELECT orleans_write_grain_state(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;
$$),

-- ClearState (DeleteStateOnClear = false, the default): keep the row, drop
-- the payload, bump the version. The provider reads the first column; no row
-- means the ETag was stale.
('ClearStorageKey', $$
UPDATE orleans_grain_state
   SET payload = NULL,
       version = orleans_next_version(version),
       modified_at = now()
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
$$),

-- Optional key, used only with DeleteStateOnClear = true (without it that
-- option fails at start-up). Removes the row; the returned value only has to
-- differ from the ETag, and no row means the ETag was stale.
('DeleteStorageKey', $$
DELETE FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_type = @GrainTypeString
   AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version::bigint + 1 AS NewGrainStateVersion;
$$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
