using Microsoft.Extensions.Logging;
using Npgsql;
using OwlFactory.Database.Notifications;

namespace OwlFactory.Database.Batching;

/// <summary>
/// Group commit: the writes of many callers (grains, requests) that arrive while a batch is in flight go to
/// PostgreSQL together as the next batch: one round trip, one transaction, one fsync, instead of one of each per
/// write. A caller's task completes only once its batch has committed, so "acknowledged" still means "durable".
/// <para>
/// Each write is one or more statements that must commit together (an operation). A batch is atomic as a whole, so
/// when any statement in it fails, nothing of it is kept and every operation of the batch is run again on its own,
/// in its own transaction: a bad operation (a unique key taken, a version guard that does not hold) fails only
/// itself, and its caller sees exactly the error it would have seen without batching. Statements that guard a
/// version must raise an error when the guard does not hold (<c>owl_expect</c>), never just touch no row.
/// </para>
/// </summary>
public sealed partial class WriteBatcher : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly BatchQueue<Operation> _queue;

    /// <param name="dataSource">The pool the batches use; at most <paramref name="concurrency"/> connections at a time.</param>
    /// <param name="logger">Where failed batches are noted.</param>
    /// <param name="concurrency">How many batches may be in flight at once.</param>
    /// <param name="maxBatch">The most operations one batch carries.</param>
    public WriteBatcher(NpgsqlDataSource dataSource, ILogger<WriteBatcher> logger, int concurrency = 3, int maxBatch = 256)
    {
        _dataSource = dataSource;
        _logger = logger;
        _queue = new BatchQueue<Operation>(RunBatchAsync, concurrency, maxBatch);
    }

    /// <summary>
    /// Runs <paramref name="addCommands"/>'s statements in the next batch and completes once they are committed, or
    /// throws what running them alone threw. <paramref name="addCommands"/> may be called twice (the batch, then
    /// alone), so it must add fresh commands each time. <paramref name="notices"/>: announced when the batch commits,
    /// before the task completes (one NOTIFY per channel per batch, however many operations asked for it; see
    /// <see cref="BatchNotice"/>); null ones are skipped. An operation may be notices alone, with no statement.
    /// </summary>
    public Task ExecuteAsync(Action<NpgsqlBatch> addCommands, params IEnumerable<BatchNotice?> notices)
        => Enqueue(new Operation([], addCommands, [.. notices.OfType<BatchNotice>()]));

    /// <summary>
    /// Writes <paramref name="rows"/> in the next batch, each coalesced with the batch's other rows of its
    /// <see cref="RowStatement"/>, and completes once they are committed, or throws what writing them alone threw
    /// (see the other overload).
    /// </summary>
    public Task ExecuteAsync(IReadOnlyList<BatchRow> rows, params IEnumerable<BatchNotice?> notices)
        => Enqueue(new Operation([.. rows], null, [.. notices.OfType<BatchNotice>()]));

    private Task Enqueue(Operation operation)
    {
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(operation), this);
        return operation.Done.Task;
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task RunBatchAsync(List<Operation> operations)
    {
        try
        {
            await ExecuteTogetherAsync(operations);
            foreach (var operation in operations)
            {
                operation.Done.TrySetResult();
            }

            return;
        }
        catch (Exception e) when (operations.Count > 1)
        {
            LogBatchFailed(operations.Count, e.Message);
        }
        catch (Exception e)
        {
            operations[0].Done.TrySetException(e);
            return;
        }

        foreach (var operation in operations)
        {
            try
            {
                await ExecuteTogetherAsync([operation]);
                operation.Done.TrySetResult();
            }
            catch (Exception e)
            {
                operation.Done.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// One round trip, one implicit transaction for the writes: PostgreSQL commits them at their Sync, or nothing. The
    /// rows go first, one statement per <see cref="RowStatement"/> in rank order, then each operation's own commands and
    /// the atomic notices; the other notices follow in a transaction of their own (see <see cref="BatchNotice"/>).
    /// </summary>
    private async Task ExecuteTogetherAsync(List<Operation> operations)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        foreach (var statement in operations.SelectMany(o => o.Rows).GroupBy(r => r.Statement, r => r.Row).OrderBy(g => g.Key.Rank))
        {
            batch.BatchCommands.Add(statement.Key.Build([.. statement]));
        }

        foreach (var operation in operations)
        {
            operation.AddCommands?.Invoke(batch);
        }

        var notices = operations.SelectMany(o => o.Notices).ToLookup(n => n.Atomic);
        AddNotifies(batch, notices[true]);
        var hintsFrom = -1;
        if (notices[false].Any())
        {
            // The hints go in a second transaction of the same round trip (an error barrier is a Sync: the writes above
            // commit on their own first), committed without waiting for its flush. A NOTIFY holds a database-wide lock
            // from its commit's start to its end; in the writes' transaction that span includes their fsync, so every
            // batch that notified committed one after another. Should the writes fail, their hints still go out: a
            // listener re-checks and finds nothing new, and the operations re-run alone announce again.
            if (batch.BatchCommands.Count > 0)
            {
                batch.BatchCommands[^1].AppendErrorBarrier = true;
            }

            hintsFrom = batch.BatchCommands.Count;
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
            AddNotifies(batch, notices[false]);
        }

        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            await batch.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (hintsFrom >= 0 && e.BatchCommand is { } failed && batch.BatchCommands.IndexOf(failed) >= hintsFrom)
        {
            // The writes committed; only their hints were lost, which listeners make up for by re-checking.
            LogHintsLost(e.Message);
        }
    }

    private static void AddNotifies(NpgsqlBatch batch, IEnumerable<BatchNotice> notices)
    {
        foreach (var channel in notices.GroupBy(n => n.Channel, StringComparer.Ordinal))
        {
            foreach (var payload in NoticePayload.Write(channel))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = channel.Key },
                        new NpgsqlParameter<string> { TypedValue = payload },
                    },
                });
            }
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Debug, Message = "A batch of {Count} writes failed ({Reason}); running each on its own")]
    private partial void LogBatchFailed(int count, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "A batch's writes committed but its notices were not sent ({Reason})")]
    private partial void LogHintsLost(string reason);

    private sealed record Operation(BatchRow[] Rows, Action<NpgsqlBatch>? AddCommands, BatchNotice[] Notices)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
