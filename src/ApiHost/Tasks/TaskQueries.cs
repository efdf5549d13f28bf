using Npgsql;
using NpgsqlTypes;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Tasks;

/// <summary>
/// Read side of the tasks: lists with filters and sorting, a pending task's place in the queue, a user's figures and
/// the task log, all answered by indexed SQL over the rows the grains write, never by visiting grains.
/// </summary>
public sealed class TaskQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The duration assumed for the ETA of a task that gave no estimate.</summary>
    public const int DefaultEstimateMinutes = 10;

    // Where a pending task stands: whether it is queued, how many are ahead (and of them, how many by front or priority),
    // the eligible servers' slots and those with room, the estimates of the tasks ahead in queue order, and the time left
    // of the tasks the eligible servers hold.
    private static readonly string QueueInfoSql =
        $$"""
        WITH me AS (SELECT front, priority, enqueued_at, task_id FROM task_queue WHERE task_id = $1),
        ahead AS (
            SELECT q.task_id, q.front, q.priority, q.enqueued_at FROM task_queue q, me
            WHERE q.task_type = $2 AND {{TaskQueueOrder.Before("q", "me")}})
        SELECT (SELECT count(*) FROM me),
               (SELECT count(*) FROM ahead),
               (SELECT count(*) FROM ahead, me WHERE ahead.front > me.front OR ahead.priority > me.priority),
               (SELECT coalesce(sum(max_concurrent_tasks), 0) FROM gpu_servers
                WHERE deleted_at IS NULL AND NOT maintenance AND status IN ('online', 'busy') AND $2 = ANY(task_types)),
               (SELECT count(*) FROM gpu_servers s
                WHERE s.deleted_at IS NULL AND NOT s.maintenance AND s.status IN ('online', 'busy') AND $2 = ANY(s.task_types)
                  AND s.max_concurrent_tasks > (SELECT count(*) FROM tasks t
                                                WHERE t.gpu_server_id = s.id AND {{TaskStatuses.ActiveIn("t")}})),
               (SELECT coalesce(array_agg(coalesce(t.estimated_duration, $3) ORDER BY {{TaskQueueOrder.Of("a")}}), '{}')
                FROM (SELECT * FROM ahead ORDER BY {{TaskQueueOrder.Columns}} LIMIT 1000) a
                JOIN tasks t ON t.id = a.task_id),
               (SELECT coalesce(array_agg(greatest(0, extract(epoch FROM t.started_at + make_interval(mins => coalesce(t.estimated_duration, $3)) - now()))::float8), '{}')
                FROM tasks t JOIN gpu_servers s ON s.id = t.gpu_server_id
                WHERE {{TaskStatuses.ActiveIn("t")}} AND t.gpu_server_id IS NOT NULL AND $2 = ANY(s.task_types))
        """;

    public async Task<PagedList<TaskResponse>> ListAsync(TaskListQuery query, Guid? userId, CancellationToken cancellationToken)
    {
        const string filter =
            """
            WHERE deleted_at IS NULL
              AND ($1::uuid IS NULL OR user_id = $1)
              AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR task_type = $3)
            """;
        var column = query.SortBy ?? "created_at";
        var direction = query.SortOrder == "asc" ? "ASC" : "DESC";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM tasks {filter}", connection);
        AddFilter(count, userId, query);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        // column and direction come from the allow-lists of TaskListQuery, never from the caller's text.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {TaskRows.Columns} FROM tasks {filter}
            ORDER BY {column} {direction}, created_at {direction}, id
            LIMIT $4 OFFSET $5
            """, connection);
        AddFilter(command, userId, query);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Size });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var items = new List<TaskResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(TaskResponse.From(TaskRows.ReadView(reader)));
        }

        return Paged.Of(items, total, query);
    }

    /// <summary>
    /// Why a pending task waits and when it should start. The ETA replays the queue ahead of it over the eligible
    /// servers' slots, each slot freeing when its running task's estimate runs out (docs/tasks.md).
    /// </summary>
    public async Task<QueueInfo> QueueInfoAsync(TaskView task, bool maintenance, CancellationToken cancellationToken)
    {
        if (task.GpuServerId is not null)
        {
            return new QueueInfo("assigned_waiting_for_agent", 0, task.AssignedAt);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(QueueInfoSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = task.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = task.TaskType });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = DefaultEstimateMinutes });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var queued = reader.GetInt64(0) > 0;
        var position = (int)reader.GetInt64(1);
        var higherAhead = reader.GetInt64(2);
        var slots = (int)reader.GetInt64(3);
        var serversWithRoom = reader.GetInt64(4);
        var aheadMinutes = reader.GetFieldValue<int[]>(5);
        var runningLeft = reader.GetFieldValue<double[]>(6);
        if (maintenance)
        {
            return new QueueInfo("maintenance", queued ? position : 0, null);
        }

        if (!queued)
        {
            // Between a claim and its assignment, or the row just written: it is being handed to a server.
            return new QueueInfo("dispatching", 0, clock.GetUtcNow().UtcDateTime);
        }

        if (slots == 0)
        {
            return new QueueInfo("no_server_for_task_type", position, null);
        }

        var reason = higherAhead > 0 ? "queued_behind_higher_priority"
            : position > 0 ? "queued_behind_earlier_tasks"
            : serversWithRoom == 0 ? "no_free_slot"
            : "dispatching";
        return new QueueInfo(reason, position, EstimateStart(slots, runningLeft, aheadMinutes));
    }

    public async Task<long> QueueLengthAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM task_queue");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The user's figures: tasks (not deleted) by status, what they were charged, their latest submit.</summary>
    public async Task<(int Total, int Completed, int Failed, decimal TotalCost, DateTime? LastTaskDate)> UserStatsAsync(
        Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT count(*),
                   count(*) FILTER (WHERE status = '{TaskStatuses.Completed}'),
                   count(*) FILTER (WHERE status = '{TaskStatuses.Failed}'),
                   (SELECT coalesce(-sum(amount), 0) FROM ledger_entries WHERE user_id = $1 AND kind = 'charge'),
                   max(created_at)
            FROM tasks WHERE user_id = $1 AND deleted_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetDecimal(3),
            reader.IsDBNull(4) ? null : reader.GetDateTime(4));
    }

    /// <summary>A task's log lines after the cursor <paramref name="after"/> (a line id), oldest first.</summary>
    public async Task<List<TaskLogResponse>> LogsAsync(Guid taskId, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, ts, level, message, source FROM task_logs WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = taskId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var lines = new List<TaskLogResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new TaskLogResponse(reader.GetInt64(0), reader.GetDateTime(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return lines;
    }

    /// <summary>
    /// Replays the queue: every slot frees when its task's estimate runs out (free slots at once); each task ahead
    /// takes the earliest slot for its estimate; this task starts when the next slot frees.
    /// </summary>
    private DateTime EstimateStart(int slots, double[] runningLeftSeconds, int[] aheadMinutes)
    {
        var frees = new PriorityQueue<double, double>();
        foreach (var left in runningLeftSeconds.Order().Take(slots))
        {
            frees.Enqueue(left, left);
        }

        for (var i = frees.Count; i < slots; i++)
        {
            frees.Enqueue(0, 0);
        }

        foreach (var minutes in aheadMinutes)
        {
            var at = frees.Dequeue() + (minutes * 60.0);
            frees.Enqueue(at, at);
        }

        return clock.GetUtcNow().UtcDateTime.AddSeconds(Math.Round(frees.Peek()));
    }

    private static void AddFilter(NpgsqlCommand command, Guid? userId, TaskListQuery query)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.TaskType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }
}
