using Npgsql;
using OwlFactory.Database;
using OwlFactory.Database.Batching;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Grains.Tasks;

/// <summary>
/// The <c>tasks</c> rows, the dispatch queue (<c>task_queue</c>) and the task logs. A task's write, its queue change and
/// its lifecycle log line are one statement, so none happens without the others; an enqueue's batch NOTIFYs idle
/// servers once it commits (one NOTIFY per batch: see <see cref="WriteBatcher"/>).
/// </summary>
public sealed class TaskStore : IAsyncDisposable
{
    /// <summary>The channel on which enqueues wake the silos' idle servers.</summary>
    public const string QueueChannel = "owl_task_queue";

    private readonly NpgsqlDataSource _dataSource;
    private readonly WriteBatcher _batcher;
    private readonly ReadBatcher<Guid, TaskRecord> _loads;

    public TaskStore(NpgsqlDataSource dataSource, WriteBatcher batcher)
    {
        _dataSource = dataSource;
        _batcher = batcher;
        _loads = new ReadBatcher<Guid, TaskRecord>(dataSource, $"SELECT {TaskRows.Columns} FROM tasks WHERE id = ANY($1)", r =>
        {
            var task = TaskRows.Read(r);
            return (task.Id, task);
        });
    }

    /// <summary>A task's row, read with the other tasks activating at the same moment (dispatch activates them in bursts).</summary>
    public Task<TaskRecord?> LoadAsync(Guid id) => _loads.ReadAsync(id);

    public ValueTask DisposeAsync() => _loads.DisposeAsync();

