using Npgsql;
using OwlFactory.Database;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Database;

/// <summary>
/// A statement prepared while its table was small keeps its plan after a bulk insert, until the statistics are
/// refreshed: what made every redemption scan all the codes after a large issue.
/// </summary>
public sealed class TableStatisticsTests : IAsyncLifetime
{
    private readonly string _table = "stats_probe_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        await TestDatabase.EnsureMigratedAsync();
        await TestDatabase.ScalarAsync<int>($"CREATE TABLE {_table} (id int PRIMARY KEY, pad text NOT NULL) WITH (autovacuum_enabled = false)");
    }

    public async Task DisposeAsync() => await TestDatabase.ScalarAsync<int>($"DROP TABLE IF EXISTS {_table}");

    [Fact]
    public async Task RefreshIfOutgrownAsync_AfterABulkInsert_RePlansAPreparedKeyLookupThatHadBeenPlannedAsAScan()
    {
        await InsertAsync(1, 20);
        await TestDatabase.ScalarAsync<int>($"ANALYZE {_table}");
        await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
        await TestDatabase.ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan");
        await TestDatabase.ExecuteAsync(connection,
            $"PREPARE lookup(int[]) AS SELECT p.pad FROM {_table} p JOIN unnest($1) AS v(id) ON p.id = v.id");
        Assert.Contains("Seq Scan", await PlanAsync(connection));

        await InsertAsync(21, 50_000);
        Assert.Contains("Seq Scan", await PlanAsync(connection));

        Assert.True(await TableStatistics.RefreshIfOutgrownAsync(TestDatabase.DataSource, _table));
        var plan = await PlanAsync(connection);
        Assert.DoesNotContain("Seq Scan", plan);
        Assert.Contains($"{_table}_pkey", plan);
    }

    [Fact]
    public async Task RefreshIfOutgrownAsync_AnalyzesANeverAnalyzedTable_ThenNotAgainUntilItGrowsByAQuarter()
    {
        await InsertAsync(1, 10_000);
        Assert.True(await TableStatistics.RefreshIfOutgrownAsync(TestDatabase.DataSource, _table));

        await InsertAsync(10_001, 11_000);
        Assert.False(await TableStatistics.RefreshIfOutgrownAsync(TestDatabase.DataSource, _table));

        await InsertAsync(11_001, 13_000);
        Assert.True(await TableStatistics.RefreshIfOutgrownAsync(TestDatabase.DataSource, _table));
        Assert.Equal(13_000, await TestDatabase.ScalarAsync<float>($"SELECT reltuples FROM pg_class WHERE oid = '{_table}'::regclass"));
    }

    [Fact]
    public async Task RefreshIfOutgrownAsync_ANameThatIsNotPlain_IsRefusedBeforeAnySql()
        => await Assert.ThrowsAsync<ArgumentException>(() =>
            TableStatistics.RefreshIfOutgrownAsync(TestDatabase.DataSource, "users; DROP TABLE users"));

    private Task<int> InsertAsync(int from, int to) => TestDatabase.ScalarAsync<int>(
        $"INSERT INTO {_table} (id, pad) SELECT g, repeat('x', 40) FROM generate_series($1::int, $2::int) g", from, to);

    private static async Task<string> PlanAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("EXPLAIN EXECUTE lookup('{1,2,3}')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
