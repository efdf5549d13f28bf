using Npgsql;

namespace OwlFactory.Database.Batching;

/// <summary>
/// Coalesced reads by key: the lookups of many callers (grains activating) that arrive while a read is in flight go to
/// PostgreSQL together as the next one, one statement for all their keys (<c>WHERE key = ANY($1)</c>) instead of a
/// round trip each. A lone lookup waits for nothing: it goes at once, as a batch of one. The read counterpart of
/// <see cref="WriteBatcher"/>; it reads committed rows only, so it changes nothing a caller can see.
/// <para>
/// Callers that ask for the same key in one batch are handed the same row object: rows are to be read, or copied
/// before they are changed.
/// </para>
/// </summary>
/// <typeparam name="TKey">The key the statement's <c>$1</c> array holds.</typeparam>
/// <typeparam name="TRow">What one result row becomes.</typeparam>
public sealed class ReadBatcher<TKey, TRow> : IAsyncDisposable
    where TKey : notnull
    where TRow : class
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sql;
    private readonly Func<NpgsqlDataReader, (TKey Key, TRow Row)> _read;
    private readonly BatchQueue<Lookup> _queue;

    /// <param name="dataSource">The pool the reads use; at most <paramref name="concurrency"/> connections at a time.</param>
    /// <param name="sql">
    /// One statement whose only parameter, <c>$1</c>, is the array of keys; each row it returns names its key. It runs
    /// on its generic plan (<see cref="GenericPlan"/>), which for a lookup by key is the plan whatever the keys.
    /// </param>
    /// <param name="read">Turns the reader's current row into its key and its value.</param>
    /// <param name="concurrency">How many reads may be in flight at once.</param>
    /// <param name="maxBatch">The most keys one read carries.</param>
    public ReadBatcher(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, (TKey Key, TRow Row)> read,
        int concurrency = 2, int maxBatch = 256)
    {
        _dataSource = dataSource;
        _sql = sql;
        _read = read;
        _queue = new BatchQueue<Lookup>(ReadBatchAsync, concurrency, maxBatch);
    }

    /// <summary>The row of <paramref name="key"/> as of the next read, or null where there is none; throws what that read threw.</summary>
    public Task<TRow?> ReadAsync(TKey key)
    {
        var lookup = new Lookup(key);
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(lookup), this);
        return lookup.Done.Task;
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task ReadBatchAsync(List<Lookup> lookups)
    {
        try
        {
            var found = new Dictionary<TKey, TRow>(lookups.Count);
            await using (var batch = GenericPlan.CreateBatch(_dataSource, _sql, out var command))
            {
                command.Parameters.Add(new NpgsqlParameter<TKey[]> { TypedValue = [.. lookups.Select(l => l.Key).Distinct()] });
                await using var reader = await GenericPlan.ExecuteReaderAsync(batch);
                while (await reader.ReadAsync())
                {
                    var (key, row) = _read(reader);
                    found[key] = row;
                }
            }

            foreach (var lookup in lookups)
            {
                lookup.Done.TrySetResult(found.GetValueOrDefault(lookup.Key));
            }
        }
        catch (Exception e)
        {
            foreach (var lookup in lookups)
            {
                lookup.Done.TrySetException(e);
            }
        }
    }

    private sealed record Lookup(TKey Key)
    {
        public TaskCompletionSource<TRow?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
