using OwlFactory.GrainInterfaces.Billing;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Tests.Billing;

/// <summary>What a task costs its user: the rule alone, no cluster, no database.</summary>
public sealed class TaskBillingTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static TaskRecord Task(string status, decimal price, decimal hold, DateTime? startedAt) => new(
        Id: Guid.NewGuid(), UserId: Guid.NewGuid(), Title: "t", Description: null, TaskType: "test", Priority: 0,
        EstimatedDuration: null, ConfigJson: "{}", ResultJson: null, ErrorMessage: null, Status: status, Progress: 0,
        GpuServerId: null, Attempt: 1, LostRuns: 0, HoldKey: "", HoldAmount: hold, Price: price, Cost: 0m,
        TimeoutSeconds: 3600, IdempotencyKey: null, AssignedAt: null, StartedAt: startedAt, CompletedAt: null,
        CreatedAt: Start, UpdatedAt: Start, DeletedAt: null, Version: 1);

    [Theory]
    [InlineData("1.00", 3600, "60.00")]
    [InlineData("0.50", 90, "0.75")]
    [InlineData("0.01", 30, "0.01")]
    [InlineData("0.01", 29, "0.00")]
    [InlineData("0.0333", 90, "0.05")]
    [InlineData("0", 3600, "0.00")]
    public void Hold_PriceForTheWholeTimeout_RoundedHalfUpToCents(string price, int timeoutSeconds, string expected)
        => Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            TaskBilling.Hold(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), timeoutSeconds));

    [Fact]
    public void HoldKey_NamesTheTaskAndTheAttempt()
    {
        var id = Guid.NewGuid();

        Assert.Equal($"task:{id}:3", TaskBilling.HoldKey(id, 3));
    }

    [Fact]
    public void CostAt_NotStarted_Nothing()
        => Assert.Equal(0m, TaskBilling.CostAt(Task(TaskStatuses.Pending, 1m, 60m, null), Start.AddMinutes(5)));

    [Fact]
    public void CostAt_BeforeItsStart_Nothing()
        => Assert.Equal(0m, TaskBilling.CostAt(Task(TaskStatuses.Running, 1m, 60m, Start), Start.AddSeconds(-1)));

    [Fact]
    public void CostAt_TheTimeRun_RoundedHalfUpToCents()
    {
        var task = Task(TaskStatuses.Running, 1m, 60m, Start);

        Assert.Equal(0.50m, TaskBilling.CostAt(task, Start.AddSeconds(30)));
        Assert.Equal(0.01m, TaskBilling.CostAt(task, Start.AddMilliseconds(300)));
        Assert.Equal(0.00m, TaskBilling.CostAt(task, Start.AddMilliseconds(299)));
    }

    [Fact]
    public void CostAt_PastTheTimeout_NeverAboveTheHold()
        => Assert.Equal(60m, TaskBilling.CostAt(Task(TaskStatuses.Running, 1m, 60m, Start), Start.AddHours(2)));

    [Fact]
    public void FinalCost_EndingWhileRunning_TheCostOfTheRun()
        => Assert.Equal(2m, TaskBilling.FinalCost(Task(TaskStatuses.Running, 1m, 60m, Start), Start.AddMinutes(2)));

    [Theory]
    [InlineData(TaskStatuses.Pending)]
    [InlineData(TaskStatuses.Completed)]
    [InlineData(TaskStatuses.Failed)]
    public void FinalCost_EndingWhenNotRunning_Nothing(string status)
        => Assert.Equal(0m, TaskBilling.FinalCost(Task(status, 1m, 60m, Start), Start.AddMinutes(2)));

    [Fact]
    public void FinalCost_RunningButItsRunsWereLost_Nothing()
        => Assert.Equal(0m, TaskBilling.FinalCost(Task(TaskStatuses.Running, 1m, 60m, null), Start.AddMinutes(2)));

    [Theory]
    [InlineData("6.00", "2.50", "2.50", "3.50")]
    [InlineData("6.00", "0", "0", "6.00")]
    [InlineData("6.00", "6.00", "6.00", "0")]
    [InlineData("6.00", "7.00", "6.00", "0")]
    public void Settle_TheCostCharged_NeverAboveTheHold_TheRestReleased(string hold, string cost, string charge, string release)
    {
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal((D(charge), D(release)), TaskBilling.Settle(D(hold), D(cost)));
    }
}
