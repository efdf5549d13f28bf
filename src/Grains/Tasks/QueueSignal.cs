using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OwlFactory.Grains.Tasks;

/// <summary>
/// This silo's ear on the dispatch queue: a LISTEN on the channel every batch with an enqueue notifies once it
/// commits. Idle servers on this silo wait on <see cref="Next"/> and claim as soon as work arrives anywhere in the
/// cluster. A missed notification costs at most the servers' one-second re-check, never a task.
/// </summary>
public sealed partial class QueueSignal(NpgsqlDataSource dataSource, ILogger<QueueSignal> logger) : BackgroundService
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _generation;

    /// <summary>Completes at the next enqueue anywhere in the cluster.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>
    /// Counts the enqueues heard (and reconnections, which may have missed some). A claim that found the queue
    /// drained stays true until this moves.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Fire();
                await using (var listen = new NpgsqlCommand($"LISTEN {TaskStore.QueueChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was enqueued while this silo was not listening is picked up by this first wake-up.
                Fire();
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    // Pooled connections are not reset on return: leave no LISTEN behind on this one.
                    await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                    await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void Fire()
    {
        Interlocked.Increment(ref _generation);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Listening for queued tasks failed; reconnecting")]
    private partial void LogListenFailed(Exception exception);
}
