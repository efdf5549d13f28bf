using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OwlFactory.Database.Batching;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Database;

/// <summary>The group commit on the real PostgreSQL: what one batch's operations see of each other.</summary>
public sealed class WriteBatcherTests : IAsyncLifetime
{
    private readonly string _table = "batch_probe_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        await TestDatabase.EnsureMigratedAsync();
        await TestDatabase.ScalarAsync<int>($"CREATE TABLE {_table} (id int PRIMARY KEY, version int NOT NULL DEFAULT 1)");
    }

    public async Task DisposeAsync() => await TestDatabase.ScalarAsync<int>($"DROP TABLE IF EXISTS {_table}");

    [Fact]
    public async Task ExecuteAsync_OneBadOperationInABatch_FailsOnlyItself()
    {
        await TestDatabase.ScalarAsync<int>($"INSERT INTO {_table} (id) VALUES (7)");
        await using var batcher = new WriteBatcher(TestDatabase.DataSource, NullLogger<WriteBatcher>.Instance, concurrency: 1);

        // A slow first batch holds the only worker, so the twenty writes behind it go to PostgreSQL as one batch.
        var blocker = batcher.ExecuteAsync(b => b.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_sleep(0.5)")));
        var writes = Enumerable.Range(0, 20).Select(id => Capture(batcher.ExecuteAsync(b => b.BatchCommands.Add(Insert(id))))).ToList();
        await blocker;
        var outcomes = await Task.WhenAll(writes);

        var failure = Assert.IsType<PostgresException>(outcomes[7]);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.All(outcomes.Where((_, id) => id != 7), Assert.Null);
        Assert.Equal(20, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {_table}"));
    }

    [Fact]
    public async Task ExecuteAsync_GuardThatDoesNotHold_FailsItsOperationWholeAndNoOther()
    {
        await TestDatabase.ScalarAsync<int>($"INSERT INTO {_table} (id) VALUES (1), (2)");
        await using var batcher = new WriteBatcher(TestDatabase.DataSource, NullLogger<WriteBatcher>.Instance, concurrency: 1);

        var blocker = batcher.ExecuteAsync(b => b.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_sleep(0.5)")));
        // Stale: row 1 is at version 1, not 5. Its operation's second statement (an insert) must not survive either.
        var stale = Capture(batcher.ExecuteAsync(b =>
        {
            b.BatchCommands.Add(Insert(100));
            b.BatchCommands.Add(GuardedBump(1, expectedVersion: 5));
        }));
        var good = Capture(batcher.ExecuteAsync(b =>
        {
            b.BatchCommands.Add(Insert(200));
            b.BatchCommands.Add(GuardedBump(2, expectedVersion: 1));
        }));
        await blocker;

        var failure = Assert.IsType<PostgresException>(await stale);
        Assert.Equal("OW001", failure.SqlState);
        Assert.Null(await good);
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {_table} WHERE id = 100"));
        Assert.Equal(1, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {_table} WHERE id = 200"));
        Assert.Equal(2, await TestDatabase.ScalarAsync<int>($"SELECT version FROM {_table} WHERE id = 2"));
        Assert.Equal(1, await TestDatabase.ScalarAsync<int>($"SELECT version FROM {_table} WHERE id = 1"));
    }

    [Fact]
    public async Task ExecuteAsync_Completes_OnlyOnceTheWriteIsCommitted()
    {
        await using var batcher = new WriteBatcher(TestDatabase.DataSource, NullLogger<WriteBatcher>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(id => batcher.ExecuteAsync(b => b.BatchCommands.Add(Insert(id)))));

        // Read on another connection: every acknowledged write is visible, so each was committed before its answer.
        Assert.Equal(200, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {_table}"));
    }

    [Fact]
    public async Task ExecuteAsync_CoalescedRows_OneStaleRowFailsOnlyItsOperationWithItsOwnMessage()
    {
        await TestDatabase.ScalarAsync<int>($"INSERT INTO {_table} (id) SELECT g FROM generate_series(0, 19) g");
        await using var batcher = new WriteBatcher(TestDatabase.DataSource, NullLogger<WriteBatcher>.Instance, concurrency: 1);
        var bumps = new RowStatement<(int Id, int Expected)>(
            rank: 1,
            $"WITH v AS (SELECT * FROM unnest($1::int[], $2::int[]) AS v(id, expected)), " +
            $"u AS (UPDATE {_table} t SET version = t.version + 1 FROM v WHERE t.id = v.id AND t.version = v.expected RETURNING t.id)",
            (p, rows) =>
            {
                p.Add(RowArrays.Of(rows, r => r.Id));
                p.Add(RowArrays.Of(rows, r => r.Expected));
            },
            guard: "SELECT count(*) FROM u",
            staleMessage: r => $"row {r.Id} is not at version {r.Expected}");

        // Twenty operations behind a slow one go to PostgreSQL as one batch: one statement bumping twenty rows, one stale.
        var blocker = batcher.ExecuteAsync(b => b.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_sleep(0.5)")));
        var writes = Enumerable.Range(0, 20)
            .Select(id => Capture(batcher.ExecuteAsync([BatchRow.Of(bumps, (id, id == 7 ? 5 : 1))])))
            .ToList();
        await blocker;
        var outcomes = await Task.WhenAll(writes);

        var failure = Assert.IsType<PostgresException>(outcomes[7]);
        Assert.Equal(WriteGuard.Failed, failure.SqlState);
        Assert.Equal("row 7 is not at version 5", failure.MessageText);
        Assert.All(outcomes.Where((_, id) => id != 7), Assert.Null);
        Assert.Equal(19, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {_table} WHERE version = 2"));
        Assert.Equal(1, await TestDatabase.ScalarAsync<int>($"SELECT version FROM {_table} WHERE id = 7"));
    }

    private NpgsqlBatchCommand Insert(int id)
        => new($"INSERT INTO {_table} (id) VALUES ($1)") { Parameters = { new NpgsqlParameter<int> { TypedValue = id } } };

    private NpgsqlBatchCommand GuardedBump(int id, int expectedVersion)
        => new($"WITH u AS (UPDATE {_table} SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING 1) " +
               "SELECT owl_expect((SELECT count(*) FROM u) = 1, 'stale')")
        {
            Parameters = { new NpgsqlParameter<int> { TypedValue = id }, new NpgsqlParameter<int> { TypedValue = expectedVersion } },
        };

    private static async Task<Exception?> Capture(Task write)
    {
        try
        {
            await write;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
