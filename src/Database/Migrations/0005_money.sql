-- Money: the ledger every movement of a user's balance goes through, and the recharge codes.

-- What running tasks hold back from the balance; available = balance - held.
ALTER TABLE users ADD COLUMN IF NOT EXISTS held numeric(14,2) NOT NULL DEFAULT 0;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ck_users_held') THEN
        ALTER TABLE users ADD CONSTRAINT ck_users_held CHECK (held >= 0 AND held <= balance);
    END IF;
END
$$;

-- One row per movement, written in the same transaction as the user's row by the UserGrain. The user's balance
-- always equals sum(amount) and held equals sum(hold_amount). The idempotency key makes a retried movement a no-op.
CREATE TABLE IF NOT EXISTS ledger_entries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          uuid          NOT NULL REFERENCES users (id),
    kind             text          NOT NULL CHECK (kind IN ('recharge', 'hold', 'charge', 'release', 'adjustment')),
    amount           numeric(14,2) NOT NULL,
    hold_amount      numeric(14,2) NOT NULL DEFAULT 0,
    balance_after    numeric(14,2) NOT NULL,
    idempotency_key  text          NOT NULL,
    reference_id     uuid,
    description      text,
    created_by       uuid,
    created_at       timestamptz   NOT NULL,
    CONSTRAINT ux_ledger_entries_key UNIQUE (user_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS ix_ledger_entries_user ON ledger_entries (user_id, id DESC);

-- A recharge code. The code itself is a bearer secret and is never stored: only its SHA-256 (the grain's key) and a
-- masked form for lists. Each row is the state of one RechargeCodeGrain, written only by that grain.
CREATE TABLE IF NOT EXISTS recharge_codes (
    id           uuid          PRIMARY KEY,
    code_hash    text          NOT NULL,
    masked_code  text          NOT NULL,
    amount       numeric(14,2) NOT NULL CHECK (amount > 0),
    description  text,
    batch_id     uuid          NOT NULL,
    max_uses     integer       NOT NULL CHECK (max_uses >= 1),
    used_count   integer       NOT NULL DEFAULT 0,
    expires_at   timestamptz,
    disabled_at  timestamptz,
    created_by   uuid,
    created_at   timestamptz   NOT NULL,
    version      bigint        NOT NULL,
    CONSTRAINT ux_recharge_codes_hash UNIQUE (code_hash),
    CONSTRAINT ck_recharge_codes_uses CHECK (used_count >= 0 AND used_count <= max_uses)
);
CREATE INDEX IF NOT EXISTS ix_recharge_codes_created ON recharge_codes (created_at DESC, id);
CREATE INDEX IF NOT EXISTS ix_recharge_codes_batch ON recharge_codes (batch_id, created_at DESC);

-- One row per redemption, claimed by the code's grain before the user is credited. Its id is the operation id and
-- the user's ledger key (recharge:{id}), so a redemption without its ledger entry is one still to settle.
CREATE TABLE IF NOT EXISTS recharge_records (
    id          uuid          PRIMARY KEY,
    code_id     uuid          NOT NULL REFERENCES recharge_codes (id),
    user_id     uuid          NOT NULL REFERENCES users (id),
    amount      numeric(14,2) NOT NULL,
    created_at  timestamptz   NOT NULL,
    CONSTRAINT ux_recharge_records_once_per_user UNIQUE (code_id, user_id)
);
CREATE INDEX IF NOT EXISTS ix_recharge_records_user ON recharge_records (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS ix_recharge_records_created ON recharge_records (created_at);
