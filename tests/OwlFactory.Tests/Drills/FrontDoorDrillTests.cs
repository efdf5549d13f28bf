using Npgsql;
using OwlFactory.LoadTest.Drills;
using OwlFactory.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OwlFactory.Tests.Drills;

/// <summary>
/// Short forms of <c>./owl drill api-kill</c> and <c>pg-restart</c>: the drills' mixed load through the front door to
/// two API hosts, one fault, then the drills' own invariants in PostgreSQL.
/// </summary>
[Collection(FrontDoorGroup.Name)]
public sealed class FrontDoorDrillTests(FrontDoorSystemFixture system, ITestOutputHelper output)
{
    private const int Users = 6;
    private static readonly TimeSpan BeforeFault = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApiHostLost_BehindTheFrontDoor_NoRequestFails_AndNothingIsLostOrDoubled(bool graceful)
    {
        var load = await PrepareLoadAsync(codes: 300);
        try
        {
            // A kill cuts the requests in flight on that host: the front door resends them, with the same operation id, to
            // the other. A SIGTERM: the host answers the front door 503 while it drains, then stops listening.
            var (start, end) = await load.RunAroundFaultAsync(BeforeFault, async () =>
            {
                if (graceful)
                {
                    system.SecondApi.Terminate();
                    Assert.True(await system.SecondApi.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the API host did not stop");
                }
                else
                {
                    system.SecondApi.Kill();
                }
            }, TimeSpan.FromSeconds(4));
            Report(load, start, end);
        }
        finally
        {
            await system.RestartSecondApiAsync();
        }

        var failed = load.Requests.Where(r => r.Failed).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {load.Requests.Count} failed: {string.Join("; ", failed.Take(10))}{Environment.NewLine}{system.FrontDoor.ErrorLog}");
        await AssertInvariantsAsync(load, nothingFailed: true);
    }

    [Fact]
    public async Task PostgresCrashed_AnswersOnly503WhileDown_AndServesAgainWithinTwoSeconds()
    {
        // Redemptions too: a code's claim and the account's credit commit in one transaction, so the outage can cut a
        // redemption only whole, and every acknowledged one must be credited exactly once at once.
        var load = await PrepareLoadAsync(codes: 400);
        var back = TimeSpan.Zero;
        var (start, end) = await load.RunAroundFaultAsync(BeforeFault, async () =>
        {
            await system.Postgres.CrashAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await system.Postgres.StartAsync();
            back = load.Now;
        }, TimeSpan.FromSeconds(6));
        Report(load, start, end);

        var failed = load.Requests.Where(r => r.Failed).ToList();
        Assert.All(failed, r => Assert.Equal(503, r.Status));
        Assert.True(load.Requests.Max(r => r.Took) < TimeSpan.FromSeconds(10), "a request hung");
        var lateFailures = failed.Where(r => r.Started > back + TimeSpan.FromSeconds(2)).ToList();
        Assert.True(lateFailures.Count == 0, $"failed more than 2 s after PostgreSQL was back ({back.TotalSeconds:0.0} s): {string.Join("; ", lateFailures.Take(5))}");
        await AssertInvariantsAsync(load, nothingFailed: failed.Count == 0);
    }

    private async Task<DrillLoad> PrepareLoadAsync(int codes)
    {
        var load = new DrillLoad(system.FrontDoor.Address);
        using var admin = await load.AdminClientAsync();
        await load.PrepareAsync(admin, Users, codes);
        return load;
    }

    private void Report(DrillLoad load, TimeSpan start, TimeSpan end)
    {
        var failed = load.Requests.Where(r => r.Failed).ToList();
        output.WriteLine($"fault {start.TotalSeconds:0.0}-{end.TotalSeconds:0.0} s; requests {load.Requests.Count}, failed {failed.Count} " +
            $"({string.Join(", ", failed.GroupBy(r => r.Status).Select(g => $"{g.Key}: {g.Count()}"))}); slowest {load.Requests.Max(r => r.Took).TotalMilliseconds:0} ms");
    }

    private async Task AssertInvariantsAsync(DrillLoad load, bool nothingFailed)
    {
        await using var db = NpgsqlDataSource.Create(system.ConnectionString);
        Assert.Empty(await DrillInvariants.CheckAsync(db, load.Users, load.AcknowledgedTasks, load.AcknowledgedRedemptions, nothingFailed));
    }
}
