using System.Diagnostics.Metrics;
using Npgsql;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.ApiHost.Tasks;

/// <summary>
/// Queue length and tasks by status as gauges, read from PostgreSQL every 10 s (one indexed statement) rather than
/// on every scrape; every API host reports the same cluster-wide figures.
/// </summary>
public sealed partial class TaskGauges(NpgsqlDataSource dataSource, ILogger<TaskGauges> logger) : BackgroundService
{
    private Dictionary<string, long> _byStatus = [];
    private long _queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        OwlMetrics.Meter.CreateObservableGauge("owl.queue.length", () => Volatile.Read(ref _queue), description: "Tasks waiting in the dispatch queue");
        OwlMetrics.Meter.CreateObservableGauge("owl.tasks", () => Volatile.Read(ref _byStatus)
            .Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key))), description: "Tasks by status");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
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
        await using var command = dataSource.CreateCommand(
            "SELECT status, count(*) FROM tasks GROUP BY status UNION ALL SELECT 'queue', count(*) FROM task_queue");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        Volatile.Write(ref _queue, counts.Remove("queue", out var queue) ? queue : 0);
        Volatile.Write(ref _byStatus, counts);
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Refreshing the task gauges failed")]
    private partial void LogRefreshFailed(Exception exception);
}
