using Npgsql;
using NpgsqlTypes;
using OwlFactory.Database.Batching;
using OwlFactory.Database.Logging;
using OwlFactory.Database.Notifications;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Recharge;
using OwlFactory.GrainInterfaces.Tasks;
using OwlFactory.Grains.Recharge;
using OwlFactory.Grains.Tasks;

namespace OwlFactory.Grains.Accounts;

/// <summary>
/// Reads and writes a <see cref="UserGrain"/>'s row of the <c>users</c> table. The row is both the grain's durable
/// state and what the API's lists query, so there is no second copy to keep in step. Writes are guarded by the row's
/// version (in a statement that fails when the guard does not hold); the writes go through the silo's group commit
/// (<see cref="WriteBatcher"/>). The unique indexes on lower(email) and lower(username) decide races between registrations.
/// Every update announces itself in its own transaction (<see cref="AccountChanges"/>), so API hosts drop the session
/// they keep for the account when it commits.
/// </summary>
public sealed class UserStore(NpgsqlDataSource dataSource, WriteBatcher batcher)
{
    private const string Columns =
        "email, username, full_name, password_hash, role, is_active, balance, held, token_version, created_at, updated_at, last_login, version";

    public async Task<UserState?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new UserState
        {
            Email = reader.GetString(0),
            Username = reader.GetString(1),
            FullName = reader.IsDBNull(2) ? null : reader.GetString(2),
            PasswordHash = reader.GetString(3),
            Role = reader.GetString(4),
            IsActive = reader.GetBoolean(5),
            Balance = reader.GetDecimal(6),
            Held = reader.GetDecimal(7),
            TokenVersion = reader.GetInt32(8),
            CreatedAt = reader.GetDateTime(9),
            UpdatedAt = reader.GetDateTime(10),
            LastLogin = reader.IsDBNull(11) ? null : reader.GetDateTime(11),
            Version = reader.GetInt64(12),
        };
    }

    /// <summary>Inserts the row; on success <paramref name="state"/>'s version becomes 1.</summary>
    public async Task<UserWriteOutcome> InsertAsync(Guid id, UserState state)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO users (id, {Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)");
        AddParameters(command.Parameters, id, state);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return e.ConstraintName switch
            {
                "ux_users_email" => UserWriteOutcome.EmailTaken,
                "ux_users_username" => UserWriteOutcome.UsernameTaken,
                _ => UserWriteOutcome.AlreadyExists,
            };
        }

        state.Version = 1;
        return UserWriteOutcome.Written;
    }

    /// <summary>
    /// Writes the row if it is still at <paramref name="state"/>'s version, then bumps that version. A row written by
    /// someone else in between is a bug or a split brain, not a business outcome: it throws. <paramref name="revokes"/>:
    /// the write ends the account's earlier tokens, and is announced as such.
    /// </summary>
    public async Task<UserWriteOutcome> UpdateAsync(Guid id, UserState state, bool revokes)
    {
        try
        {
            await batcher.WriteAsync([Row(id, state, [])], AccountChanges.Notice(id, state.Version + 1, revokes));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return e.ConstraintName == "ux_users_email" ? UserWriteOutcome.EmailTaken : UserWriteOutcome.UsernameTaken;
        }

        state.Version++;
        return UserWriteOutcome.Written;
    }

    /// <summary>
    /// Appends <paramref name="entry"/> to the user's ledger and writes the row (whose balance already includes the
    /// entry) in one statement, so one commits only with the other; with a recharge <paramref name="claim"/>, the code's
    /// claimed use commits in the same transaction, with the redemption request's audit row. When the entry's
    /// idempotency key was applied before, the unique key aborts the statement, nothing is written, and the earlier
    /// entry's balance_after is returned instead (never with a claim: a claim is only made for a use not yet recorded,
    /// and the entry's key is that use's record).
    /// </summary>
    public async Task<(bool Applied, decimal BalanceAfter)> ApplyLedgerEntryAsync(Guid id, UserState state, LedgerEntry entry, RechargeClaim? claim = null)
    {
        try
        {
            BatchRow[] rows = claim is null
                ? [Row(id, state, [entry])]
                : [RechargeCodeStore.ClaimRow(id, claim), Row(id, state, [entry]), .. AuditRows(claim.Audit)];
            await batcher.WriteAsync(rows, AccountChanges.Notice(id, state.Version + 1));
        }
        catch (PostgresException e) when (claim is null && e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_ledger_entries_key" })
        {
            await using var earlier = dataSource.CreateCommand("SELECT balance_after FROM ledger_entries WHERE user_id = $1 AND idempotency_key = $2");
            earlier.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            earlier.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.IdempotencyKey });
            return (false, (decimal)(await earlier.ExecuteScalarAsync())!);
        }

        state.Version++;
        return (true, state.Balance);
    }

    /// <summary>
    /// A task's money and the task's row in one transaction: the user's row (whose balance and held already include
    /// <paramref name="entries"/>) with its ledger entries, the task write and the request's <paramref name="audit"/> row.
    /// Either all commit or none; a ledger
    /// key applied before aborts the whole transaction (it is a bug: the task's version guard comes first).
    /// </summary>
    public async Task<TaskRecord> ApplyWithTaskAsync(Guid id, UserState state, IReadOnlyList<LedgerEntry> entries, TaskWrite task, AuditEntry? audit = null)
    {
        BatchRow[] rows = entries.Count > 0
            ? [Row(id, state, entries), TaskStore.Row(task), .. AuditRows(audit)]
            : [TaskStore.Row(task), .. AuditRows(audit)];
        await batcher.WriteAsync(rows, TaskStore.NoticeOf(task), entries.Count > 0 ? AccountChanges.Notice(id, state.Version + 1) : null);
        if (entries.Count > 0)
        {
            state.Version++;
        }

        return task.Written;
    }

    /// <summary>
    /// Announces a change of the account that its row does not show (its task count), made in the grain's memory
    /// before this call: API hosts drop the session they keep for it.
    /// </summary>
    public Task AnnounceAsync(Guid id, long version) => batcher.ExecuteAsync(_ => { }, AccountChanges.Notice(id, version));

    /// <summary>
    /// The row that writes the account if it is still at <paramref name="state"/>'s version (its balance and held
    /// already include <paramref name="entries"/>), with its ledger entries, in one statement with the batch's other
    /// accounts.
    /// </summary>
    private static BatchRow Row(Guid id, UserState state, IReadOnlyList<LedgerEntry> entries)
        => BatchRow.Of(Accounts, new AccountWrite(id, state, entries));

    private sealed record AccountWrite(Guid Id, UserState State, IReadOnlyList<LedgerEntry> Entries);

    // Each account's row at its new values where it is still at its version, then the entries of the accounts written,
    // each with the balance its account has after the write.
    private static readonly RowStatement<AccountWrite> Accounts = new(
        WriteRanks.Accounts,
        """
        WITH v AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[],
                $8::numeric[], $9::numeric[], $10::int[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::bigint[])
            AS v(id, email, username, full_name, password_hash, role, is_active, balance, held, token_version, created_at,
                 updated_at, last_login, version)),
        updated AS (
            UPDATE users u SET email = v.email, username = v.username, full_name = v.full_name, password_hash = v.password_hash,
                role = v.role, is_active = v.is_active, balance = v.balance, held = v.held, token_version = v.token_version,
                created_at = v.created_at, updated_at = v.updated_at, last_login = v.last_login, version = u.version + 1
            FROM v WHERE u.id = v.id AND u.version = v.version
            RETURNING u.id, u.balance),
        entries AS (
            INSERT INTO ledger_entries (user_id, kind, amount, hold_amount, balance_after, idempotency_key, reference_id,
                                        description, created_by, created_at)
            SELECT e.user_id, e.kind, e.amount, e.hold_amount, updated.balance, e.key, e.reference_id, e.description,
                   e.created_by, e.created_at
            FROM unnest($15::uuid[], $16::text[], $17::numeric[], $18::numeric[], $19::text[], $20::uuid[], $21::text[],
                        $22::uuid[], $23::timestamptz[])
                WITH ORDINALITY AS e(user_id, kind, amount, hold_amount, key, reference_id, description, created_by, created_at, n)
            JOIN updated ON updated.id = e.user_id
            ORDER BY e.n)
        """,
        BindAccounts, "SELECT count(*) FROM updated", w => StaleMessage(w.Id, w.State));

    private static void BindAccounts(NpgsqlParameterCollection p, IReadOnlyList<AccountWrite> writes)
    {
        p.Add(RowArrays.Of(writes, w => w.Id));
        p.Add(RowArrays.Of(writes, w => w.State.Email));
        p.Add(RowArrays.Of(writes, w => w.State.Username));
        p.Add(RowArrays.Of(writes, w => w.State.FullName));
        p.Add(RowArrays.Of(writes, w => w.State.PasswordHash));
        p.Add(RowArrays.Of(writes, w => w.State.Role));
        p.Add(RowArrays.Of(writes, w => w.State.IsActive));
        p.Add(RowArrays.Of(writes, w => w.State.Balance));
        p.Add(RowArrays.Of(writes, w => w.State.Held));
        p.Add(RowArrays.Of(writes, w => w.State.TokenVersion));
        p.Add(RowArrays.Timestamps(writes, w => w.State.CreatedAt));
        p.Add(RowArrays.Timestamps(writes, w => w.State.UpdatedAt));
        p.Add(RowArrays.Timestamps(writes, w => w.State.LastLogin));
        p.Add(RowArrays.Of(writes, w => w.State.Version));
        var entries = writes.SelectMany(w => w.Entries.Select(e => (w.Id, Entry: e))).ToList();
        p.Add(RowArrays.Of(entries, e => e.Id));
        p.Add(RowArrays.Of(entries, e => e.Entry.Kind));
        p.Add(RowArrays.Of(entries, e => e.Entry.Amount));
        p.Add(RowArrays.Of(entries, e => e.Entry.HoldAmount));
        p.Add(RowArrays.Of(entries, e => e.Entry.IdempotencyKey));
        p.Add(RowArrays.Of(entries, e => e.Entry.ReferenceId));
        p.Add(RowArrays.Of(entries, e => e.Entry.Description));
        p.Add(RowArrays.Of(entries, e => e.Entry.CreatedBy));
        p.Add(RowArrays.Timestamps(entries, e => e.Entry.CreatedAt));
    }

    private static BatchRow[] AuditRows(AuditEntry? audit)
        => audit is null ? [] : [AuditTrail.Row(audit.UserId, audit.Action, audit.Details, audit.Ip, audit.UserAgent, audit.At)];

    private static string StaleMessage(Guid id, UserState state) => $"users row {id} is no longer at version {state.Version}";

    public async Task<long> CountActiveSuperAdminsAsync(Guid excluding)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM users WHERE role = 'super_admin' AND is_active AND id <> $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = excluding });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void AddParameters(NpgsqlParameterCollection p, Guid id, UserState state)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        p.Add(new NpgsqlParameter<string> { TypedValue = state.Email });
        p.Add(new NpgsqlParameter<string> { TypedValue = state.Username });
        p.Add(new NpgsqlParameter { Value = (object?)state.FullName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string> { TypedValue = state.PasswordHash });
        p.Add(new NpgsqlParameter<string> { TypedValue = state.Role });
        p.Add(new NpgsqlParameter<bool> { TypedValue = state.IsActive });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = state.Balance });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = state.Held });
        p.Add(new NpgsqlParameter<int> { TypedValue = state.TokenVersion });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = state.CreatedAt });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = state.UpdatedAt });
        p.Add(new NpgsqlParameter { Value = (object?)state.LastLogin ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }
}
