using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Tests.Tasks;

/// <summary>What the API sees of a task and when it counts as changed: the rule alone, no cluster, no database.</summary>
public sealed class TaskViewTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static TaskRecord Running() => new(
        Id: Guid.NewGuid(), UserId: Guid.NewGuid(), Title: "t", Description: null, TaskType: "test", Priority: 0,
        EstimatedDuration: null, ConfigJson: "{}", ResultJson: null, ErrorMessage: null, Status: TaskStatuses.Running,
        Progress: 40, GpuServerId: Guid.NewGuid(), Attempt: 2, LostRuns: 1, HoldKey: "task:x:2", HoldAmount: 60m, Price: 1m,
        Cost: 0m, TimeoutSeconds: 3600, IdempotencyKey: "key", AssignedAt: Start, StartedAt: Start, CompletedAt: null,
        CreatedAt: Start, UpdatedAt: Start, DeletedAt: null, Version: 7);

    [Fact]
    public void ToView_KeepsWhatTheApiShows()
    {
        var record = Running();

        var view = record.ToView();

        Assert.Equal((record.Id, record.UserId, record.Status, record.Progress, record.GpuServerId, record.Attempt),
            (view.Id, view.UserId, view.Status, view.Progress, view.GpuServerId, view.Attempt));
        Assert.Equal((record.HoldAmount, record.Price, record.Cost, record.TimeoutSeconds),
            (view.HoldAmount, view.Price, view.Cost, view.TimeoutSeconds));
        Assert.Equal((record.AssignedAt, record.StartedAt, record.CompletedAt, record.CreatedAt, record.UpdatedAt),
            (view.AssignedAt, view.StartedAt, view.CompletedAt, view.CreatedAt, view.UpdatedAt));
    }

    [Fact]
    public void SameAs_OnlyTheCostAccruedByTheClock_IsNoChange()
    {
        var view = Running().ToView();

        Assert.True(view.SameAs(view with { Cost = 1.25m }));
    }

    [Fact]
    public void SameAs_ProgressOrAWrite_IsAChange()
    {
        var view = Running().ToView();

        Assert.False(view.SameAs(view with { Progress = 41 }));
        Assert.False(view.SameAs(view with { Status = TaskStatuses.Completed, UpdatedAt = Start.AddSeconds(1) }));
        Assert.False(view.SameAs(view with { UpdatedAt = Start.AddMilliseconds(1) }));
    }

    [Theory]
    [InlineData(TaskStatuses.Pending, false, true)]
    [InlineData(TaskStatuses.Running, false, true)]
    [InlineData(TaskStatuses.Completed, true, false)]
    [InlineData(TaskStatuses.Failed, true, false)]
    [InlineData(TaskStatuses.Cancelled, true, false)]
    public void Statuses_EachIsFinishedOrActive(string status, bool finished, bool active)
    {
        Assert.Equal(finished, TaskStatuses.IsFinished(status));
        Assert.Equal(active, TaskStatuses.IsActive(status));
        Assert.Equal(finished, (Running() with { Status = status }).ToView().IsFinished);
    }
}
