using OwlFactory.Agent.Supervision;

namespace OwlFactory.Agent.Tests.Supervision;

public sealed class GpuSlotsTests
{
    [Fact]
    public void Acquire_TwoGpus_HandsOutTheLeastLoadedAndIsFullAtTwo()
    {
        var slots = new GpuSlots([0, 1], maxConcurrentTasks: 0);

        Assert.Equal(0, slots.Acquire());
        Assert.True(slots.HasFree);
        Assert.Equal(1, slots.Acquire());
        Assert.False(slots.HasFree);
        Assert.Equal(0, slots.Acquire()); // past capacity: shares a GPU rather than refuse the platform
        Assert.Equal(new HashSet<int> { 0, 1 }, slots.Busy());

        slots.Release(1);
        Assert.False(slots.HasFree);
        Assert.Equal(new HashSet<int> { 0 }, slots.Busy());
        Assert.Equal(1, slots.Acquire()); // GPU 0 runs two tasks, GPU 1 none
        slots.Release(0);
        slots.Release(0);
        slots.Release(1);
        Assert.True(slots.HasFree);
        Assert.Equal(0, slots.Running);
        Assert.Empty(slots.Busy());
    }

    [Fact]
    public void Acquire_NoGpus_GivesNoneAndOneSlot()
    {
        var slots = new GpuSlots([], maxConcurrentTasks: 0);

        Assert.Equal(1, slots.Capacity);
        Assert.Null(slots.Acquire());
        Assert.False(slots.HasFree);
    }

    [Fact]
    public void Capacity_Configured_OverridesGpuCount()
    {
        Assert.Equal(4, new GpuSlots([0, 1], maxConcurrentTasks: 4).Capacity);
    }
}
