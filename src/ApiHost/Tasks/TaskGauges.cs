using System.Diagnostics.Metrics;
using Npgsql;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Tasks;

/// <summary>
/// Queue length and tasks by status as gauges, read from PostgreSQL rather than on every scrape; every API host reports
/// the same cluster-wide figures. The work in flight (pending and running tasks, the queue) is counted every 10 s from
/// the index of active tasks, so its cost follows the work in flight; the finished statuses, whose count walks the whole
/// history, every 10 minutes.
/// </summary>
public sealed partial class TaskGauges(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<TaskGauges> logger) : BackgroundService
{
    private static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FinishedInterval = TimeSpan.FromMinutes(10);

    // Only a finished task can be deleted, so every active task is in the index over active, undeleted tasks.
    private static readonly string LiveSql =
        $"SELECT status, count(*) FROM tasks t WHERE {TaskStatuses.ActiveIn("t")} AND t.deleted_at IS NULL GROUP BY status " +
        "UNION ALL SELECT 'queue', count(*) FROM task_queue";

    private static readonly string FinishedSql = $"SELECT status, count(*) FROM tasks t WHERE NOT ({TaskStatuses.ActiveIn("t")}) GROUP BY status";

    private Dictionary<string, long> _byStatus = [];
    private Dictionary<string, long> _finished = [];
    private DateTime _finishedDue = DateTime.MinValue;
    private long _queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        OwlMetrics.Meter.CreateObservableGauge("owl.queue.length", () => Volatile.Read(ref _queue), description: "Tasks waiting in the dispatch queue");
        OwlMetrics.Meter.CreateObservableGauge("owl.tasks", () => Volatile.Read(ref _byStatus)
            .Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key))), description: "Tasks by status");
        using var timer = new PeriodicTimer(LiveInterval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (NpgsqlException e)
            {
                LogRefreshFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow().UtcDateTime >= _finishedDue)
        {
            _finished = await CountAsync(FinishedSql, cancellationToken);
            _finishedDue = clock.GetUtcNow().UtcDateTime + FinishedInterval;
        }

        var live = await CountAsync(LiveSql, cancellationToken);
        Volatile.Write(ref _queue, live.Remove("queue", out var queue) ? queue : 0);
        var byStatus = new Dictionary<string, long>(_finished) { [TaskStatuses.Pending] = 0, [TaskStatuses.Running] = 0 };
        foreach (var (status, count) in live)
        {
            byStatus[status] = count;
        }

        Volatile.Write(ref _byStatus, byStatus);
    }

    private async Task<Dictionary<string, long>> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Refreshing the task gauges failed")]
    private partial void LogRefreshFailed(Exception exception);
}
