using OwlFactory.GrainInterfaces.Tasks;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Tasks;

/// <summary>The queue order's spellings agree with each other on the real PostgreSQL.</summary>
public sealed class TaskQueueOrderTests
{
    // Rows that tie on every column but the last in turn: front, then priority, then the time.
    private const string Queue =
        """
        q(front, priority, enqueued_at, task_id) AS (VALUES
            (false, 0, timestamptz '2026-01-01 00:00:01Z', uuid '00000000-0000-0000-0000-000000000001'),
            (false, 0, timestamptz '2026-01-01 00:00:01Z', uuid '00000000-0000-0000-0000-000000000002'),
            (false, 0, timestamptz '2026-01-01 00:00:00Z', uuid '00000000-0000-0000-0000-000000000009'),
            (false, 5, timestamptz '2026-01-01 00:00:09Z', uuid '00000000-0000-0000-0000-000000000003'),
            (false, 5, timestamptz '2026-01-01 00:00:02Z', uuid '00000000-0000-0000-0000-000000000008'),
            (true, 0, timestamptz '2026-01-01 00:00:09Z', uuid '00000000-0000-0000-0000-000000000004'),
            (true, 1, timestamptz '2026-01-01 00:00:09Z', uuid '00000000-0000-0000-0000-000000000005'),
            (true, 1, timestamptz '2026-01-01 00:00:03Z', uuid '00000000-0000-0000-0000-000000000007'))
        """;

    [Fact]
    public async Task Before_AgreesWithTheOrderByList_ForEveryPair()
    {
        await TestDatabase.EnsureMigratedAsync();

        var disagreements = await TestDatabase.ScalarAsync<long>(
            $"""
            WITH {Queue},
            ranked AS (SELECT *, row_number() OVER (ORDER BY {TaskQueueOrder.Columns}) AS n FROM q)
            SELECT count(*) FROM ranked a, ranked b WHERE a.task_id <> b.task_id AND ({TaskQueueOrder.Before("a", "b")}) <> (a.n < b.n)
            """);

        Assert.Equal(0, disagreements);
    }

    [Fact]
    public async Task Of_IsTheOrderByListOnAnAlias()
    {
        await TestDatabase.EnsureMigratedAsync();

        var order = await TestDatabase.ScalarAsync<string>(
            $"WITH {Queue} SELECT string_agg(right(task_id::text, 1), '' ORDER BY {TaskQueueOrder.Of("q")}) FROM q");

        Assert.Equal("75483912", order);
    }
}
