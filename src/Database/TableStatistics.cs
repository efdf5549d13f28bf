using System.Text.RegularExpressions;
using Npgsql;

namespace OwlFactory.Database;

/// <summary>
/// Keeps the planner's statistics of a table current after a bulk insert. Our statements are prepared per connection
/// (<see cref="OwlDataSource"/>), and PostgreSQL keeps a prepared statement's generic plan until the statistics of a
/// table it reads change. A plan made while the table was small stays small-table shaped: planned against the 300 codes
/// that fund the first users, a redemption's claim scanned every one of the 50,000 codes issued a minute later (a hash
/// join over a sequential scan instead of a primary-key lookup) until autovacuum came round to the table
/// (docs/benchmarks.md, "Sixth round"). <c>ANALYZE</c> refreshes the statistics and so re-plans every cached statement
/// that reads the table.
/// </summary>
public static partial class TableStatistics
{
    /// <summary>
    /// Analyzes <paramref name="table"/> when it has grown by a quarter or more since its statistics were taken (or has
    /// none yet). Growth is measured in pages, which is immediate and costs one catalogue read; the quarter keeps the
    /// number of <c>ANALYZE</c> runs logarithmic in the table's growth. True when it analyzed.
    /// </summary>
    public static async Task<bool> RefreshIfOutgrownAsync(NpgsqlDataSource dataSource, string table, CancellationToken cancellationToken = default)
    {
        if (!PlainName().IsMatch(table))
        {
            throw new ArgumentException($"'{table}' is not a plain table name", nameof(table));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var sizes = new NpgsqlCommand(
            "SELECT relpages, (pg_relation_size(oid) / current_setting('block_size')::int)::int FROM pg_class WHERE oid = $1::regclass",
            connection))
        {
            sizes.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
            await using var reader = await sizes.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            int counted = reader.GetInt32(0), pages = reader.GetInt32(1);
            if (counted > 0 && pages < counted + counted / 4)
            {
                return false;
            }
        }

        await using var analyze = new NpgsqlCommand($"ANALYZE {table}", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainName();
}
