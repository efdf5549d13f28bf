using System.Text;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Grains.Tasks;

/// <summary>
/// The <c>tasks</c> rows, the dispatch queue (<c>task_queue</c>) and the task logs. A task's write, its queue change,
/// its lifecycle log line and the wake-up of idle servers (NOTIFY) are one statement, so none happens without the others.
/// </summary>
public sealed class TaskStore(NpgsqlDataSource dataSource)
{
    /// <summary>The channel on which enqueues wake the silos' idle servers.</summary>
    public const string QueueChannel = "owl_task_queue";

    private const string Columns =
        "id, user_id, title, description, task_type, priority, estimated_duration, config, result, error_message, status, " +
        "progress, gpu_server_id, attempt, lost_runs, hold_key, hold_amount, price, cost, timeout_seconds, idempotency_key, " +
        "assigned_at, started_at, completed_at, created_at, updated_at, deleted_at, version";

    private const string Values =
        "@id, @user_id, @title, @description, @task_type, @priority, @estimated_duration, @config::jsonb, @result::jsonb, " +
        "@error_message, @status, @progress, @gpu_server_id, @attempt, @lost_runs, @hold_key, @hold_amount, @price, @cost, " +
        "@timeout_seconds, @idempotency_key, @assigned_at, @started_at, @completed_at, @created_at, @updated_at, @deleted_at, @version";

