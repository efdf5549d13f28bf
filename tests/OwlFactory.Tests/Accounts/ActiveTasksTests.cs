using OwlFactory.Grains.Accounts;

namespace OwlFactory.Tests.Accounts;

/// <summary>Per-user concurrency: the rule alone, no cluster.</summary>
public sealed class ActiveTasksTests
{
    [Fact]
    public void IsFull_AtTheLimit_True_BelowIt_False()
    {
        var active = new ActiveTasks([Guid.NewGuid(), Guid.NewGuid()]);

        Assert.True(active.IsFull(2));
        Assert.False(active.IsFull(3));
    }

    [Fact]
    public void Ended_FreesItsPlace_Queued_TakesOne_TheSameTaskTwiceCountsOnce()
    {
        var first = Guid.NewGuid();
        var active = new ActiveTasks([first]);

        active.Queued(Guid.NewGuid());
        active.Queued(first);
        Assert.Equal(2, active.Count);

        active.Ended(first);
        active.Ended(first);
        Assert.Equal(1, active.Count);
        Assert.False(active.IsFull(2));
    }

    [Fact]
    public void LimitMessage_NamesTheLimit()
        => Assert.Equal("At most 3 tasks may be pending or running at once", ActiveTasks.LimitMessage(3));
}
