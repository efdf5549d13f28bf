using Npgsql;

namespace OwlFactory.Database;

/// <summary>
/// Runs one hot statement on its generic plan: planned once per connection, then only executed. Left to itself,
/// PostgreSQL plans a prepared statement afresh on every call whenever its generic plan's estimate looks costlier than
/// the plans for the values at hand (a <c>LIMIT $n</c> is counted as a tenth of the rows, an array parameter as ten
/// elements), even when the generic plan does the same work: the dispatch claim spent as long being planned as being
/// run. A statement sent this way must be written so its generic plan is the good one for any values (keys looked up
/// with <c>= ANY($n)</c>, never a join whose side is sized by a parameter), and be checked with
/// <c>SET plan_cache_mode = force_generic_plan</c> and <c>EXPLAIN EXECUTE</c> when it changes.
/// </summary>
public static class GenericPlan
{
    // Local to the batch's transaction (the statements of one batch run in one, which ends with it): the connection
    // goes back to the pool as it came, and every other statement keeps PostgreSQL's own choice.
    private const string Force = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>A batch that runs <paramref name="sql"/>; fill <paramref name="command"/>'s parameters, then run it with <see cref="ExecuteReaderAsync"/>.</summary>
    public static NpgsqlBatch CreateBatch(NpgsqlDataSource dataSource, string sql, out NpgsqlBatchCommand command)
    {
        var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Force));
        command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return batch;
    }

    /// <summary>Runs the batch; the reader is at the statement's own rows.</summary>
    public static async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlBatch batch, CancellationToken cancellationToken = default)
    {
        var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return reader;
    }
}
