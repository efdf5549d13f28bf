using Npgsql;
using Orleans.Storage;
using OwlFactory.Database.Batching;

namespace OwlFactory.Grains;

/// <summary>How a grain's store sends its writes: through the silo's <see cref="WriteBatcher"/> (group commit).</summary>
public static class GuardedWrites
{
    /// <summary>
    /// Runs the write in the next batch; a version guard that did not hold comes back as the
    /// <see cref="InconsistentStateException"/> the grains expect (see <see cref="GrainWriteExtensions"/>).
    /// </summary>
    public static Task WriteAsync(this WriteBatcher batcher, Action<NpgsqlBatch> addCommands, params IEnumerable<BatchNotice?> notices)
        => ThrowingInconsistentState(batcher.ExecuteAsync(addCommands, notices));

    /// <summary>Writes the rows in the next batch, coalesced with the batch's others; a guard that did not hold throws as above.</summary>
    public static Task WriteAsync(this WriteBatcher batcher, IReadOnlyList<BatchRow> rows, params IEnumerable<BatchNotice?> notices)
        => ThrowingInconsistentState(batcher.ExecuteAsync(rows, notices));

    private static async Task ThrowingInconsistentState(Task write)
    {
        try
        {
            await write;
        }
        catch (PostgresException e) when (e.SqlState == WriteGuard.Failed)
        {
            throw new InconsistentStateException(e.MessageText);
        }
    }
}