    public async Task<TaskRecord?> FindByIdempotencyKeyAsync(Guid userId, string key)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {TaskRows.Columns} FROM tasks WHERE user_id = $1 AND idempotency_key = $2");
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
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"SELECT id FROM tasks t WHERE user_id = $1 AND deleted_at IS NULL AND {TaskStatuses.ActiveIn("t")}")
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
        await using var command = _dataSource.CreateCommand(
            $"SELECT id, status = '{TaskStatuses.Running}' FROM tasks t WHERE gpu_server_id = $1 AND {TaskStatuses.ActiveIn("t")}");
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
    /// Claims up to <paramref name="count"/> queued tasks of the given types for a server, in queue order
    /// (<see cref="TaskQueueOrder"/>). Each type is read in its own index range (so tasks of other types, however
    /// many, cost nothing), the best of them are taken. Rows another server is claiming are skipped, not waited for;
    /// a claim older than 30 s (its silo died before assigning) is claimable again. It runs on its generic plan
    /// (<see cref="GenericPlan"/>): the rows it marks are found by key, so the plan does not depend on how many it takes.
    /// </summary>
    public async Task<List<Guid>> ClaimAsync(Guid serverId, string[] taskTypes, int count)
    {
        await using var batch = GenericPlan.CreateBatch(_dataSource, ClaimSql, out var command);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = serverId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = taskTypes });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await GenericPlan.ExecuteReaderAsync(batch);
        var claimed = new List<Guid>(count);
        while (await reader.ReadAsync())
        {
            claimed.Add(reader.GetGuid(0));
        }

        return claimed;
    }

    internal static readonly string ClaimSql =
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
            WHERE q.task_id = ANY(ARRAY(SELECT task_id FROM picked))
            RETURNING q.task_id, q.front, q.priority, q.enqueued_at)
        SELECT task_id FROM claimed c ORDER BY {TaskQueueOrder.Of("c")}
        """;

    /// <summary>Runs one write (see <see cref="Row"/>) in the silo's next batch; answers the record at its new version.</summary>
    public async Task<TaskRecord> WriteAsync(TaskWrite write)
    {
        await _batcher.WriteAsync([Row(write)], NoticeOf(write));
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

    // The batch's task writes go as arrays, one element per write: the row's id, the columns it was submitted with
    // (an insert only: no later write changes them), the columns a task's life changes, then the write's own: the
    // version it replaces, its queue change and its log line.
    private const string SubmittedColumns =
        "user_id, title, description, task_type, priority, estimated_duration, config, idempotency_key, created_at";

    private const string ChangingColumns =
        "result, error_message, status, progress, gpu_server_id, attempt, lost_runs, hold_key, hold_amount, price, cost, " +
        "timeout_seconds, assigned_at, started_at, completed_at, updated_at, deleted_at, version";

    private const string WriteColumns = "expected_version, queue, log_line";

    private static readonly string[] SubmittedTypes = ["uuid", "text", "text", "text", "int", "int", "text", "text", "timestamptz"];

    private static readonly string[] ChangingTypes =
        ["text", "text", "text", "float8", "uuid", "int", "int", "text", "numeric", "numeric", "numeric", "int",
         "timestamptz", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "bigint"];

    private static readonly string[] WriteTypes = ["bigint", "int", "text"];

    private static readonly string ChangingValues =
        "v.result::jsonb, " + string.Join(", ", ChangingColumns.Split(", ").Skip(1).Select(c => "v." + c));

    // What follows the write of the rows (t): each written task's queue change and log line.
    private static readonly string QueueAndLogSql =
        $"""
        , q AS (INSERT INTO task_queue (task_id, task_type, priority, front, enqueued_at)
                SELECT v.id, t.task_type, t.priority, v.queue = {(int)QueueChange.EnqueueFront}, v.updated_at
                FROM t JOIN v ON v.id = t.id WHERE v.queue IN ({(int)QueueChange.Enqueue}, {(int)QueueChange.EnqueueFront})
                ON CONFLICT (task_id) DO UPDATE SET front = EXCLUDED.front, enqueued_at = EXCLUDED.enqueued_at,
                                                     claimed_by = NULL, claimed_at = NULL)
        , d AS (DELETE FROM task_queue WHERE task_id IN (SELECT v.id FROM t JOIN v ON v.id = t.id WHERE v.queue = {(int)QueueChange.Remove}))
        , l AS (INSERT INTO task_logs (task_id, ts, level, message, source)
                SELECT v.id, v.updated_at, 'INFO', v.log_line, 'platform' FROM t JOIN v ON v.id = t.id WHERE v.log_line IS NOT NULL)
        """;

    private static readonly RowStatement<TaskWrite> Insert = new(
        WriteRanks.NewTasks,
        $"""
        WITH v AS (SELECT * FROM unnest({Arrays(["uuid"], SubmittedTypes, ChangingTypes, WriteTypes)})
            AS v(id, {SubmittedColumns}, {ChangingColumns}, {WriteColumns})),
        t AS (INSERT INTO tasks (id, {SubmittedColumns}, {ChangingColumns})
              SELECT v.id, v.user_id, v.title, v.description, v.task_type, v.priority, v.estimated_duration, v.config::jsonb,
                     v.idempotency_key, v.created_at, {ChangingValues}
              FROM v RETURNING id, task_type, priority)
        {QueueAndLogSql}
        """,
        (p, writes) =>
        {
            var rows = Written(writes);
            p.Add(RowArrays.Of(rows, t => t.Id));
            p.Add(RowArrays.Of(rows, t => t.UserId));
            p.Add(RowArrays.Of(rows, t => t.Title));
            p.Add(RowArrays.Of(rows, t => t.Description));
            p.Add(RowArrays.Of(rows, t => t.TaskType));
            p.Add(RowArrays.Of(rows, t => t.Priority));
            p.Add(RowArrays.Of(rows, t => t.EstimatedDuration));
            p.Add(RowArrays.Of(rows, t => t.ConfigJson));
            p.Add(RowArrays.Of(rows, t => t.IdempotencyKey));
            p.Add(RowArrays.Timestamps(rows, t => t.CreatedAt));
            AddChanging(p, rows, writes);
        },
        "SELECT count(*) FROM t", StaleMessage);

    private static readonly RowStatement<TaskWrite> Update = new(
        WriteRanks.TaskUpdates,
        $"""
        WITH v AS (SELECT * FROM unnest({Arrays(["uuid"], ChangingTypes, WriteTypes)}) AS v(id, {ChangingColumns}, {WriteColumns})),
        t AS (UPDATE tasks SET ({ChangingColumns}) = ({ChangingValues})
              FROM v WHERE tasks.id = v.id AND tasks.version = v.expected_version RETURNING tasks.id, tasks.task_type, tasks.priority)
        {QueueAndLogSql}
        """,
        (p, writes) =>
        {
            var rows = Written(writes);
            p.Add(RowArrays.Of(rows, t => t.Id));
            AddChanging(p, rows, writes);
        },
        "SELECT count(*) FROM t", StaleMessage);

    /// <summary><c>$1::uuid[], $2::text[], …</c>: one array parameter of each type, numbered in order.</summary>
    private static string Arrays(params string[][] types)
        => string.Join(", ", types.SelectMany(t => t).Select((type, i) => $"${i + 1}::{type}[]"));

    private static TaskRecord[] Written(IReadOnlyList<TaskWrite> writes)
    {
        var rows = new TaskRecord[writes.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = writes[i].Written;
        }

        return rows;
    }

    /// <summary>The <see cref="ChangingColumns"/> of the rows, then the <see cref="WriteColumns"/> of the writes.</summary>
    private static void AddChanging(NpgsqlParameterCollection p, TaskRecord[] rows, IReadOnlyList<TaskWrite> writes)
    {
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
        p.Add(RowArrays.Timestamps(rows, t => t.AssignedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.StartedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.CompletedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.UpdatedAt));
        p.Add(RowArrays.Timestamps(rows, t => t.DeletedAt));
        p.Add(RowArrays.Of(rows, t => t.Version));
        p.Add(RowArrays.Of(writes, w => w.ExpectedVersion));
        p.Add(RowArrays.Of(writes, w => (int)w.Queue));
        p.Add(RowArrays.Of(writes, w => w.LogLine));
    }

    private static string StaleMessage(TaskWrite write) => $"tasks row {write.Next.Id} is no longer at version {write.ExpectedVersion}";

    /// <summary>Appends an agent's lines to the task's log, in order.</summary>
    public Task AppendLogsAsync(Guid taskId, IReadOnlyList<TaskLogLine> lines)
        => _batcher.WriteAsync(batch => batch.BatchCommands.Add(new NpgsqlBatchCommand(
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
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT id FROM tasks t
            WHERE {TaskStatuses.ActiveIn("t")} AND gpu_server_id IS NOT NULL AND status = '{TaskStatuses.Running}'
              AND started_at + make_interval(secs => timeout_seconds) < now()
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