    public async Task<TaskRecord?> LoadAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tasks WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<TaskRecord?> FindByIdempotencyKeyAsync(Guid userId, string key)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tasks WHERE user_id = $1 AND idempotency_key = $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>A user's pending and running tasks, and how many tasks (not deleted) they have.</summary>
    public async Task<(HashSet<Guid> Active, int Total)> LoadUserTasksAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, status IN ('pending', 'running') FROM tasks
            WHERE user_id = $1 AND deleted_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var active = new HashSet<Guid>();
        var total = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            total++;
            if (reader.GetBoolean(1))
            {
                active.Add(reader.GetGuid(0));
            }
        }

        return (active, total);
    }

    /// <summary>The tasks a server holds (assigned or running), so its grain can rebuild its slots.</summary>
    public async Task<List<(Guid TaskId, bool Started)>> LoadServerTasksAsync(Guid serverId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, status = 'running' FROM tasks WHERE gpu_server_id = $1 AND status IN ('pending', 'running')");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = serverId });
        await using var reader = await command.ExecuteReaderAsync();
        var tasks = new List<(Guid, bool)>();
        while (await reader.ReadAsync())
        {
            tasks.Add((reader.GetGuid(0), reader.GetBoolean(1)));
        }

        return tasks;
    }

    /// <summary>
    /// Claims up to <paramref name="count"/> queued tasks of the given types for a server, in queue order (front
    /// first, then priority, then age). Rows another server is claiming are skipped, not waited for; a claim older
    /// than 30 s (its silo died before assigning) is claimable again.
    /// </summary>
    public async Task<List<Guid>> ClaimAsync(Guid serverId, string[] taskTypes, int count)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH picked AS (
                SELECT task_id, front, priority, enqueued_at FROM task_queue
                WHERE task_type = ANY($2) AND (claimed_at IS NULL OR claimed_at < now() - interval '30 seconds')
                ORDER BY front DESC, priority DESC, enqueued_at, task_id
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            UPDATE task_queue q SET claimed_by = $1, claimed_at = now()
            FROM picked WHERE q.task_id = picked.task_id
            RETURNING q.task_id, picked.front, picked.priority, picked.enqueued_at
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = serverId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = taskTypes });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync();
        var claimed = new List<(Guid Id, bool Front, int Priority, DateTime At)>();
        while (await reader.ReadAsync())
        {
            claimed.Add((reader.GetGuid(0), reader.GetBoolean(1), reader.GetInt32(2), reader.GetDateTime(3)));
        }

        return [.. claimed.OrderByDescending(c => c.Front).ThenByDescending(c => c.Priority).ThenBy(c => c.At).Select(c => c.Id)];
    }

    public async Task<TaskRecord> WriteAsync(TaskWrite write)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await WriteAsync(write, connection, null);
    }

    /// <summary>
    /// Writes the row (inserted when <c>ExpectedVersion</c> is 0, else only if still at that version) with its queue
    /// change and log line; answers the record at its new version. A row at another version throws.
    /// </summary>
    public static async Task<TaskRecord> WriteAsync(TaskWrite write, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var next = write.Next with { Version = write.ExpectedVersion + 1 };
        var sql = new StringBuilder();
        sql.Append(write.ExpectedVersion == 0
            ? $"WITH t AS (INSERT INTO tasks ({Columns}) VALUES ({Values}) RETURNING id, task_type, priority)"
            : $"WITH t AS (UPDATE tasks SET ({Columns}) = ({Values}) WHERE id = @id AND version = @expected RETURNING id, task_type, priority)");
        var notify = false;
        switch (write.Queue)
        {
            case QueueChange.Enqueue or QueueChange.EnqueueFront:
                sql.Append(
                    """
                    , q AS (INSERT INTO task_queue (task_id, task_type, priority, front, enqueued_at)
                            SELECT id, task_type, priority, @front, @now FROM t
                            ON CONFLICT (task_id) DO UPDATE SET front = EXCLUDED.front, enqueued_at = EXCLUDED.enqueued_at,
                                                                 claimed_by = NULL, claimed_at = NULL)
                    , n AS (SELECT pg_notify('owl_task_queue', t.task_type) FROM t)
                    """);
                notify = true;
                break;
            case QueueChange.Remove:
                sql.Append(", q AS (DELETE FROM task_queue WHERE task_id IN (SELECT id FROM t))");
                break;
        }

        if (write.LogLine is not null)
        {
            sql.Append(", l AS (INSERT INTO task_logs (task_id, ts, level, message, source) SELECT id, @now, 'INFO', @log, 'platform' FROM t)");
        }

        sql.Append(notify ? " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM n)" : " SELECT count(*) FROM t");
        await using var command = new NpgsqlCommand(sql.ToString(), connection, transaction);
        AddParameters(command, next);
        var p = command.Parameters;
        p.AddWithValue("expected", write.ExpectedVersion);
        p.AddWithValue("front", write.Queue == QueueChange.EnqueueFront);
        p.AddWithValue("now", next.UpdatedAt);
        p.Add(new NpgsqlParameter("log", NpgsqlDbType.Text) { Value = (object?)write.LogLine ?? DBNull.Value });
        var rows = (long)(await command.ExecuteScalarAsync())!;
        if (rows == 0)
        {
            throw new InconsistentStateException($"tasks row {next.Id} is no longer at version {write.ExpectedVersion}");
        }

        return next;
    }

    /// <summary>Appends an agent's lines to the task's log, in order.</summary>
    public async Task AppendLogsAsync(Guid taskId, IReadOnlyList<TaskLogLine> lines)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO task_logs (task_id, ts, level, message, source)
            SELECT $1, l.ts, l.level, l.message, 'agent' FROM unnest($2, $3, $4) WITH ORDINALITY AS l(ts, level, message, n)
            ORDER BY l.n
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = taskId });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. lines.Select(l => l.Ts)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Level)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Message)] });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Running tasks past their deadline (their grain's timer may have died with its silo).</summary>
    public async Task<List<Guid>> FindOverdueAsync(int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id FROM tasks
            WHERE status = 'running' AND started_at + make_interval(secs => timeout_seconds) < now()
            LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static void AddParameters(NpgsqlCommand command, TaskRecord t)
    {
        var p = command.Parameters;
        p.AddWithValue("id", t.Id);
        p.AddWithValue("user_id", t.UserId);
        p.AddWithValue("title", t.Title);
        p.Add(Nullable("description", NpgsqlDbType.Text, t.Description));
        p.AddWithValue("task_type", t.TaskType);
        p.AddWithValue("priority", t.Priority);
        p.Add(Nullable("estimated_duration", NpgsqlDbType.Integer, t.EstimatedDuration));
        p.AddWithValue("config", NpgsqlDbType.Text, t.ConfigJson);
        p.Add(Nullable("result", NpgsqlDbType.Text, t.ResultJson));
        p.Add(Nullable("error_message", NpgsqlDbType.Text, t.ErrorMessage));
        p.AddWithValue("status", t.Status);
        p.AddWithValue("progress", t.Progress);
        p.Add(Nullable("gpu_server_id", NpgsqlDbType.Uuid, t.GpuServerId));
        p.AddWithValue("attempt", t.Attempt);
        p.AddWithValue("lost_runs", t.LostRuns);
        p.AddWithValue("hold_key", t.HoldKey);
        p.AddWithValue("hold_amount", t.HoldAmount);
        p.AddWithValue("price", t.Price);
        p.AddWithValue("cost", t.Cost);
        p.AddWithValue("timeout_seconds", t.TimeoutSeconds);
        p.Add(Nullable("idempotency_key", NpgsqlDbType.Text, t.IdempotencyKey));
        p.Add(Nullable("assigned_at", NpgsqlDbType.TimestampTz, t.AssignedAt));
        p.Add(Nullable("started_at", NpgsqlDbType.TimestampTz, t.StartedAt));
        p.Add(Nullable("completed_at", NpgsqlDbType.TimestampTz, t.CompletedAt));
        p.AddWithValue("created_at", NpgsqlDbType.TimestampTz, t.CreatedAt);
        p.AddWithValue("updated_at", NpgsqlDbType.TimestampTz, t.UpdatedAt);
        p.Add(Nullable("deleted_at", NpgsqlDbType.TimestampTz, t.DeletedAt));
        p.AddWithValue("version", t.Version);
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value)
        => new(name, type) { Value = value ?? DBNull.Value };

    private static TaskRecord Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        UserId: r.GetGuid(1),
        Title: r.GetString(2),
        Description: r.IsDBNull(3) ? null : r.GetString(3),
        TaskType: r.GetString(4),
        Priority: r.GetInt32(5),
        EstimatedDuration: r.IsDBNull(6) ? null : r.GetInt32(6),
        ConfigJson: r.GetString(7),
        ResultJson: r.IsDBNull(8) ? null : r.GetString(8),
        ErrorMessage: r.IsDBNull(9) ? null : r.GetString(9),
        Status: r.GetString(10),
        Progress: r.GetDouble(11),
        GpuServerId: r.IsDBNull(12) ? null : r.GetGuid(12),
        Attempt: r.GetInt32(13),
        LostRuns: r.GetInt32(14),
        HoldKey: r.GetString(15),
        HoldAmount: r.GetDecimal(16),
        Price: r.GetDecimal(17),
        Cost: r.GetDecimal(18),
        TimeoutSeconds: r.GetInt32(19),
        IdempotencyKey: r.IsDBNull(20) ? null : r.GetString(20),
        AssignedAt: r.IsDBNull(21) ? null : r.GetDateTime(21),
        StartedAt: r.IsDBNull(22) ? null : r.GetDateTime(22),
        CompletedAt: r.IsDBNull(23) ? null : r.GetDateTime(23),
        CreatedAt: r.GetDateTime(24),
        UpdatedAt: r.GetDateTime(25),
        DeletedAt: r.IsDBNull(26) ? null : r.GetDateTime(26),
        Version: r.GetInt64(27));
}
