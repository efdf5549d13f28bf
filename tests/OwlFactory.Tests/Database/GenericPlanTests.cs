using Npgsql;
using OwlFactory.Database;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Database;

/// <summary>A statement sent through <see cref="GenericPlan"/> runs on its generic plan; nothing else on the connection does.</summary>
public sealed class GenericPlanTests
{
    [Fact]
    public async Task ExecuteReaderAsync_TheStatementRunsOnGenericPlans_AndTheConnectionGoesBackWithItsOwnSetting()
    {
        await TestDatabase.EnsureMigratedAsync();
        // One connection, prepared statements kept and no reset on return, as in the silo: a setting that outlived the
        // batch would be seen by the next statement.
        await using var dataSource = OwlDataSource.Create(
            new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { MaxPoolSize = 1 }.ConnectionString, "generic-plan-test");

        for (var i = 0; i < 3; i++)
        {
            await using (var batch = GenericPlan.CreateBatch(dataSource, "SELECT current_setting('plan_cache_mode'), $1::int", out var command))
            {
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
                await using var reader = await GenericPlan.ExecuteReaderAsync(batch);
                Assert.True(await reader.ReadAsync());
                Assert.Equal("force_generic_plan", reader.GetString(0));
                Assert.Equal(i, reader.GetInt32(1));
                Assert.False(await reader.ReadAsync());
            }

            await using var after = dataSource.CreateCommand("SELECT current_setting('plan_cache_mode')");
            Assert.Equal("auto", await after.ExecuteScalarAsync());
        }
    }
}
