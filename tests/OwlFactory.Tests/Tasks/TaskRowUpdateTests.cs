using Npgsql;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Tasks;

/// <summary>
/// A task's start changes its status, start time, progress and update time. No index of <c>tasks</c> may cover any of
/// them, so PostgreSQL writes the start in place (a HOT update: no index entry) instead of indexing the row again.
/// </summary>
public sealed class TaskRowUpdateTests
{
    [Fact]
    public async Task ATasksStart_WithTheTablesIndexes_IsWrittenInPlace()
    {
        await TestDatabase.EnsureMigratedAsync();
        await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // A table of this transaction's own with the indexes of tasks (a temporary table comes first on the search path).
        await TestDatabase.ExecuteAsync(connection, "CREATE TEMPORARY TABLE tasks (LIKE public.tasks INCLUDING ALL) ON COMMIT DROP");
        await TestDatabase.ExecuteAsync(connection,
            """
            INSERT INTO tasks (id, user_id, title, task_type, priority, config, status, attempt, hold_key, hold_amount, price,
                               timeout_seconds, created_at, updated_at, version)
            VALUES (gen_random_uuid(), gen_random_uuid(), 'probe', 'training', 3, '{}', 'pending', 1, 'hold', 1.00, 0.5000,
                    3600, now(), now(), 1)
            """);
        await TestDatabase.ExecuteAsync(connection, "UPDATE tasks SET gpu_server_id = gen_random_uuid(), assigned_at = now(), updated_at = now(), version = 2");
        await TestDatabase.ExecuteAsync(connection, "UPDATE tasks SET status = 'running', started_at = now(), progress = 5, updated_at = now(), version = 3");

        await using var count = new NpgsqlCommand("SELECT pg_stat_get_xact_tuples_updated('tasks'::regclass), pg_stat_get_xact_tuples_hot_updated('tasks'::regclass)", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        // The assignment indexes the row under its server; the start is written in place.
        Assert.Equal(2, reader.GetInt64(0));
        Assert.Equal(1, reader.GetInt64(1));
    }
}
