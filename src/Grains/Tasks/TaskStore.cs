using System.Text;
using Npgsql;
using NpgsqlTypes;
using OwlFactory.Database.Batching;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Grains.Tasks;

/// <summary>
/// The <c>tasks</c> rows, the dispatch queue (<c>task_queue</c>) and the task logs. A task's write, its queue change and
/// its lifecycle log line are one statement, so none happens without the others; an enqueue's batch NOTIFYs idle
/// servers once it commits (one NOTIFY per batch: see <see cref="WriteBatcher"/>).
/// </summary>
public sealed class TaskStore(NpgsqlDataSource dataSource, WriteBatcher batcher)
{
    /// <summary>The channel on which enqueues wake the silos' idle servers.</summary>
    public const string QueueChannel = "owl_task_queue";

    private const string Columns =
        "id, user_id, title, description, task_type, priority, estimated_duration, config, result, error_message, status, " +
        "progress, gpu_server_id, attempt, lost_runs, hold_key, hold_amount, price, cost, timeout_seconds, idempotency_key, " +
        "assigned_at, started_at, completed_at, created_at, updated_at, deleted_at, version";

    // $1…$28 in the order of Columns; a write's own parameters follow ($29 on).
    private const string Values =
        "$1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, " +
        "$22, $23, $24, $25, $26, $27, $28";

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

