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
    public async Task Heartbeat_ServersOnBothSilos_EveryServerGrainTakesItsSample()
    {
        var ids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
        {
            var spec = new ServerSpec("stream-" + id.ToString("N")[..12], "127.0.0.1", 2, 2, 160m, null);
            Assert.Equal(ServerWriteStatus.Ok, await fixture.Grains.GetGrain<IGpuServerGrain>(id).CreateAsync(spec, "hash"));
        }

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.NotNull(await fixture.Grains.GetGrain<IGpuServerGrain>(id).HeartbeatAsync("hash", new GpuTelemetry(
                id, DateTime.UtcNow, "1.0.0", ["test"], 10 + i, 20, [new GpuSample(0, "Test GPU", 50 + i, 10, 80, 60)], []), TimeSpan.Zero));
        }

        var statuses = await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IGpuServerGrain>(id).GetLiveStatusAsync()));

        Assert.All(statuses.Select((s, i) => (s, i)), x =>
        {
            Assert.Equal(10 + x.i, x.s!.CpuUsage);
            Assert.Equal(ServerStatus.Online, x.s.Status);
        });
        var silos = await fixture.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, silos.Count);
    }

    [Fact]
    public async Task Heartbeat_OlderSample_ChangesNothing()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Grains.GetGrain<IGpuServerGrain>(id);
        await grain.CreateAsync(new ServerSpec("dup-" + id.ToString("N")[..12], "h", 1, 1, 80m, null), "hash");
        var now = DateTime.UtcNow;

        await grain.HeartbeatAsync("hash", new GpuTelemetry(id, now, "1", ["test"], 40, 20, [], []), TimeSpan.Zero);
        await grain.HeartbeatAsync("hash", new GpuTelemetry(id, now.AddSeconds(-5), "1", ["test"], 99, 20, [], []), TimeSpan.Zero);

        Assert.Equal(40, (await grain.GetLiveStatusAsync())!.CpuUsage);
        Assert.Single(await grain.GetHistoryAsync(5));
    }

    [Fact]
    public async Task Heartbeat_WrongToken_RefusedAndSampleNotTaken()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Grains.GetGrain<IGpuServerGrain>(id);
        await grain.CreateAsync(new ServerSpec("tok-" + id.ToString("N")[..12], "h", 1, 1, 80m, null), "hash");

        var reply = await grain.HeartbeatAsync("not-the-hash", new GpuTelemetry(id, DateTime.UtcNow, "1", ["test"], 40, 20, [], []), TimeSpan.Zero);

        Assert.Null(reply);
        var status = (await grain.GetLiveStatusAsync())!;
        Assert.Null(status.Timestamp);
        Assert.Equal(ServerStatus.Offline, status.Status);
    }

    [Fact]
    public async Task Heartbeat_WhileWatched_SampleArrivesOnTheServersStream()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Grains.GetGrain<IGpuServerGrain>(id);
        await grain.CreateAsync(new ServerSpec("watch-" + id.ToString("N")[..12], "h", 1, 1, 80m, null), "hash");
        var received = new TaskCompletionSource<GpuTelemetry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = await fixture.Cluster.Client.GetStreamProvider(OwlConstants.StreamProvider)
            .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, id))
            .SubscribeAsync((sample, _) =>
            {
                received.TrySetResult(sample);
                return Task.CompletedTask;
            });
        try
        {
            await grain.WatchAsync();
            await grain.HeartbeatAsync("hash", new GpuTelemetry(id, DateTime.UtcNow, "1", ["test"], 42, 20, [], []), TimeSpan.Zero);

            var sample = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(42, sample.CpuUsage);
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }
}
