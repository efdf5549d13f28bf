using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Logs;

/// <summary>
/// Read side of the logs: filtered, newest-first pages of system logs and of the audit trail, and one day of any log
/// streamed row by row for a download.
/// </summary>
public sealed class LogQueries(NpgsqlDataSource dataSource)
{
    public async Task<PagedList<SystemLogResponse>> SystemAsync(SystemLogQuery query, CancellationToken cancellationToken)
    {
        const string filter =
            """
            WHERE ($1::text IS NULL OR level = $1)
              AND ($2::timestamptz IS NULL OR ts >= $2)
              AND ($3::timestamptz IS NULL OR ts < $3)
              AND ($4::text IS NULL OR message ILIKE $4 ESCAPE '\')
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await ScalarAsync(connection, $"SELECT count(*) FROM system_logs {filter}", SystemFilter(query), cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT id, ts, level, category, event_id, message, exception, process FROM system_logs {filter} ORDER BY ts DESC, id DESC LIMIT $5 OFFSET $6",
            connection);
        command.Parameters.AddRange(SystemFilter(query));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Size });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var items = new List<SystemLogResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new SystemLogResponse(reader.GetInt64(0), reader.GetDateTime(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
        }

        return Paged.Of(items, total, query);
    }

    public async Task<PagedList<UserActionResponse>> UserActionsAsync(UserActionQuery query, CancellationToken cancellationToken)
    {
        const string filter =
            """
            WHERE ($1::uuid IS NULL OR user_id = $1)
              AND ($2::text IS NULL OR action = $2)
              AND ($3::timestamptz IS NULL OR created_at >= $3)
              AND ($4::timestamptz IS NULL OR created_at < $4)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await ScalarAsync(connection, $"SELECT count(*) FROM user_actions {filter}", ActionFilter(query), cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT id, user_id, action, details, ip_address, user_agent, created_at FROM user_actions {filter} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6",
            connection);
        command.Parameters.AddRange(ActionFilter(query));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Size });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var items = new List<UserActionResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new UserActionResponse(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2),
                JsonNode.Parse(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetDateTime(6)));
        }

        return Paged.Of(items, total, query);
    }

    /// <summary>
    /// Writes one UTC day of a log as NDJSON to <paramref name="output"/>, one row at a time as the database returns
    /// them (oldest first), so a day of any size goes out in constant memory.
    /// </summary>
    public async Task WriteDayAsync(string logType, DateOnly day, Stream output, CancellationToken cancellationToken)
    {
        var sql = logType switch
        {
            "system" => "SELECT id, ts, level, category, event_id, message, exception, process FROM system_logs WHERE ts >= $1 AND ts < $2 ORDER BY ts, id",
            "user-actions" => "SELECT id, created_at, user_id, action, details, ip_address, user_agent FROM user_actions WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id",
            _ => "SELECT id, ts, task_id, level, message, source FROM task_logs WHERE created_at >= $1 AND created_at < $2 ORDER BY id",
        };
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = start });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = start.AddDays(1) });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        var newline = "\n"u8.ToArray();
        while (await reader.ReadAsync(cancellationToken))
        {
            await using (var json = new Utf8JsonWriter(output))
            {
                json.WriteStartObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var name = reader.GetName(i);
                    json.WritePropertyName(name);
                    var value = reader.GetValue(i);
                    switch (value)
                    {
                        case DBNull:
                            json.WriteNullValue();
                            break;
                        case DateTime t:
                            json.WriteStringValue(DateTime.SpecifyKind(t, DateTimeKind.Utc));
                            break;
                        case string s when name == "details":
                            json.WriteRawValue(s);
                            break;
                        case string s:
                            json.WriteStringValue(s);
                            break;
                        case Guid g:
                            json.WriteStringValue(g);
                            break;
                        case long l:
                            json.WriteNumberValue(l);
                            break;
                        case int n:
                            json.WriteNumberValue(n);
                            break;
                        default:
                            json.WriteStringValue(value.ToString());
                            break;
                    }
                }

                json.WriteEndObject();
            }

            await output.WriteAsync(newline, cancellationToken);
        }
    }

    /// <summary>A search term as an ILIKE pattern that matches it literally anywhere (its own % and _ escaped).</summary>
    public static string ContainsPattern(string term)
        => "%" + term.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    private static NpgsqlParameter[] SystemFilter(SystemLogQuery q) =>
    [
        Text(q.Level?.ToUpperInvariant()),
        Time(q.StartDate),
        Time(EndOf(q.EndDate)),
        Text(string.IsNullOrEmpty(q.Search) ? null : ContainsPattern(q.Search)),
    ];

    private static NpgsqlParameter[] ActionFilter(UserActionQuery q) =>
    [
        new() { Value = (object?)q.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
        Text(q.Action),
        Time(q.StartDate),
        Time(EndOf(q.EndDate)),
    ];

    /// <summary>An end given as a bare date (midnight) includes that whole day.</summary>
    private static DateTime? EndOf(DateTime? end) => end is { TimeOfDay.Ticks: 0 } day ? day.AddDays(1) : end;

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTime? value)
        => new() { Value = value is { } t ? DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
