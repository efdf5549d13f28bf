using Npgsql;
using NpgsqlTypes;
using OwlFactory.Database.Batching;
using OwlFactory.Database.Notifications;
using OwlFactory.GrainInterfaces.Tasks;
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
    private const string UpdateSql =
        """
        UPDATE users SET email = $2, username = $3, full_name = $4, password_hash = $5, role = $6, is_active = $7,
            balance = $8, held = $9, token_version = $10, created_at = $11, updated_at = $12, last_login = $13,
            version = version + 1
        WHERE id = $1 AND version = $14
        """;

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
            await batcher.WriteAsync(batch =>
            {
                var command = new NpgsqlBatchCommand($"WITH updated AS ({UpdateSql} RETURNING id) {GuardedWrites.Expect("SELECT count(*) FROM updated", "$15")}");
                AddParameters(command.Parameters, id, state);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.Version });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StaleMessage(id, state) });
                batch.BatchCommands.Add(command);
            }, AccountChanges.Notice(id, state.Version + 1, revokes));
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
    /// entry) in one statement, so one commits only with the other. When the entry's idempotency key was applied
    /// before, the unique key aborts the statement, nothing is written, and the earlier entry's balance_after is
    /// returned instead.
    /// </summary>
    public async Task<(bool Applied, decimal BalanceAfter)> ApplyLedgerEntryAsync(Guid id, UserState state, LedgerEntry entry)
    {
        try
        {
            await batcher.WriteAsync(batch => AddLedgerCommand(batch, id, state, [entry]), AccountChanges.Notice(id, state.Version + 1));
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_ledger_entries_key" })
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
    /// <paramref name="entries"/>) with its ledger entries, and the task write. Either all commit or none; a ledger
    /// key applied before aborts the whole transaction (it is a bug: the task's version guard comes first).
    /// </summary>
    public async Task<TaskRecord> ApplyWithTaskAsync(Guid id, UserState state, IReadOnlyList<LedgerEntry> entries, TaskWrite task)
    {
        TaskRecord? written = null;
        await batcher.WriteAsync(batch =>
        {
            written = TaskStore.AddWrite(batch, task);
            if (entries.Count > 0)
            {
                AddLedgerCommand(batch, id, state, entries);
            }
        }, TaskStore.NoticeOf(task), entries.Count > 0 ? AccountChanges.Notice(id, state.Version + 1) : null);
        if (entries.Count > 0)
        {
            state.Version++;
        }

        return written!;
    }

    /// <summary>
    /// Announces a change of the account that its row does not show (its task count), made in the grain's memory
    /// before this call: API hosts drop the session they keep for it.
    /// </summary>
    public Task AnnounceAsync(Guid id, long version) => batcher.ExecuteAsync(_ => { }, AccountChanges.Notice(id, version));

    private static void AddLedgerCommand(NpgsqlBatch batch, Guid id, UserState state, IReadOnlyList<LedgerEntry> entries)
    {
        var command = new NpgsqlBatchCommand(
            $"""
            WITH updated AS ({UpdateSql} RETURNING id),
            entries AS (
                INSERT INTO ledger_entries (user_id, kind, amount, hold_amount, balance_after, idempotency_key, reference_id,
                                            description, created_by, created_at)
                SELECT updated.id, e.kind, e.amount, e.hold_amount, $8, e.key, $19, e.description, $20, $21
                FROM updated CROSS JOIN unnest($15::text[], $16::numeric[], $17::numeric[], $18::text[], $22::text[])
                    WITH ORDINALITY AS e(kind, amount, hold_amount, key, description, n)
                ORDER BY e.n)
            {GuardedWrites.Expect("SELECT count(*) FROM updated", "$23")}
            """);
        var p = command.Parameters;
        AddParameters(p, id, state);
        p.Add(new NpgsqlParameter<long> { TypedValue = state.Version });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Kind)] });
        p.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. entries.Select(e => e.Amount)] });
        p.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. entries.Select(e => e.HoldAmount)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.IdempotencyKey)] });
        var first = entries[0];
        p.Add(new NpgsqlParameter { Value = (object?)first.ReferenceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter { Value = (object?)first.CreatedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = first.CreatedAt });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. entries.Select(e => e.Description)] });
        p.Add(new NpgsqlParameter<string> { TypedValue = StaleMessage(id, state) });
        batch.BatchCommands.Add(command);
    }

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
