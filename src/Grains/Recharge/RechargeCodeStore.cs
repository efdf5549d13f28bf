using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;

namespace OwlFactory.Grains.Recharge;

/// <summary>
/// The rows behind <see cref="RechargeCodeGrain"/>: <c>recharge_codes</c> (version-guarded, written only by the code's
/// grain once issued) and <c>recharge_records</c> (one per claimed use).
/// </summary>
public sealed class RechargeCodeStore(NpgsqlDataSource dataSource)
{
    public async Task<RechargeCodeState?> LoadAsync(string codeHash)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        RechargeCodeState state;
        await using (var command = new NpgsqlCommand(
            """
            SELECT id, masked_code, amount, description, batch_id, max_uses, used_count, expires_at, disabled_at,
                   created_by, created_at, version
            FROM recharge_codes WHERE code_hash = $1
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = codeHash });
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return null;
            }

            state = new RechargeCodeState
            {
                Id = reader.GetGuid(0),
                CodeHash = codeHash,
                MaskedCode = reader.GetString(1),
                Amount = reader.GetDecimal(2),
                Description = reader.IsDBNull(3) ? null : reader.GetString(3),
                BatchId = reader.GetGuid(4),
                MaxUses = reader.GetInt32(5),
                UsedCount = reader.GetInt32(6),
                ExpiresAt = reader.IsDBNull(7) ? null : reader.GetDateTime(7),
                DisabledAt = reader.IsDBNull(8) ? null : reader.GetDateTime(8),
                CreatedBy = reader.IsDBNull(9) ? null : reader.GetGuid(9),
                CreatedAt = reader.GetDateTime(10),
                Version = reader.GetInt64(11),
            };
        }

        await using (var command = new NpgsqlCommand("SELECT user_id, id FROM recharge_records WHERE code_id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = state.Id });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                state.Redemptions[reader.GetGuid(0)] = reader.GetGuid(1);
            }
        }

        return state;
    }

    /// <summary>
    /// Records a claimed use and the code's new use count in one transaction. False when the record already exists
    /// (this user redeemed this code, or this operation id was used): nothing is written then.
    /// </summary>
    public async Task<bool> ClaimAsync(RechargeCodeState state, RechargeRecord record)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO recharge_records (id, code_id, user_id, amount, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = record.Id });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = record.CodeId });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = record.UserId });
            insert.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = record.Amount });
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = record.CreatedAt });
            if (await insert.ExecuteNonQueryAsync() == 0)
            {
                await transaction.RollbackAsync();
                return false;
            }
        }

        await UpdateAsync(connection, transaction, state);
        await transaction.CommitAsync();
        return true;
    }

    public async Task DisableAsync(RechargeCodeState state)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await UpdateAsync(connection, null, state);
    }

    /// <summary>Inserts a freshly issued batch in one statement. False if a code hash collided (then nothing is inserted).</summary>
    public async Task<bool> InsertBatchAsync(IReadOnlyList<RechargeCodeState> codes)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO recharge_codes (id, code_hash, masked_code, amount, description, batch_id, max_uses, used_count,
                                        expires_at, disabled_at, created_by, created_at, version)
            SELECT id, code_hash, masked_code, $4, $5, $6, $7, 0, $8, NULL, $9, $10, 1
            FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c(id, code_hash, masked_code)
            """);
        var first = codes[0];
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. codes.Select(c => c.Id)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. codes.Select(c => c.CodeHash)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. codes.Select(c => c.MaskedCode)] });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = first.Amount });
        p.Add(new NpgsqlParameter { Value = (object?)first.Description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<Guid> { TypedValue = first.BatchId });
        p.Add(new NpgsqlParameter<int> { TypedValue = first.MaxUses });
        p.Add(new NpgsqlParameter { Value = (object?)first.ExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)first.CreatedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = first.CreatedAt });
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>
    /// Claimed uses of the last day, at least <paramref name="minimumAge"/> old, whose user was never credited: what a
    /// crash between the claim and the credit leaves behind.
    /// </summary>
    public async Task<IReadOnlyList<UnsettledRedemption>> FindUnsettledAsync(TimeSpan minimumAge, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT r.id, r.user_id, c.code_hash
            FROM recharge_records r
            JOIN recharge_codes c ON c.id = r.code_id
            WHERE r.created_at > now() - interval '1 day' AND r.created_at < now() - $1
              AND NOT EXISTS (SELECT 1 FROM ledger_entries l
                              WHERE l.user_id = r.user_id AND l.idempotency_key = 'recharge:' || r.id::text)
            ORDER BY r.created_at
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = minimumAge });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var result = new List<UnsettledRedemption>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(new UnsettledRedemption(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)));
        }

        return result;
    }

    private static async Task UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, RechargeCodeState state)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE recharge_codes SET used_count = $2, disabled_at = $3, version = version + 1 WHERE id = $1 AND version = $4",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = state.Id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = state.UsedCount });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)state.DisabledAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.Version });
        if (await command.ExecuteNonQueryAsync() == 0)
        {
            throw new InconsistentStateException($"recharge_codes row {state.Id} is no longer at version {state.Version}");
        }

        state.Version++;
    }
}
