using Npgsql;
using NpgsqlTypes;
using OwlFactory.ApiHost.Admin;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Accounts;

/// <summary>Read side of the <c>users</c> table for the API: the login lookup and the admin's user list.</summary>
public sealed class UserDirectory(NpgsqlDataSource dataSource)
{
    // Parameters only; the search text becomes a LIKE pattern with its wildcards escaped, never SQL.
    private const string Filter =
        """
        WHERE ($1::text IS NULL OR role = $1)
          AND ($2::boolean IS NULL OR is_active = $2)
          AND ($3::text IS NULL OR email ILIKE $3 ESCAPE '\' OR username ILIKE $3 ESCAPE '\' OR full_name ILIKE $3 ESCAPE '\')
        """;

    public async Task<Guid?> FindIdByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM users WHERE lower(email) = lower($1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email.Trim() });
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    public async Task<PagedList<UserResponse>> ListAsync(AdminUserQuery query, CancellationToken cancellationToken)
    {
        var pattern = query.Search is { Length: > 0 } search
            ? "%" + search.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal) + "%"
            : null;
        NpgsqlParameter[] Parameters() =>
        [
            new() { Value = (object?)query.Role ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)query.IsActive ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean },
            new() { Value = (object?)pattern ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
        ];

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM users {Filter}", connection);
        count.Parameters.AddRange(Parameters());
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        await using var command = new NpgsqlCommand(
            $"""
            SELECT id, email, username, full_name, role, is_active, balance, balance - held, created_at, updated_at, last_login
            FROM users {Filter}
            ORDER BY created_at DESC, id
            LIMIT $4 OFFSET $5
            """, connection);
        command.Parameters.AddRange(Parameters());
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Size });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var items = new List<UserResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // total_tasks is 0 until tasks exist; the task issue adds it to this query.
            items.Add(new UserResponse(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetBoolean(5), reader.GetDecimal(6),
                reader.GetDecimal(7), 0, reader.GetDateTime(8), reader.GetDateTime(9), reader.IsDBNull(10) ? null : reader.GetDateTime(10)));
        }

        return Paged.Of(items, total, query);
    }
}
