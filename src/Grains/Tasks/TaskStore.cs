using Npgsql;
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

    public async Task<TaskRecord?> LoadAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TaskRows.Columns} FROM tasks WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? TaskRows.Read(reader) : null;
    }

    public async Task<TaskRecord?> FindByIdempotencyKeyAsync(Guid userId, string key)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TaskRows.Columns} FROM tasks WHERE user_id = $1 AND idempotency_key = $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? TaskRows.Read(reader) : null;
    }

    /// <summary>
    /// A user's pending and running tasks, and how many tasks (not deleted) they have: the active ones by their own
    /// index, the total counted from the index alone, so an account with a long history activates as fast as a new one.
    /// </summary>
    public async Task<(HashSet<Guid> Active, int Total)> LoadUserTasksAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"SELECT id FROM tasks WHERE user_id = $1 AND deleted_at IS NULL AND status IN {TaskStatuses.ActiveInSql}")
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
            $"SELECT id, status = '{TaskStatuses.Running}' FROM tasks WHERE gpu_server_id = $1 AND status IN {TaskStatuses.ActiveInSql}");
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
    /// Claims up to <paramref name="count"/> queued tasks of the given types for a server and answers their rows, in
    /// queue order (<see cref="TaskQueueOrder"/>). Each type is read in its own index range (so tasks of other types,
    /// however many, cost nothing), the best of them are taken. Rows another server is claiming are skipped, not waited
    /// for; a claim older than 30 s (its silo died before assigning) is claimable again.
    /// </summary>
    public async Task<List<TaskRecord>> ClaimAsync(Guid serverId, string[] taskTypes, int count)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = serverId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = taskTypes });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync();
        var claimed = new List<TaskRecord>(count);
        while (await reader.ReadAsync())
        {
            claimed.Add(TaskRows.Read(reader));
        }

        return claimed;
    }

    private static readonly string ClaimSql =
        $"""
        WITH candidates AS (
            SELECT c.task_id, c.front, c.priority, c.enqueued_at
            FROM unnest($2::text[]) AS t(task_type)
            CROSS JOIN LATERAL (
                SELECT task_id, front, priority, enqueued_at FROM task_queue q
                WHERE q.task_type = t.task_type AND (q.claimed_at IS NULL OR q.claimed_at < now() - interval '30 seconds')
                ORDER BY {TaskQueueOrder.Of("q")}
                LIMIT $3
                FOR UPDATE SKIP LOCKED) c),
        picked AS (SELECT * FROM candidates ORDER BY {TaskQueueOrder.Columns} LIMIT $3),
        claimed AS (
            UPDATE task_queue q SET claimed_by = $1, claimed_at = now()
            FROM picked WHERE q.task_id = picked.task_id
            RETURNING picked.*)
        SELECT {TaskRows.Of("t")} FROM claimed c JOIN tasks t ON t.id = c.task_id
        ORDER BY {TaskQueueOrder.Of("c")}
        """;

    /// <summary>Runs one write (see <see cref="Row"/>) in the silo's next batch; answers the record at its new version.</summary>
    public async Task<TaskRecord> WriteAsync(TaskWrite write)
    {
        await batcher.WriteAsync([Row(write)], NoticeOf(write));
        return write.Written;
    }

    /// <summary>A write that puts the task into the queue is announced, by task type, once it commits (see <see cref="QueueSignal"/>).</summary>
    public static BatchNotice? NoticeOf(TaskWrite write)
        => write.Queue is QueueChange.Enqueue or QueueChange.EnqueueFront ? new BatchNotice(QueueChannel, write.Next.TaskType) : null;

    /// <summary>
    /// The row that writes the task (inserted when <c>ExpectedVersion</c> is 0, else only if still at that version) with
    /// its queue change and log line, all in one statement with the batch's other task writes. A row at another version
    /// fails the statement (<see cref="WriteGuard.Failed"/>).
    /// </summary>
    public static BatchRow Row(TaskWrite write) => BatchRow.Of(write.ExpectedVersion == 0 ? Insert : Update, write);

    // The batch's task writes as arrays, one element per write: the row's columns at its new version, then the version
    // it replaces, its queue change and its log line.
    private const string WritesSql =
        """
        WITH v AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
                $8::text[], $9::text[], $10::text[], $11::text[], $12::float8[], $13::uuid[], $14::int[], $15::int[], $16::text[],
                $17::numeric[], $18::numeric[], $19::numeric[], $20::int[], $21::text[], $22::timestamptz[], $23::timestamptz[],
                $24::timestamptz[], $25::timestamptz[], $26::timestamptz[], $27::timestamptz[], $28::bigint[], $29::bigint[],
                $30::int[], $31::text[])
            AS v(id, user_id, title, description, task_type, priority, estimated_duration, config, result, error_message, status,
                 progress, gpu_server_id, attempt, lost_runs, hold_key, hold_amount, price, cost, timeout_seconds, idempotency_key,
                 assigned_at, started_at, completed_at, created_at, updated_at, deleted_at, version, expected_version, queue, log_line))
        """;

    private const string ValuesFromV =
        "v.id, v.user_id, v.title, v.description, v.task_type, v.priority, v.estimated_duration, v.config::jsonb, v.result::jsonb, " +
        "v.error_message, v.status, v.progress, v.gpu_server_id, v.attempt, v.lost_runs, v.hold_key, v.hold_amount, v.price, v.cost, " +
        "v.timeout_seconds, v.idempotency_key, v.assigned_at, v.started_at, v.completed_at, v.created_at, v.updated_at, v.deleted_at, v.version";

    // What follows the write of the rows (t): each written task's queue change and log line.
    private static readonly string QueueAndLogSql =
        $"""
        , q AS (INSERT INTO task_queue (task_id, task_type, priority, front, enqueued_at)
                SELECT v.id, v.task_type, v.priority, v.queue = {(int)QueueChange.EnqueueFront}, v.updated_at
                FROM t JOIN v ON v.id = t.id WHERE v.queue IN ({(int)QueueChange.Enqueue}, {(int)QueueChange.EnqueueFront})
                ON CONFLICT (task_id) DO UPDATE SET front = EXCLUDED.front, enqueued_at = EXCLUDED.enqueued_at,
                                                     claimed_by = NULL, claimed_at = NULL)
        , d AS (DELETE FROM task_queue WHERE task_id IN (SELECT v.id FROM t JOIN v ON v.id = t.id WHERE v.queue = {(int)QueueChange.Remove}))
        , l AS (INSERT INTO task_logs (task_id, ts, level, message, source)
                SELECT v.id, v.updated_at, 'INFO', v.log_line, 'platform' FROM t JOIN v ON v.id = t.id WHERE v.log_line IS NOT NULL)
        """;

    private static readonly RowStatement<TaskWrite> Insert = new(
        WriteRanks.NewTasks,
        $"{WritesSql}, t AS (INSERT INTO tasks ({TaskRows.Columns}) SELECT {ValuesFromV} FROM v RETURNING id) {QueueAndLogSql}",
        BindWrites, "SELECT count(*) FROM t", StaleMessage);

    private static readonly RowStatement<TaskWrite> Update = new(
        WriteRanks.TaskUpdates,
        $"{WritesSql}, t AS (UPDATE tasks SET ({TaskRows.Columns}) = ({ValuesFromV}) FROM v WHERE tasks.id = v.id AND tasks.version = v.expected_version " +
        $"RETURNING tasks.id) {QueueAndLogSql}",
        BindWrites, "SELECT count(*) FROM t", StaleMessage);

    private static string StaleMessage(TaskWrite write) => $"tasks row {write.Next.Id} is no longer at version {write.ExpectedVersion}";

    private static void BindWrites(NpgsqlParameterCollection p, IReadOnlyList<TaskWrite> writes)
    {
        var rows = new TaskRecord[writes.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = writes[i].Written;
        }

        p.Add(RowArrays.Of(rows, t => t.Id));
        p.Add(RowArrays.Of(rows, t => t.UserId));
        p.Add(RowArrays.Of(rows, t => t.Title));
        p.Add(RowArrays.Of(rows, t => t.Description));
        p.Add(RowArrays.Of(rows, t => t.TaskType));
        p.Add(RowArrays.Of(rows, t => t.Priority));
        p.Add(RowArrays.Of(rows, t => t.EstimatedDuration));
        p.Add(RowArrays.Of(rows, t => t.ConfigJson));
        p.Add(RowArrays.Of(rows, t => t.ResultJson));
        p.Add(RowArrays.Of(rows, t => t.ErrorMessage));
        p.Add(RowArrays.Of(rows, t => t.Status));
        p.Add(RowArrays.Of(rows, t => t.Progress));
        p.Add(RowArrays.Of(rows, t => t.GpuServerId));
        p.Add(RowArrays.Of(rows, t => t.Attempt));
        p.Add(RowArrays.Of(rows, t => t.LostRuns));
        p.Add(RowArrays.Of(rows, t => t.HoldKey));
        p.Add(RowArrays.Of(rows, t => t.HoldAmount));
        p.Add(RowArrays.Of(rows, t => t.Price));
        p.Add(RowArrays.Of(rows, t => t.Cost));
        p.Add(RowArrays.Of(rows, t => t.TimeoutSeconds));
        p.Add(RowArrays.Of(rows, t => t.IdempotencyKey));
        p.Add(RowArrays.Timestamps(rows, t => t.AssignedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.StartedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.CompletedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.CreatedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.UpdatedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.DeletedAt));
        p.Add(RowArrays.Of(rows, t => t.Version));
        p.Add(RowArrays.Of(writes, w => w.ExpectedVersion));
        p.Add(RowArrays.Of(writes, w => (int)w.Queue));
        p.Add(RowArrays.Of(writes, w => w.LogLine));
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
                RowArrays.Of(lines, l => l.Ts),
                RowArrays.Of(lines, l => l.Level),
                RowArrays.Of(lines, l => l.Message),
            },
        }));

    /// <summary>Running tasks past their deadline (their grain's timer may have died with its silo).</summary>
    public async Task<List<Guid>> FindOverdueAsync(int limit)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT id FROM tasks
            WHERE status = '{TaskStatuses.Running}' AND started_at + make_interval(secs => timeout_seconds) < now()
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
}
