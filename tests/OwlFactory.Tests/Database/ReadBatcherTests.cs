using Npgsql;
using OwlFactory.Database.Batching;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Database;

/// <summary>Coalesced reads on the real PostgreSQL: each caller gets its own row, however many share a statement.</summary>
public sealed class ReadBatcherTests : IAsyncLifetime
{
    private readonly string _table = "read_probe_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        await TestDatabase.EnsureMigratedAsync();
        await TestDatabase.ScalarAsync<int>($"CREATE TABLE {_table} (id int PRIMARY KEY, name text NOT NULL)");
        await TestDatabase.ScalarAsync<int>($"CREATE SEQUENCE {_table}_reads");
        await TestDatabase.ScalarAsync<int>($"INSERT INTO {_table} SELECT g, 'row ' || g FROM generate_series(1, 100) g");
    }

    public async Task DisposeAsync()
    {
        await TestDatabase.ScalarAsync<int>($"DROP TABLE IF EXISTS {_table}");
        await TestDatabase.ScalarAsync<int>($"DROP SEQUENCE IF EXISTS {_table}_reads");
    }

    [Fact]
    public async Task ReadAsync_FiftyLookupsWhileOneIsInFlight_GoAsOneStatementAndEachGetsItsOwnRow()
    {
        // Each statement takes 0.3 s and counts itself; one connection, so the lookups behind the first wait together.
        await using var reads = new ReadBatcher<int, string>(TestDatabase.DataSource,
            $"SELECT p.id, p.name FROM {_table} p, (SELECT nextval('{_table}_reads'), pg_sleep(0.3)) s WHERE p.id = ANY($1)",
            r => (r.GetInt32(0), r.GetString(1)), concurrency: 1);

        var first = reads.ReadAsync(1);
        var rest = Enumerable.Range(2, 49).Select(id => reads.ReadAsync(id)).Append(reads.ReadAsync(7)).Append(reads.ReadAsync(1000)).ToList();
        var rows = await Task.WhenAll(rest);

        Assert.Equal("row 1", await first);
        Assert.Equal(Enumerable.Range(2, 49).Select(id => $"row {id}").Append("row 7"), rows[..^1]);
        Assert.Null(rows[^1]);
        // The first alone or with the rest: never one statement a lookup.
        Assert.InRange(await TestDatabase.ScalarAsync<long>($"SELECT last_value FROM {_table}_reads"), 1L, 2L);
    }

    [Fact]
    public async Task ReadAsync_AStatementThatFails_FailsItsCallersAndTheNextReadStillWorks()
    {
        // The statement divides by its key: key 0 fails it.
        await using var reads = new ReadBatcher<int, string>(TestDatabase.DataSource,
            "SELECT k, 'hundred / ' || (100 / k)::text FROM unnest($1::int[]) k", r => (r.GetInt32(0), r.GetString(1)), concurrency: 1);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => reads.ReadAsync(0));
        Assert.Equal(PostgresErrorCodes.DivisionByZero, failure.SqlState);
        Assert.Equal("hundred / 4", await reads.ReadAsync(25));
    }
}
