using System.Collections.Immutable;
using Orleans.Streams;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class FleetGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Telemetry_PublishedForServersOnBothSilos_ReachesEveryServerGrain()
    {
        var ids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
        {
            var spec = new ServerSpec("stream-" + id.ToString("N")[..12], "127.0.0.1", 2, 2, 160m, null);
            Assert.Equal(ServerWriteStatus.Ok, await fixture.Grains.GetGrain<IGpuServerGrain>(id).CreateAsync(spec, "hash"));
        }

        var provider = fixture.Cluster.Client.GetStreamProvider(OwlConstants.StreamProvider);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await provider.GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, id)).OnNextAsync(new GpuTelemetry(
                id, DateTime.UtcNow, "1.0.0", ["test"], 10 + i, 20, [new GpuSample(0, "Test GPU", 50 + i, 10, 80, 60)], []));
        }

        var statuses = await WaitForAsync(async () =>
        {
            var all = await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IGpuServerGrain>(id).GetLiveStatusAsync()));
            return all.All(s => s!.Timestamp is not null) ? all : null;
        });

        Assert.All(statuses.Select((s, i) => (s, i)), x =>
        {
            Assert.Equal(10 + x.i, x.s!.CpuUsage);
            Assert.Equal(ServerStatus.Online, x.s.Status);
        });
        var silos = await fixture.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, silos.Count);
    }

    [Fact]
    public async Task Telemetry_RedeliveredOlderSample_ChangesNothing()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Grains.GetGrain<IGpuServerGrain>(id);
        await grain.CreateAsync(new ServerSpec("dup-" + id.ToString("N")[..12], "h", 1, 1, 80m, null), "hash");
        var stream = fixture.Cluster.Client.GetStreamProvider(OwlConstants.StreamProvider)
            .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, id));
        var now = DateTime.UtcNow;

        await stream.OnNextAsync(new GpuTelemetry(id, now, "1", ["test"], 40, 20, [], []));
        await WaitForAsync(async () => (await grain.GetLiveStatusAsync())!.CpuUsage == 40 ? true : (bool?)null);
        await stream.OnNextAsync(new GpuTelemetry(id, now.AddSeconds(-5), "1", ["test"], 99, 20, [], []));
        await Task.Delay(500);

        Assert.Equal(40, (await grain.GetLiveStatusAsync())!.CpuUsage);
        Assert.Single(await grain.GetHistoryAsync(5));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
