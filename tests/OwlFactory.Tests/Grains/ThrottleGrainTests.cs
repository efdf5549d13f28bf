using OwlFactory.GrainInterfaces.Throttling;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class ThrottleGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task TryAcquireAsync_ParallelBurst_AdmitsExactlyTheLimit()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");

        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => grain.TryAcquireAsync(7, 60)));

        Assert.Equal(7, results.Count(r => r));
        Assert.False(await grain.TryAcquireAsync(7, 60));
    }

    [Fact]
    public async Task TryBeginAttemptAsync_ParallelBurst_AdmitsExactlyTheLimitBeforeAnyEnds()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");

        var results = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => grain.TryBeginAttemptAsync(10, 60)));

        Assert.Equal(10, results.Count(r => r));
    }

    [Fact]
    public async Task EndAttemptAsync_SuccessFreesItsPlace_FailureKeepsIt()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");
        Assert.True(await grain.TryBeginAttemptAsync(2, 60));
        Assert.True(await grain.TryBeginAttemptAsync(2, 60));
        Assert.False(await grain.TryBeginAttemptAsync(2, 60));

        await grain.EndAttemptAsync(failed: false, 60);
        Assert.True(await grain.TryBeginAttemptAsync(2, 60));
        await grain.EndAttemptAsync(failed: true, 60);
        await grain.EndAttemptAsync(failed: true, 60);

        Assert.False(await grain.TryBeginAttemptAsync(2, 60));
    }

    [Fact]
    public async Task ReleaseAttemptAsync_FreesItsPlace_AndIsNeverCountedAsAFailure()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");
        Assert.True(await grain.TryBeginAttemptAsync(1, 60));
        Assert.False(await grain.TryBeginAttemptAsync(1, 60));

        // One-way: the place is free once the message is processed, not when the call returns.
        await grain.ReleaseAttemptAsync();
        await BeginWithinAsync(grain);
        await grain.ReleaseAttemptAsync();

        await BeginWithinAsync(grain);
    }

    private static Task<bool> BeginWithinAsync(IThrottleGrain grain)
        => Poll.UntilAsync(() => grain.TryBeginAttemptAsync(1, 60), begun => begun, TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(20), _ => "the released place was not freed");

    [Fact]
    public async Task Failures_AfterEveryGrainIsDeactivated_AreStillCounted()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await grain.TryBeginAttemptAsync(3, 60));
            await grain.EndAttemptAsync(failed: true, 60);
        }

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.False(await grain.TryBeginAttemptAsync(3, 60));
    }

    [Fact]
    public async Task Failures_AfterTheWindowPasses_NoLongerCount()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await grain.TryBeginAttemptAsync(2, 1));
            await grain.EndAttemptAsync(failed: true, 1);
        }

        Assert.False(await grain.TryBeginAttemptAsync(2, 1));

        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.True(await grain.TryBeginAttemptAsync(2, 1));
    }
}
