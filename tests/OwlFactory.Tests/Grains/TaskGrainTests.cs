using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.GrainInterfaces.Tasks;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

/// <summary>
/// The task rules at the grain level, on a TestCluster of two silos and the real PostgreSQL. The tasks use a type of
/// their own (priced in this cluster's config only), so no agent of the HTTP tests, which share the database and its
/// queue, ever claims them.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class TaskGrainTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const string GrainTaskType = "grain_tests_only";

    public async Task InitializeAsync()
    {
        var config = fixture.Grains.GetGrain<ISystemConfigGrain>(0);
        var prices = (await config.GetAsync()).TaskPrices.SetItem(GrainTaskType, 0.03m);
        await config.UpdateAsync(new SystemConfigChange(null, null, null, null, null, prices, null), Guid.Empty);
        await fixture.WaitForConfigAsync(c => c.TaskPrices.ContainsKey(GrainTaskType));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> FundedUserAsync(decimal balance)
    {
        var id = Guid.NewGuid();
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        var grain = fixture.Grains.GetGrain<IUserGrain>(id);
        Assert.Equal(AccountStatus.Ok, (await grain.RegisterAsync(new RegisterCommand($"{name}@example.test", name, "password-1", null, UserRole.User))).Status);
        Assert.Equal(AccountStatus.Ok, (await grain.AdminApplyAsync(new AdminUserChange(null, null, balance, null, null), id, Guid.NewGuid())).Status);
        return id;
    }

    private static TaskSubmission Submission(string taskType = GrainTaskType) => new("grain task", null, taskType, 1, 5, "{}", null);

    [Fact]
    public async Task SubmitTaskAsync_TwentyAtOnce_AdmitsExactlyTheLimitAndHoldsForEach()
    {
        var userId = await FundedUserAsync(100m);
        var user = fixture.Grains.GetGrain<IUserGrain>(userId);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => user.SubmitTaskAsync(Submission())));

        Assert.Equal(5, results.Count(r => r.Outcome == TaskOutcome.Ok));
        Assert.Equal(15, results.Count(r => r.Outcome == TaskOutcome.LimitExceeded));
        var profile = (await user.GetProfileAsync())!;
        Assert.Equal(100m - (5 * 1.80m), profile.AvailableBalance);
        Assert.Equal(5, profile.TotalTasks);
        foreach (var task in results.Where(r => r.Task is not null))
        {
            await fixture.Grains.GetGrain<ITaskGrain>(task.Task!.Id).CancelAsync();
        }

        Assert.Equal(100m, (await user.GetProfileAsync())!.AvailableBalance);
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task CancelAsync_TwiceAtOnce_ReleasesTheHoldOnce()
    {
        var userId = await FundedUserAsync(10m);
        var submitted = await fixture.Grains.GetGrain<IUserGrain>(userId).SubmitTaskAsync(Submission());
        var task = fixture.Grains.GetGrain<ITaskGrain>(submitted.Task!.Id);

        var results = await Task.WhenAll(task.CancelAsync(), task.CancelAsync());

        Assert.Single(results, r => r.Outcome == TaskOutcome.Ok);
        Assert.Single(results, r => r.Outcome == TaskOutcome.InvalidState);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'release'", userId));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM task_queue WHERE task_id = $1", submitted.Task.Id));
        Assert.Equal(10m, (await fixture.Grains.GetGrain<IUserGrain>(userId).GetProfileAsync())!.AvailableBalance);
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task SubmitTaskAsync_SameOperationSentThreeTimes_CreatesOneTaskAndOneHold()
    {
        var userId = await FundedUserAsync(10m);
        var user = fixture.Grains.GetGrain<IUserGrain>(userId);
        var submission = Submission() with { OperationId = Guid.NewGuid() };

        var results = new[] { await user.SubmitTaskAsync(submission), await user.SubmitTaskAsync(submission), await user.SubmitTaskAsync(submission) };

        Assert.All(results, r => Assert.Equal(TaskOutcome.Ok, r.Outcome));
        Assert.Single(results.Select(r => r.Task!.Id).Distinct());
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE user_id = $1", userId));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'hold'", userId));
    }

    [Fact]
    public async Task SubmitTaskAsync_ResentAfterTheAccountMovedToANewActivation_FindsTheFirstTry()
    {
        // The first try ran on an activation that is gone (as on a killed silo); the resend, with the request's
        // time-stamped operation id, meets a new activation that must look the key up rather than submit again.
        var userId = await FundedUserAsync(10m);
        var submission = Submission() with { OperationId = Guid.CreateVersion7() };
        var first = await fixture.Grains.GetGrain<IUserGrain>(userId).SubmitTaskAsync(submission);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var resent = await fixture.Grains.GetGrain<IUserGrain>(userId).SubmitTaskAsync(submission);

        Assert.Equal(TaskOutcome.Ok, resent.Outcome);
        Assert.Equal(first.Task!.Id, resent.Task!.Id);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE user_id = $1", userId));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'hold'", userId));
    }

    [Fact]
    public async Task SubmitTaskAsync_UnpricedType_IsRefusedAndHoldsNothing()
    {
        var userId = await FundedUserAsync(10m);

        var result = await fixture.Grains.GetGrain<IUserGrain>(userId).SubmitTaskAsync(Submission("no_such_type"));

        Assert.Equal(TaskOutcome.UnknownTaskType, result.Outcome);
        Assert.Equal(10m, (await fixture.Grains.GetGrain<IUserGrain>(userId).GetProfileAsync())!.AvailableBalance);
    }

    [Fact]
    public async Task AssignAsync_TwoServersRace_OnlyOneGetsTheTask()
    {
        var userId = await FundedUserAsync(10m);
        var submitted = await fixture.Grains.GetGrain<IUserGrain>(userId).SubmitTaskAsync(Submission());
        var task = fixture.Grains.GetGrain<ITaskGrain>(submitted.Task!.Id);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        var results = await Task.WhenAll(task.AssignAsync(a), task.AssignAsync(b));

        Assert.Single(results, r => r is not null);
        var holder = (await task.GetAsync())!.GpuServerId;
        Assert.Contains(holder, new Guid?[] { a, b });
        Assert.Equal(TaskOutcome.NotFound, await task.AgentStartAsync(holder == a ? b : a));
        Assert.Equal(TaskOutcome.Ok, await task.AgentStartAsync(holder!.Value));
        Assert.Equal(TaskOutcome.Ok, await task.AgentCompleteAsync(holder.Value, "{}"));
        Assert.Equal(TaskOutcome.Ok, await task.AgentCompleteAsync(holder.Value, "{}"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'release'", userId));
        await Ledger.AssertConsistentAsync();
    }

    [Fact]
    public async Task AgentCompleteAsync_LetsTheFinishedTasksActivationGo_AndTheTaskReadsTheSameFromItsRow()
    {
        var userId = await FundedUserAsync(10m);
        var submitted = await fixture.Grains.GetGrain<IUserGrain>(userId).SubmitTaskAsync(Submission());
        var task = fixture.Grains.GetGrain<ITaskGrain>(submitted.Task!.Id);
        var server = Guid.NewGuid();
        Assert.NotNull(await task.AssignAsync(server));
        Assert.Equal(TaskOutcome.Ok, await task.AgentStartAsync(server));
        Assert.Equal(TaskOutcome.Ok, await task.AgentCompleteAsync(server, "{\"frames\": 3}"));

        // A finished task is rarely asked for again: its activation goes once idle, not after the collection age.
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(() => management.GetGrainActivationCount((GrainReference)task), n => n == 0,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), n => $"{n} activation(s) of the finished task remain");
        var reloaded = (await task.GetAsync())!;

        Assert.Equal((TaskStatuses.Completed, 100d, server, "{\"frames\": 3}"),
            (reloaded.Status, reloaded.Progress, reloaded.GpuServerId!.Value, reloaded.ResultJson));
        Assert.NotNull(reloaded.CompletedAt);
        Assert.Equal(TaskOutcome.Ok, await task.AgentCompleteAsync(server, "{}"));
    }
}
