using Npgsql;
using NpgsqlTypes;
using OwlFactory.Database;
using OwlFactory.Database.Batching;
using OwlFactory.GrainInterfaces.Recharge;
using Orleans.Storage;

namespace OwlFactory.Grains.Recharge;

/// <summary>
/// The rows behind <see cref="RechargeCodeGrain"/>: <c>recharge_codes</c> (version-guarded, written only by the code's
/// grain once issued) and <c>recharge_records</c> (one per claimed use).
/// </summary>
public sealed class RechargeCodeStore : IAsyncDisposable
{
    private const string UpdateSql =
        "UPDATE recharge_codes SET used_count = $2, disabled_at = $3, version = version + 1 WHERE id = $1 AND version = $4";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ReadBatcher<string, RechargeCodeState> _loads;

    public RechargeCodeStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loads = new ReadBatcher<string, RechargeCodeState>(dataSource,
            """
            SELECT code_hash, id, masked_code, amount, description, batch_id, max_uses, used_count, expires_at, disabled_at,
                   created_by, created_at, version,
                   ARRAY(SELECT r.user_id FROM recharge_records r WHERE r.code_id = c.id ORDER BY r.user_id),
                   ARRAY(SELECT r.id FROM recharge_records r WHERE r.code_id = c.id ORDER BY r.user_id)
            FROM recharge_codes c WHERE code_hash = ANY($1)
            """,
            ReadState);
    }

    /// <summary>
    /// The code's row and its redemptions (who redeemed it, under which record), read with the other codes being
    /// loaded at the same moment: one statement for a burst of redemptions, not one each.
    /// </summary>
    public Task<RechargeCodeState?> LoadAsync(string codeHash) => _loads.ReadAsync(codeHash);

    public ValueTask DisposeAsync() => _loads.DisposeAsync();

    private static (string, RechargeCodeState) ReadState(NpgsqlDataReader reader)
    {
        var state = new RechargeCodeState
        {
            CodeHash = reader.GetString(0),
            Id = reader.GetGuid(1),
            MaskedCode = reader.GetString(2),
            Amount = reader.GetDecimal(3),
            Description = reader.IsDBNull(4) ? null : reader.GetString(4),
            BatchId = reader.GetGuid(5),
            MaxUses = reader.GetInt32(6),
            UsedCount = reader.GetInt32(7),
            ExpiresAt = reader.IsDBNull(8) ? null : reader.GetDateTime(8),
            DisabledAt = reader.IsDBNull(9) ? null : reader.GetDateTime(9),
            CreatedBy = reader.IsDBNull(10) ? null : reader.GetGuid(10),
            CreatedAt = reader.GetDateTime(11),
            Version = reader.GetInt64(12),
        };
        var users = reader.GetFieldValue<Guid[]>(13);
        var records = reader.GetFieldValue<Guid[]>(14);
        for (var i = 0; i < users.Length; i++)
        {
            state.Redemptions[users[i]] = records[i];
        }

        return (state.CodeHash, state);
    }

    /// <summary>
    /// The row that records <paramref name="claim"/> for <paramref name="userId"/> and the code's new use count, where
    /// the code's row is still at the version the claim expects; written by the user's grain with the credit (see
    /// <see cref="RechargeClaim"/>), in one statement with the batch's other claims. A record that exists already (this
    /// user redeemed this code, or the operation id was used) aborts it with a unique violation on
    /// <c>recharge_records</c>.
    /// </summary>
    public static BatchRow ClaimRow(Guid userId, RechargeClaim claim) => BatchRow.Of(Claims, (userId, claim));

    private static readonly RowStatement<(Guid UserId, RechargeClaim Claim)> Claims = new(
        WriteRanks.CodeClaims,
        """
        WITH v AS (SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::timestamptz[], $5::uuid[], $6::uuid[],
                                        $7::numeric[], $8::timestamptz[])
            AS v(code_id, expected_version, used_count, disabled_at, record_id, user_id, amount, claimed_at)),
        updated AS (
            UPDATE recharge_codes c SET used_count = v.used_count, disabled_at = v.disabled_at, version = c.version + 1
            FROM v WHERE c.id = v.code_id AND c.version = v.expected_version
            RETURNING c.id),
        records AS (
            INSERT INTO recharge_records (id, code_id, user_id, amount, created_at)
            SELECT v.record_id, v.code_id, v.user_id, v.amount, v.claimed_at FROM updated JOIN v ON v.code_id = updated.id)
        """,
        (p, claims) =>
        {
            p.Add(RowArrays.Of(claims, c => c.Claim.CodeId));
            p.Add(RowArrays.Of(claims, c => c.Claim.ExpectedVersion));
            p.Add(RowArrays.Of(claims, c => c.Claim.UsedCount));
            p.Add(RowArrays.Timestamps(claims, c => c.Claim.DisabledAt));
            p.Add(RowArrays.Of(claims, c => c.Claim.RecordId));
            p.Add(RowArrays.Of(claims, c => c.UserId));
            p.Add(RowArrays.Of(claims, c => c.Claim.Amount));
            p.Add(RowArrays.Timestamps(claims, c => c.Claim.ClaimedAt));
        },
        "SELECT count(*) FROM updated",
        c => $"recharge_codes row {c.Claim.CodeId} is no longer at version {c.Claim.ExpectedVersion}");

    public async Task DisableAsync(RechargeCodeState state)
    {
        await using var command = _dataSource.CreateCommand(UpdateSql);
        AddUpdateParameters(command.Parameters, state);
        if (await command.ExecuteNonQueryAsync() == 0)
        {
            throw new InconsistentStateException(StaleMessage(state));
        }

        state.Version++;
    }

    /// <summary>Inserts a freshly issued batch in one statement. False if a code hash collided (then nothing is inserted).</summary>
    public async Task<bool> InsertBatchAsync(IReadOnlyList<RechargeCodeState> codes)
    {
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO recharge_codes (id, code_hash, masked_code, amount, description, batch_id, max_uses, used_count,
                                        expires_at, disabled_at, created_by, created_at, version)
            SELECT id, code_hash, masked_code, $4, $5, $6, $7, 0, $8, NULL, $9, $10, 1
            FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c(id, code_hash, masked_code)
            """);
        var first = codes[0];
        var p = command.Parameters;
        p.Add(RowArrays.Of(codes, c => c.Id));
        p.Add(RowArrays.Of(codes, c => c.CodeHash));
        p.Add(RowArrays.Of(codes, c => c.MaskedCode));
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

    /// <summary>Re-plans the statements that read the codes once issuing has outgrown their statistics.</summary>
    public Task RefreshStatisticsAsync() => TableStatistics.RefreshIfOutgrownAsync(_dataSource, "recharge_codes");

    /// <summary>
    /// Claimed uses of the last day, at least <paramref name="minimumAge"/> old, whose user was never credited: what a
    /// crash between the claim and the credit leaves behind.
    /// </summary>
    public async Task<IReadOnlyList<UnsettledRedemption>> FindUnsettledAsync(TimeSpan minimumAge, int limit)
    {
        await using var command = _dataSource.CreateCommand(
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

    private static void AddUpdateParameters(NpgsqlParameterCollection p, RechargeCodeState state)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = state.Id });
        p.Add(new NpgsqlParameter<int> { TypedValue = state.UsedCount });
        p.Add(new NpgsqlParameter { Value = (object?)state.DisabledAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<long> { TypedValue = state.Version });
    }

    private static string StaleMessage(RechargeCodeState state) => $"recharge_codes row {state.Id} is no longer at version {state.Version}";

}
