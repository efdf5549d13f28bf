using Npgsql;
using OwlFactory.Grains.Tasks;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Tasks;

/// <summary>
/// The dispatch claim runs on its generic plan, planned once per connection (see <c>GenericPlan</c>), so that plan must
/// be the good one for any number of tasks claimed: it finds the rows it marks by key and never reads the whole queue.
/// </summary>
public sealed class TaskClaimPlanTests
{
    [Fact]
    public async Task ClaimSql_ItsGenericPlanOverALongQueue_ReadsTheQueueByIndexOnly()
    {
        await TestDatabase.EnsureMigratedAsync();
        await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
        // A queue of this session's own (a temporary table comes first on the search path) with 50,000 tasks of one
        // type, its statistics up to date.
        await TestDatabase.ExecuteAsync(connection, "CREATE TEMPORARY TABLE task_queue (LIKE public.task_queue INCLUDING ALL)");
        await TestDatabase.ExecuteAsync(connection,
            """
            INSERT INTO task_queue (task_id, task_type, priority, enqueued_at)
            SELECT gen_random_uuid(), 'training', 1 + g % 5, now() - g * interval '1 second' FROM generate_series(1, 50000) g
            """);
        await TestDatabase.ExecuteAsync(connection, "ANALYZE task_queue");
        await TestDatabase.ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan");
        await TestDatabase.ExecuteAsync(connection, $"PREPARE claim (uuid, text[], int) AS {TaskStore.ClaimSql}");

        var plan = new List<string>();
        await using (var explain = new NpgsqlCommand("EXPLAIN (COSTS OFF) EXECUTE claim(gen_random_uuid(), '{training,inference}', 2)", connection))
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        await TestDatabase.ExecuteAsync(connection, "DEALLOCATE claim; RESET plan_cache_mode; DROP TABLE task_queue");
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains("task_queue_pkey", StringComparison.Ordinal));
    }
}
