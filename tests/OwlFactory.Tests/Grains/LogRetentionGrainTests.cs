using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class LogRetentionGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PurgeAsync_RemovesRecordsOlderThanTheRetention_AndKeepsTheRest()
    {
        var marker = Guid.NewGuid().ToString("N");
        var task = Guid.NewGuid();
        foreach (var age in new[] { 400, 1 })
        {
            await TestDatabase.ScalarAsync<long>(
                "INSERT INTO system_logs (ts, level, category, message, process) VALUES (now() - make_interval(days => $1), 'INFO', 'Retention', $2, 'test') RETURNING id",
                age, marker);
            await TestDatabase.ScalarAsync<long>(
                "INSERT INTO user_actions (action, details, created_at) VALUES ($2, '{}', now() - make_interval(days => $1)) RETURNING id", age, marker);
            await TestDatabase.ScalarAsync<long>(
                "INSERT INTO task_logs (task_id, ts, level, message, source, created_at) VALUES ($3, now(), 'INFO', $2, 'platform', now() - make_interval(days => $1)) RETURNING id",
                age, marker, task);
        }

        var removed = await fixture.Grains.GetGrain<ILogRetentionGrain>(0).PurgeAsync();

        Assert.True(removed >= 3);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM system_logs WHERE message = $1", marker));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM user_actions WHERE action = $1", marker));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM task_logs WHERE task_id = $1", task));
    }
}
