using Npgsql;
using Orleans.Storage;
using OwlFactory.Database.Batching;

namespace OwlFactory.Grains;

/// <summary>How a grain's store sends its writes: through the silo's <see cref="WriteBatcher"/> (group commit).</summary>
public static class GuardedWrites
{
    /// <summary>The SQLSTATE that <c>owl_expect</c> raises when a version guard does not hold.</summary>
    public const string GuardFailed = "OW001";

    /// <summary>The check that ends a guarded statement: raises <see cref="GuardFailed"/> unless <paramref name="countSql"/> is 1.</summary>
    public static string Expect(string countSql, string messageParameter) => $"SELECT owl_expect(({countSql}) = 1, {messageParameter})";

    /// <summary>
    /// Runs the write in the next batch; a version guard that did not hold comes back as the
    /// <see cref="InconsistentStateException"/> the grains expect (see <see cref="GrainWriteExtensions"/>).
    /// </summary>
    public static async Task WriteAsync(this WriteBatcher batcher, Action<NpgsqlBatch> addCommands, params IEnumerable<BatchNotice?> notices)
    {
        try
        {
            await batcher.ExecuteAsync(addCommands, notices);
        }
        catch (PostgresException e) when (e.SqlState == GuardFailed)
        {
            throw new InconsistentStateException(e.MessageText);
        }
    }
}
