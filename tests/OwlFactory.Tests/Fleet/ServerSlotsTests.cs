using Microsoft.Extensions.Time.Testing;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.Grains.Fleet;

namespace OwlFactory.Tests.Fleet;

/// <summary>A server's slot bookkeeping, on a fake clock: what it holds, what its agent is told to start and stop.</summary>
public sealed class ServerSlotsTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServerSlots _slots;

    public ServerSlotsTests() => _slots = new ServerSlots(_clock);

    private static AgentAssignment Assignment(Guid id) => new(id, "test", "a task", "{}", 1, 60);

    private static Task<AgentAssignment?> NoAssignment(Guid id) => throw new InvalidOperationException($"{id} was not to be assigned again");

    [Fact]
    public void Reply_AnAssignment_IsHandedOutOnEveryPoll_UntilTheAgentRunsIt()
    {
        var id = Guid.NewGuid();
        _slots.Assign(Assignment(id));

        Assert.True(_slots.HasNews);
        Assert.Equal([id], _slots.Reply(5).Assignments.Select(a => a.TaskId));
        Assert.False(_slots.HasNews);
        Assert.Equal([id], _slots.Reply(5).Assignments.Select(a => a.TaskId));

        _slots.AgentRuns([id]);

        Assert.Empty(_slots.Reply(5).Assignments);
        Assert.Equal(1, _slots.Count);
    }

    [Fact]
    public void Reply_ATaskTheAgentRunsButTheServerDoesNotHold_IsCancelled_AndIsNewsOnce()
    {
        var stray = Guid.NewGuid();
        _slots.AgentRuns([stray]);

        Assert.True(_slots.HasNews);
        var reply = _slots.Reply(5);

        Assert.Equal(stray, Assert.Single(reply.Cancel));
        Assert.Equal(5, reply.HeartbeatIntervalSeconds);
        Assert.False(_slots.HasNews);
        Assert.Equal(stray, Assert.Single(_slots.Reply(5).Cancel));
    }

    [Fact]
    public void Release_AHeldTask_FreesItsSlot_AndTheAgentIsToldToStopIt()
    {
        var id = Guid.NewGuid();
        _slots.Assign(Assignment(id));
        _slots.AgentRuns([id]);

        Assert.True(_slots.Release(id));
        Assert.False(_slots.Release(id));

        Assert.Equal(0, _slots.Count);
        Assert.Equal(id, Assert.Single(_slots.Reply(5).Cancel));
    }

    [Fact]
    public void TakeAll_EmptiesEverySlot_AndReturnsTheirTasks()
    {
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var id in ids)
        {
            _slots.Assign(Assignment(id));
        }

        Assert.Equal(ids.Order(), _slots.TakeAll().Order());
        Assert.Equal(0, _slots.Count);
    }

    [Fact]
    public async Task ReconcileAsync_ASlotTheTableDoesNotShow_IsKeptWithinTheGrace_DroppedAfter()
    {
        var id = Guid.NewGuid();
        _slots.Assign(Assignment(id));

        _clock.Advance(Grace - TimeSpan.FromMilliseconds(1));
        await _slots.ReconcileAsync([], Grace, NoAssignment);
        Assert.Equal(1, _slots.Count);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _slots.ReconcileAsync([], Grace, NoAssignment);
        Assert.Equal(0, _slots.Count);
    }

    [Fact]
    public async Task ReconcileAsync_ARunningTaskOfTheTable_TakesASlotWithoutBeingAssignedAgain()
    {
        var id = Guid.NewGuid();

        await _slots.ReconcileAsync([(id, true)], TimeSpan.Zero, NoAssignment);

        Assert.Equal(1, _slots.Count);
        Assert.False(_slots.HasNews);
    }

    [Fact]
    public async Task ReconcileAsync_ATaskStillToStart_IsFetchedFromItsTask_OrLeftOutWhenItIsNoLongerOurs()
    {
        var ours = Guid.NewGuid();
        var moved = Guid.NewGuid();

        await _slots.ReconcileAsync([(ours, false), (moved, false)], TimeSpan.Zero,
            id => Task.FromResult(id == ours ? Assignment(id) : null));

        Assert.Equal(1, _slots.Count);
        Assert.Equal([ours], _slots.Reply(5).Assignments.Select(a => a.TaskId));
    }

    [Fact]
    public async Task ReconcileAsync_NotesWhenItRan()
    {
        var createdAt = _slots.ReconciledAt;
        _clock.Advance(TimeSpan.FromSeconds(20));

        await _slots.ReconcileAsync([], Grace, NoAssignment);

        Assert.Equal(createdAt.AddSeconds(20), _slots.ReconciledAt);
    }
}
