using Npgsql;
using NpgsqlTypes;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Recharge;

/// <summary>Read side of the recharge tables: the admin's code list, a user's records, a code's hash by id.</summary>
public sealed class RechargeQueries(NpgsqlDataSource dataSource)
{
    private const string StatusExpression =
        """
        CASE WHEN c.disabled_at IS NOT NULL THEN 'disabled'
             WHEN c.used_count >= c.max_uses THEN 'used'
             WHEN c.expires_at IS NOT NULL AND c.expires_at <= now() THEN 'expired'
             ELSE 'active' END
        """;

    private const string CodeColumns =
        $"c.id, c.masked_code, c.amount, c.description, c.batch_id, c.max_uses, c.used_count, {StatusExpression}, c.expires_at, c.disabled_at, c.created_by, c.created_at";

    public async Task<PagedList<RechargeCodeResponse>> ListCodesAsync(CodeListQuery query, CancellationToken cancellationToken)
    {
        // The status filter mirrors StatusExpression's precedence: disabled, then used, then expired.
        const string filter =
            """
            WHERE ($1::uuid IS NULL OR c.batch_id = $1)
              AND ($2::text IS NULL
                   OR ($2 = 'disabled' AND c.disabled_at IS NOT NULL)
                   OR ($2 = 'used' AND c.disabled_at IS NULL AND c.used_count >= c.max_uses)
                   OR ($2 = 'expired' AND c.disabled_at IS NULL AND c.used_count < c.max_uses AND c.expires_at <= now())
                   OR ($2 = 'active' AND c.disabled_at IS NULL AND c.used_count < c.max_uses
                       AND (c.expires_at IS NULL OR c.expires_at > now())))
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await CountAsync(connection, $"SELECT count(*) FROM recharge_codes c {filter}", cancellationToken,
            Uuid(query.BatchId), Text(query.Status));

        await using var command = new NpgsqlCommand(
            $"""
            SELECT {CodeColumns}
            FROM recharge_codes c {filter}
            ORDER BY c.created_at DESC, c.id
            LIMIT $3 OFFSET $4
            """, connection);
        command.Parameters.Add(Uuid(query.BatchId));
        command.Parameters.Add(Text(query.Status));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Size });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var items = new List<RechargeCodeResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadCode(reader));
        }

        return Paged.Of(items, total, query);
    }

    public async Task<PagedList<RechargeRecordResponse>> ListRecordsAsync(Guid userId, PageQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await CountAsync(connection, "SELECT count(*) FROM recharge_records WHERE user_id = $1", cancellationToken, Uuid(userId));
        await using var command = new NpgsqlCommand(
            """
            SELECT r.id, r.code_id, c.masked_code, r.amount,
                   CASE WHEN EXISTS (SELECT 1 FROM ledger_entries l
                                     WHERE l.user_id = r.user_id AND l.idempotency_key = 'recharge:' || r.id::text)
                        THEN 'credited' ELSE 'pending' END,
                   r.created_at
            FROM recharge_records r JOIN recharge_codes c ON c.id = r.code_id
            WHERE r.user_id = $1
            ORDER BY r.created_at DESC, r.id
            LIMIT $2 OFFSET $3
            """, connection);
        command.Parameters.Add(Uuid(userId));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Size });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var items = new List<RechargeRecordResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new RechargeRecordResponse(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetDecimal(3),
                reader.GetString(4), reader.GetDateTime(5)));
        }

        return Paged.Of(items, total, query);
    }

    public async Task<string?> FindCodeHashAsync(Guid codeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code_hash FROM recharge_codes WHERE id = $1");
        command.Parameters.Add(Uuid(codeId));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<RechargeCodeResponse?> GetCodeAsync(Guid codeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {CodeColumns}
            FROM recharge_codes c WHERE c.id = $1
            """);
        command.Parameters.Add(Uuid(codeId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCode(reader) : null;
    }

    private static RechargeCodeResponse ReadCode(NpgsqlDataReader reader) => new RechargeCodeResponse(
        reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetGuid(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetDateTime(8), reader.IsDBNull(9) ? null : reader.GetDateTime(9),
        reader.IsDBNull(10) ? null : reader.GetGuid(10), reader.GetDateTime(11));

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlParameter Uuid(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