    /// <summary>
    /// A user's pending and running tasks, and how many tasks (not deleted) they have: the active ones by their own
    /// index, the total counted from the index alone, so an account with a long history activates as fast as a new one.
    /// </summary>
    public async Task<(HashSet<Guid> Active, int Total)> LoadUserTasksAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT id FROM tasks WHERE user_id = $1 AND deleted_at IS NULL AND status IN ('pending', 'running')")
            { Parameters = { new NpgsqlParameter<Guid> { TypedValue = userId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM tasks WHERE user_id = $1 AND deleted_at IS NULL")
            { Parameters = { new NpgsqlParameter<Guid> { TypedValue = userId } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var active = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            active.Add(reader.GetGuid(0));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (active, (int)reader.GetInt64(0));
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
    /// first, then priority, then age). Each type is read in its own index range (so tasks of other types, however
    /// many, cost nothing), the best of them are taken. Rows another server is claiming are skipped, not waited for;
    /// a claim older than 30 s (its silo died before assigning) is claimable again.
    /// </summary>
    public async Task<List<Guid>> ClaimAsync(Guid serverId, string[] taskTypes, int count)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH candidates AS (
                SELECT c.task_id, c.front, c.priority, c.enqueued_at
                FROM unnest($2::text[]) AS t(task_type)
                CROSS JOIN LATERAL (
                    SELECT task_id, front, priority, enqueued_at FROM task_queue q
                    WHERE q.task_type = t.task_type AND (q.claimed_at IS NULL OR q.claimed_at < now() - interval '30 seconds')
                    ORDER BY q.front DESC, q.priority DESC, q.enqueued_at, q.task_id
                    LIMIT $3
                    FOR UPDATE SKIP LOCKED) c),
            picked AS (SELECT * FROM candidates ORDER BY front DESC, priority DESC, enqueued_at, task_id LIMIT $3)
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

    /// <summary>Runs one write (see <see cref="AddWrite"/>) in the silo's next batch; answers the record at its new version.</summary>
    public async Task<TaskRecord> WriteAsync(TaskWrite write)
    {
        TaskRecord? written = null;
        await batcher.WriteAsync(batch => written = AddWrite(batch, write), NoticeOf(write));
        return written!;
    }

    /// <summary>A write that puts the task into the queue is announced, by task type, once it commits (see <see cref="QueueSignal"/>).</summary>
    public static BatchNotice? NoticeOf(TaskWrite write)
        => write.Queue is QueueChange.Enqueue or QueueChange.EnqueueFront ? new BatchNotice(QueueChannel, write.Next.TaskType) : null;

    /// <summary>
    /// Adds the statement that writes the row (inserted when <c>ExpectedVersion</c> is 0, else only if still at that
    /// version) with its queue change and log line; answers the record at its new version. A row at another version
    /// fails the statement (<see cref="GuardedWrites.GuardFailed"/>).
    /// </summary>
    public static TaskRecord AddWrite(NpgsqlBatch batch, TaskWrite write)
    {
        var next = write.Next with { Version = write.ExpectedVersion + 1 };
        var sql = new StringBuilder();
        sql.Append(write.ExpectedVersion == 0
            ? $"WITH t AS (INSERT INTO tasks ({Columns}) VALUES ({Values}) RETURNING id, task_type, priority)"
            : $"WITH t AS (UPDATE tasks SET ({Columns}) = ({Values}) WHERE id = $1 AND version = $29 RETURNING id, task_type, priority)");
        switch (write.Queue)
        {
            case QueueChange.Enqueue or QueueChange.EnqueueFront:
                sql.Append(
                    """
                    , q AS (INSERT INTO task_queue (task_id, task_type, priority, front, enqueued_at)
                            SELECT id, task_type, priority, $30, $31 FROM t
                            ON CONFLICT (task_id) DO UPDATE SET front = EXCLUDED.front, enqueued_at = EXCLUDED.enqueued_at,
                                                                 claimed_by = NULL, claimed_at = NULL)
                    """);
                break;
            case QueueChange.Remove:
                sql.Append(", q AS (DELETE FROM task_queue WHERE task_id IN (SELECT id FROM t))");
                break;
        }

        if (write.LogLine is not null)
        {
            sql.Append(", l AS (INSERT INTO task_logs (task_id, ts, level, message, source) SELECT id, $31, 'INFO', $32, 'platform' FROM t)");
        }

        sql.Append(' ').Append(GuardedWrites.Expect("SELECT count(*) FROM t", "$33"));
        var command = new NpgsqlBatchCommand(sql.ToString());
        AddParameters(command.Parameters, next);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
        p.Add(new NpgsqlParameter<bool> { TypedValue = write.Queue == QueueChange.EnqueueFront });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = next.UpdatedAt });
        p.Add(Nullable(NpgsqlDbType.Text, write.LogLine));
        p.Add(new NpgsqlParameter<string> { TypedValue = $"tasks row {next.Id} is no longer at version {write.ExpectedVersion}" });
        batch.BatchCommands.Add(command);
        return next;
    }

    /// <summary>Appends an agent's lines to the task's log, in order.</summary>
    public Task AppendLogsAsync(Guid taskId, IReadOnlyList<TaskLogLine> lines)
        => batcher.WriteAsync(batch => batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO task_logs (task_id, ts, level, message, source)
            SELECT $1, l.ts, l.level, l.message, 'agent' FROM unnest($2, $3, $4) WITH ORDINALITY AS l(ts, level, message, n)
            ORDER BY l.n
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = taskId },
                new NpgsqlParameter<DateTime[]> { TypedValue = [.. lines.Select(l => l.Ts)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Level)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Message)] },
            },
        }));

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

    private static void AddParameters(NpgsqlParameterCollection p, TaskRecord t)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = t.Id });
        p.Add(new NpgsqlParameter<Guid> { TypedValue = t.UserId });
        p.Add(new NpgsqlParameter<string> { TypedValue = t.Title });
        p.Add(Nullable(NpgsqlDbType.Text, t.Description));
        p.Add(new NpgsqlParameter<string> { TypedValue = t.TaskType });
        p.Add(new NpgsqlParameter<int> { TypedValue = t.Priority });
        p.Add(Nullable(NpgsqlDbType.Integer, t.EstimatedDuration));
        p.Add(new NpgsqlParameter<string> { TypedValue = t.ConfigJson, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(Nullable(NpgsqlDbType.Text, t.ResultJson));
        p.Add(Nullable(NpgsqlDbType.Text, t.ErrorMessage));
        p.Add(new NpgsqlParameter<string> { TypedValue = t.Status });
        p.Add(new NpgsqlParameter<double> { TypedValue = t.Progress });
        p.Add(Nullable(NpgsqlDbType.Uuid, t.GpuServerId));
        p.Add(new NpgsqlParameter<int> { TypedValue = t.Attempt });
        p.Add(new NpgsqlParameter<int> { TypedValue = t.LostRuns });
        p.Add(new NpgsqlParameter<string> { TypedValue = t.HoldKey });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = t.HoldAmount });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = t.Price });
        p.Add(new NpgsqlParameter<decimal> { TypedValue = t.Cost });
        p.Add(new NpgsqlParameter<int> { TypedValue = t.TimeoutSeconds });
        p.Add(Nullable(NpgsqlDbType.Text, t.IdempotencyKey));
        p.Add(Nullable(NpgsqlDbType.TimestampTz, t.AssignedAt));
        p.Add(Nullable(NpgsqlDbType.TimestampTz, t.StartedAt));
        p.Add(Nullable(NpgsqlDbType.TimestampTz, t.CompletedAt));
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = t.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = t.UpdatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(Nullable(NpgsqlDbType.TimestampTz, t.DeletedAt));
        p.Add(new NpgsqlParameter<long> { TypedValue = t.Version });
    }

    private static NpgsqlParameter Nullable(NpgsqlDbType type, object? value)
        => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

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
