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

    // Enqueues heard and not yet claimed by a server of this silo, by task type.
    private readonly Dictionary<string, long> _credits = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Completes at the next enqueue anywhere in the cluster.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>
    /// Moves when this silo may have missed enqueues (it (re)connected, or a notice came without counts): every
    /// server with a free slot then claims once, whatever its credits say.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// Takes up to <paramref name="wanted"/> of the enqueues heard for <paramref name="taskTypes"/>: how many tasks a
    /// server may go and claim. So when two tasks are enqueued, two claims follow on this silo, not one per idle server.
    /// </summary>
    public int TakeCredits(IEnumerable<string> taskTypes, int wanted)
    {
        var taken = 0;
        lock (_credits)
        {
            foreach (var type in taskTypes)
            {
                if (taken < wanted && _credits.TryGetValue(type, out var available) && available > 0)
                {
                    var take = (int)Math.Min(available, wanted - taken);
                    _credits[type] = available - take;
                    taken += take;
                }
            }
        }

        return taken;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Heard(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {TaskStore.QueueChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was enqueued while this silo was not listening is picked up by this first wake-up.
                Interlocked.Increment(ref _generation);
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

    /// <summary>A batch's notice: <c>type=count,…</c> (URI-escaped types), or empty when the batch could not say.</summary>
    private void Heard(string payload)
    {
        if (payload.Length == 0)
        {
            Interlocked.Increment(ref _generation);
        }
        else
        {
            lock (_credits)
            {
                foreach (var entry in payload.Split(','))
                {
                    var at = entry.LastIndexOf('=');
                    if (at > 0 && long.TryParse(entry.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
                    {
                        var type = Uri.UnescapeDataString(entry[..at]);
                        _credits[type] = _credits.GetValueOrDefault(type) + count;
                    }
                }
            }
        }

        Fire();
    }

    private void Fire()
    {
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Listening for queued tasks failed; reconnecting")]
    private partial void LogListenFailed(Exception exception);
}
