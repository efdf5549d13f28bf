using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class SystemConfigGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task UpdateAsync_ThenEveryGrainDeactivated_IsReadBackFromPostgres()
    {
        var grain = fixture.Grains.GetGrain<ISystemConfigGrain>(0);
        var prices = SystemConfig.Default.TaskPrices.SetItem("rendering", 0.0725m);

        var written = await grain.UpdateAsync(new SystemConfigChange(null, null, null, null, null, prices, 90), Guid.NewGuid());
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var read = await fixture.Grains.GetGrain<ISystemConfigGrain>(0).GetAsync();

        Assert.Equal(written.Version, read.Version);
        Assert.Equal(90, read.LogRetentionDays);
        Assert.Equal(0.0725m, read.TaskPrices["rendering"]);
        Assert.Equal(SystemConfig.Default.MaxConcurrentTasksPerUser, read.MaxConcurrentTasksPerUser);
    }

    [Fact]
    public async Task WaitForChangeAsync_AnswersAsSoonAsAChangeIsWritten()
    {
        var grain = fixture.Grains.GetGrain<ISystemConfigGrain>(0);
        var known = (await grain.GetAsync()).Version;

        // With nothing written, a wait ends at its own limit with the version it was given.
        Assert.Equal(known, (await grain.WaitForChangeAsync(known, TimeSpan.FromMilliseconds(200))).Version);
        var waiting = grain.WaitForChangeAsync(known, TimeSpan.FromSeconds(8));
        await grain.UpdateAsync(new SystemConfigChange(null, null, null, "changed " + Guid.NewGuid(), null, null, null), Guid.NewGuid());
        var changed = await waiting.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.True(changed.Version > known);
    }
}
