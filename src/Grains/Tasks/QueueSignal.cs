using Microsoft.Extensions.Logging;
using Npgsql;
using OwlFactory.Database.Notifications;

namespace OwlFactory.Grains.Tasks;

/// <summary>
/// This silo's ear on the dispatch queue: a LISTEN on the channel every batch with an enqueue notifies once it
/// commits. Idle servers on this silo wait on <see cref="Next"/> and claim as soon as work arrives anywhere in the
/// cluster. A missed notification costs at most the servers' one-second re-check, never a task.
/// </summary>
public sealed class QueueSignal(NpgsqlDataSource dataSource, ILogger<QueueSignal> logger)
    : ChannelListener(dataSource, TaskStore.QueueChannel, logger)
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

    protected override void OnListening()
    {
        // Whatever was enqueued while this silo was not listening is picked up by this first wake-up.
        Interlocked.Increment(ref _generation);
        Fire();
    }

    /// <summary>A batch's notice: <c>type=count,…</c>, or empty when the batch could not say.</summary>
    protected override void OnNotice(string payload)
    {
        if (NoticePayload.Read(payload) is not { } enqueued)
        {
            Interlocked.Increment(ref _generation);
        }
        else
        {
            lock (_credits)
            {
                foreach (var (type, count) in enqueued)
                {
                    _credits[type] = _credits.GetValueOrDefault(type) + count;
                }
            }
        }

        Fire();
    }

    private void Fire()
    {
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
