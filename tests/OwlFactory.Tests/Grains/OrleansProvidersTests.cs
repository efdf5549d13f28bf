using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OwlFactory.GrainInterfaces;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

/// <summary>The project's own PostgreSQL schema for the Orleans ADO.NET providers, exercised by real silos.</summary>
[Collection(ClusterGroup.Name)]
public sealed class OrleansProvidersTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Membership_TwoSilos_AreActiveInOnePostgresMembership()
    {
        var hosts = await fixture.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
        var rows = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3", fixture.Cluster.Options.ClusterId);
        Assert.Equal(2L, rows);
    }

    [Fact]
    public async Task GrainStorage_WriteWithStaleETag_IsRejected()
    {
        var storage = Storage();
        var grainId = GrainId.Create("etag-probe", "probe-" + Guid.NewGuid());
        var current = new GrainState<ProbeState>(new ProbeState { Value = 1 });
        await storage.WriteStateAsync("probe", grainId, current);
        var stale = new GrainState<ProbeState>(new ProbeState { Value = 2 }) { ETag = current.ETag, RecordExists = true };
        current.State!.Value = 3;
        await storage.WriteStateAsync("probe", grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, stale));

        var read = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", grainId, read);
        Assert.Equal(3, read.State!.Value);
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task GrainStorage_ClearThenRead_FindsNoRecord()
    {
        var storage = Storage();
        var grainId = GrainId.Create("etag-probe", "probe-" + Guid.NewGuid());
        var state = new GrainState<ProbeState>(new ProbeState { Value = 5 });
        await storage.WriteStateAsync("probe", grainId, state);

        await storage.ClearStateAsync("probe", grainId, state);

        var read = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", grainId, read);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Value);
    }

    [Fact]
    public async Task Reminder_Registered_FiresAndIsStoredInPostgres()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Grains.GetGrain<IReminderProbeGrain>(id);

        await grain.StartAsync();
        var stored = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminder WHERE service_id = $1 AND reminder_name = 'probe' AND grain_id LIKE $2",
            ClusterFixture.ServiceId, "%" + id.ToString("N") + "%");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ReminderProbeGrain.Ticks.ContainsKey(id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await grain.StopAsync();
        Assert.Equal(1L, stored);
        Assert.True(ReminderProbeGrain.Ticks.ContainsKey(id), "the reminder never fired");
    }

    private IGrainStorage Storage()
        => ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(OwlConstants.Storage);
}
