using System.Threading.Channels;

namespace OwlFactory.Database.Batching;

/// <summary>
/// The queue behind <see cref="WriteBatcher"/> and <see cref="ReadBatcher{TKey, TRow}"/>: the items that arrive while
/// every worker is busy wait together and are handed over as the next batch; an item that finds a worker idle goes at
/// once, as a batch of one. The handler completes its items' callers itself and must not throw.
/// </summary>
internal sealed class BatchQueue<T> : IAsyncDisposable
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>();
    private readonly Func<List<T>, Task> _handle;
    private readonly int _maxBatch;
    private readonly Task[] _workers;

    /// <param name="handle">Runs one batch; at most <paramref name="concurrency"/> at a time.</param>
    /// <param name="concurrency">How many batches may be in flight at once.</param>
    /// <param name="maxBatch">The most items one batch carries.</param>
    public BatchQueue(Func<List<T>, Task> handle, int concurrency, int maxBatch)
    {
        _handle = handle;
        _maxBatch = maxBatch;
        _workers = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>False once the queue is disposed.</summary>
    public bool TryAdd(T item) => _queue.Writer.TryWrite(item);

    /// <summary>Takes no more items and completes once the batches of those already taken are done.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    private async Task RunAsync()
    {
        var batch = new List<T>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count > 0)
            {
                await _handle(batch);
                batch.Clear();
            }
        }
    }
}
