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
        Assert.True(await grain.IsExhaustedAsync(7, 60));
    }

    [Fact]
    public async Task IsExhaustedAsync_AfterTheWindowPasses_IsFalseAgain()
    {
        var grain = fixture.Grains.GetGrain<IThrottleGrain>($"test:{Guid.NewGuid()}");
        await grain.RecordAsync(1);
        await grain.RecordAsync(1);
        Assert.True(await grain.IsExhaustedAsync(2, 1));

        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.False(await grain.IsExhaustedAsync(2, 1));
    }
}
